import Foundation
import Geofencing
import RouteSolver

/// Road travel estimated from coordinates: great-circle distance × a detour factor, driven at an
/// average urban speed, or at a speed per local hour of departure (rush hours are slower).
public struct TravelTimeModel: Sendable, Equatable {
    /// Road distance over straight-line distance; 1.3 is typical of European cities.
    public var detourFactor: Double
    /// Average door-to-door speed, km/h.
    public var speedKmh: Double
    /// Speed by local hour of departure (24 values, km/h); nil: `speedKmh` all day.
    public var speedByHour: [Double]?

    public init(detourFactor: Double = 1.3, speedKmh: Double = 25, speedByHour: [Double]? = nil) {
        self.detourFactor = detourFactor; self.speedKmh = speedKmh; self.speedByHour = speedByHour
    }

    /// Seconds to drive `metres` of road leaving at local `hour` (0–23).
    public func seconds(metres: Double, hour: Int) -> Double {
        let speed = speedByHour.flatMap { $0.count == 24 ? $0[((hour % 24) + 24) % 24] : nil } ?? speedKmh
        return metres / (speed / 3.6)
    }

    /// Estimated road metres and driving seconds from one point to another.
    public func leg(from a: (lat: Double, lon: Double), to b: (lat: Double, lon: Double)) -> (metres: Double, seconds: Double) {
        let road = haversineMetres(lat1: a.lat, lon1: a.lon, lat2: b.lat, lon2: b.lon) * detourFactor
        return (road, road / (speedKmh / 3.6))
    }

    /// Metres and seconds between every pair of points (latitude first). The estimate is symmetric, so
    /// each pair is computed once, with each point's cosine computed once: the same numbers as
    /// ``leg(from:to:)``, about three times faster (dispatch builds this for every call).
    public func matrix(points: [(lat: Double, lon: Double)]) -> TravelMatrix {
        matrix(points: points, only: nil)
    }

    /// A matrix that holds only the arcs a dispatcher call can read (`only`: every arc touching one of
    /// `rows`, and the listed `pairs` both ways); every other entry is ``unknownArc``, so a read the
    /// call did not announce makes a route infeasible rather than short. Nil: every pair.
    func matrix(points: [(lat: Double, lon: Double)], only: (rows: [Int], pairs: [(Int, Int)])?) -> TravelMatrix {
        let n = points.count
        // Two allocations, not one shared and copied on the first write: at 600 points each is 1.4 MB.
        let fill = only == nil ? 0 : Self.unknownArc
        var metres = [Int32](repeating: fill, count: n * n), seconds = [Int32](repeating: fill, count: n * n)
        let rad = Double.pi / 180, radius = earthRadiusMetres, metresPerSecond = speedKmh / 3.6
        let cosLat = points.map { cos($0.lat * rad) }
        func arc(_ i: Int, _ j: Int) {
            guard i != j else { metres[i * n + i] = 0; seconds[i * n + i] = 0; return }
            // haversineMetres, with the cosines hoisted.
            let dLat = (points[j].lat - points[i].lat) * rad, dLon = (points[j].lon - points[i].lon) * rad
            let a = sin(dLat / 2) * sin(dLat / 2) + cosLat[i] * cosLat[j] * sin(dLon / 2) * sin(dLon / 2)
            let road = 2 * radius * asin(min(1, a.squareRoot())) * detourFactor
            let m = Int32(road.rounded()), s = Int32((road / metresPerSecond).rounded())
            metres[i * n + j] = m; metres[j * n + i] = m
            seconds[i * n + j] = s; seconds[j * n + i] = s
        }
        if let only {
            for r in only.rows where r >= 0 && r < n { for j in 0..<n { arc(min(r, j), max(r, j)) } }
            for (i, j) in only.pairs where i >= 0 && i < n && j >= 0 && j < n { arc(min(i, j), max(i, j)) }
        } else {
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { arc(i, j) } }
        }
        // Square and non-negative by construction: no second pass to check it.
        return TravelMatrix(unchecked: n, durations: seconds, distances: metres)
    }

    /// What a sparse matrix holds where no arc was computed: 100 days, longer than any shift.
    static let unknownArc: Int32 = 8_640_000
}
