import Foundation
import Geofencing
import RouteSolver

/// Road travel estimated from coordinates: great-circle distance × a detour factor, driven at an
/// average urban speed. (Hour-of-day speeds and imported router matrices are the next models.)
public struct TravelTimeModel: Sendable, Equatable {
    /// Road distance over straight-line distance; 1.3 is typical of European cities.
    public var detourFactor: Double
    /// Average door-to-door speed, km/h.
    public var speedKmh: Double

    public init(detourFactor: Double = 1.3, speedKmh: Double = 25) {
        self.detourFactor = detourFactor; self.speedKmh = speedKmh
    }

    /// Estimated road metres and driving seconds from one point to another.
    public func leg(from a: (lat: Double, lon: Double), to b: (lat: Double, lon: Double)) -> (metres: Double, seconds: Double) {
        let road = haversineMetres(lat1: a.lat, lon1: a.lon, lat2: b.lat, lon2: b.lon) * detourFactor
        return (road, road / (speedKmh / 3.6))
    }

    /// Metres and seconds between every pair of points (latitude first).
    public func matrix(points: [(lat: Double, lon: Double)]) -> TravelMatrix {
        let n = points.count
        var metres = [Int32](repeating: 0, count: n * n), seconds = metres
        for i in 0..<n {
            for j in 0..<n where i != j {
                let (road, time) = leg(from: points[i], to: points[j])
                metres[i * n + j] = Int32(road.rounded())
                seconds[i * n + j] = Int32(time.rounded())
            }
        }
        // Square and non-negative by construction, so the checked initialiser cannot fail.
        return (try? TravelMatrix(count: n, durations: seconds, distances: metres)) ?? TravelMatrix.dimacs(x: [], y: [])
    }
}
