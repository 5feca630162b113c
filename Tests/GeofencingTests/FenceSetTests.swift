import Geofencing
import Testing

@Suite struct FenceSetTests {
    let square = "POLYGON((4.80 45.70, 4.90 45.70, 4.90 45.80, 4.80 45.80, 4.80 45.70))"

    @Test func circlesAndPolygonsContainWhatTheyShould() throws {
        let fences = try FenceSet([
            Fence(id: "site", shape: .circle(lat: 45.75, lon: 4.85, radius: 100)),
            Fence(id: "area", shape: .polygon(wkt: square)),
        ])
        #expect(fences.containing(lat: 45.75, lon: 4.85) == ["site", "area"])
        // ~78 m north of the centre: inside the 100 m circle.
        #expect(fences.containing(lat: 45.7507, lon: 4.85) == ["site", "area"])
        // ~155 m north: outside the circle, inside the square.
        #expect(fences.containing(lat: 45.7514, lon: 4.85) == ["area"])
        #expect(fences.containing(lat: 45.69, lon: 4.85).isEmpty)
    }

    @Test func haversineMatchesAKnownDistance() {
        // Paris (Notre-Dame) to Lyon (Bellecour): about 392 km.
        let d = haversineMetres(lat1: 48.8530, lon1: 2.3499, lat2: 45.7578, lon2: 4.8320)
        #expect(abs(d - 392_000) < 2_000)
    }

    @Test func invalidPolygonsAreNamedNotRepaired() {
        let bowtie = "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"
        #expect {
            try FenceSet([Fence(id: "ok", shape: .polygon(wkt: square)), Fence(id: "bowtie", shape: .polygon(wkt: bowtie))])
        } throws: { error in
            guard case let FenceError.invalidPolygon(fence, reason) = error else { return false }
            return fence == "bowtie" && reason.contains("Self-intersection")
        }
        #expect(throws: FenceError.notAPolygon(fence: "line", type: "LineString")) {
            try FenceSet([Fence(id: "line", shape: .polygon(wkt: "LINESTRING(0 0, 1 1)"))])
        }
        #expect(throws: FenceError.self) { try FenceSet([Fence(id: "junk", shape: .polygon(wkt: "POLYGON((0 0"))]) }
        #expect(throws: FenceError.badCircle(fence: "c", reason: "radius must be a positive number of metres up to 50000, got -5.0")) {
            try FenceSet([Fence(id: "c", shape: .circle(lat: 1, lon: 1, radius: -5))])
        }
    }

    @Test func aBowtieIsRepairedOnlyWhenAsked() throws {
        let bowtie = "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))"
        let repaired = try PolygonRepair.repaired(bowtie, fence: "bowtie")
        #expect(repaired.hasPrefix("MULTIPOLYGON"))
        let set = try FenceSet([Fence(id: "bowtie", shape: .polygon(wkt: repaired))])
        // Both triangles of the bowtie are kept: points in the left and right lobes are inside.
        #expect(set.containing(lat: 0.5, lon: 0.1) == ["bowtie"])
        #expect(set.containing(lat: 0.5, lon: 0.9) == ["bowtie"])
        #expect(set.containing(lat: 0.9, lon: 0.5).isEmpty)
        // A valid polygon comes back as it was; a line cannot become a polygon.
        #expect(try PolygonRepair.repaired(square, fence: "sq") == square)
        #expect(throws: FenceError.self) { try PolygonRepair.repaired("LINESTRING(0 0, 1 1)", fence: "line") }
    }

    /// Issue 17: a radius of 1e308 trapped (FenceSet.swift:62); 1e7 m or a world-sized polygon ran for
    /// 50 s up to 3.4 GB; a polygon with latitude and longitude swapped was stored.
    @Test(arguments: [
        (Fence(id: "huge", shape: .circle(lat: 45.75, lon: 4.85, radius: 1e308)),
         FenceError.badCircle(fence: "huge", reason: "radius must be a positive number of metres up to 50000, got 1e+308")),
        (Fence(id: "wide", shape: .circle(lat: 45.75, lon: 4.85, radius: 1e7)),
         FenceError.badCircle(fence: "wide", reason: "radius must be a positive number of metres up to 50000, got 10000000.0")),
        (Fence(id: "world", shape: .polygon(wkt: "POLYGON((-179 -89, 179 -89, 179 89, -179 89, -179 -89))")),
         FenceError.invalidPolygon(fence: "world", reason: "spans 44456 km; a polygon fence is at most 200 km across")),
        (Fence(id: "swapped", shape: .polygon(wkt: "POLYGON((37.70 -122.50, 37.80 -122.50, 37.80 -122.40, 37.70 -122.40, 37.70 -122.50))")),
         FenceError.invalidPolygon(fence: "swapped", reason: "latitude -122.5 is outside −90…90 (GeoJSON positions are longitude, latitude)")),
        (Fence(id: "east", shape: .polygon(wkt: "POLYGON((190 45, 190.1 45, 190.1 45.1, 190 45.1, 190 45))")),
         FenceError.invalidPolygon(fence: "east", reason: "longitude 190.1 is outside −180…180")),
    ])
    func hostileFencesAreRefusedQuickly(fence: Fence, error: FenceError) {
        #expect(throws: error) { try FenceSet([fence]) }
    }

    @Test func theLargestAllowedFencesStillWork() throws {
        let fences = try FenceSet([Fence(id: "big", shape: .circle(lat: 45.75, lon: 4.85, radius: 50_000))])
        #expect(fences.containing(lat: 46.0, lon: 4.85) == ["big"])
    }
}
