import Geofencing
import Testing

/// Distances measured two ways (the haversine, the flat projection of a segment) must agree: they
/// were 0.11 % apart (111 320 against 111 195 m a degree), a metre at a kilometre.
@Suite struct GeoPointTests {
    @Test(arguments: [(45.75, 4.85), (0.0, 0.0), (60.17, 24.94), (-33.87, 151.21)])
    func aSegmentOfOnePointIsThatPointsHaversineDistance(lat: Double, lon: Double) {
        let here = GeoPoint(lat: lat, lon: lon)
        for (dLat, dLon) in [(0.009, 0.0), (0.0, 0.009), (-0.004, 0.006), (0.0009, -0.0002)] {
            let there = GeoPoint(lat: lat + dLat, lon: lon + dLon)
            let flat = here.metres(toSegment: there, there), round = here.metres(to: there)
            #expect(abs(flat - round) / round < 1e-4, "\(lat),\(lon) → +\(dLat),+\(dLon): \(flat) m flat, \(round) m haversine")
        }
    }

    @Test func aDegreeOfLatitudeIsTheSphereOfTheHaversine() {
        let north = GeoPoint(lat: 1, lon: 0).metres(to: GeoPoint(lat: 0, lon: 0))
        #expect(abs(north - metresPerDegree) < 1e-6)
        #expect(abs(metresPerDegree - 111_195.08) < 0.01)
    }
}
