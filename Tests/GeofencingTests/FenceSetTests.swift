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
        #expect(throws: FenceError.badCircle(fence: "c", reason: "radius must be a positive number of metres, got -5.0")) {
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
}
