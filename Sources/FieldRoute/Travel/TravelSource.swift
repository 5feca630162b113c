import FieldStore
import Geofencing
import RouteSolver

/// Where a region's travel times come from: the estimate from coordinates, a table imported from
/// a router (looked up by snapping each point to the table's nearest point), or the region's OSRM
/// server, asked for the pairs it was never asked about.
public enum TravelSource: Sendable {
    case estimate(TravelTimeModel)
    case table(ImportedMatrix)
    case osrm(OSRMTravel)

    /// Metres and seconds from one point to another: the table's entry between their nearest points,
    /// or the estimate when either is farther than the snap radius from the table.
    func leg(from a: (lat: Double, lon: Double), to b: (lat: Double, lon: Double)) -> (metres: Double, seconds: Double) {
        switch self {
        case let .estimate(model): return model.leg(from: a, to: b)
        case let .table(table):
            let (i, di) = table.nearest(a), (j, dj) = table.nearest(b)
            guard di <= table.snapRadius, dj <= table.snapRadius else { return TravelTimeModel().leg(from: a, to: b) }
            let k = i * table.points.count + j
            return i == j ? (0, 0) : (Double(table.distances[k]), Double(table.durations[k]))
        case let .osrm(server): return server.leg(from: a, to: b)
        }
    }

    /// Seconds and metres between every pair of points (latitude first).
    /// - Throws: ``FieldRouteError/badInput(_:)`` naming the first point too far from every table point
    ///   (or from every road the OSRM server knows); ``FieldRouteError/unavailable(_:)`` when the
    ///   region's OSRM server does not answer.
    ///
    /// `only` (rows, pairs) limits an estimate to the arcs a call reads (see
    /// ``TravelTimeModel/matrix(points:only:)``); a table lookup is cheap and always complete.
    func matrix(points: [(lat: Double, lon: Double)], names: [String],
                only: (rows: [Int], pairs: [(Int, Int)])? = nil) throws(FieldRouteError) -> TravelMatrix {
        switch self {
        case let .estimate(model): return model.matrix(points: points, only: only)
        case let .table(table): return try table.matrix(points: points, names: names)
        case let .osrm(server): return try server.matrix(points: points, names: names)
        }
    }
}

/// A router's table (seconds and metres between its points) for a region.
public struct ImportedMatrix: Sendable, Equatable {
    public var points: [(lat: Double, lon: Double)]
    /// Row-major: from i to j at `i * points.count + j`.
    public var durations: [Int32]
    public var distances: [Int32]
    /// A location farther than this (metres) from every table point is an error, not a guess.
    public var snapRadius: Double = 250

    public init(points: [(lat: Double, lon: Double)], durations: [Int32], distances: [Int32]) {
        self.points = points; self.durations = durations; self.distances = distances
    }

    public static func == (a: ImportedMatrix, b: ImportedMatrix) -> Bool {
        a.points.elementsEqual(b.points) { $0.lat == $1.lat && $0.lon == $1.lon } && a.durations == b.durations
            && a.distances == b.distances && a.snapRadius == b.snapRadius
    }

    /// The index of the nearest table point and its distance in metres.
    func nearest(_ p: (lat: Double, lon: Double)) -> (index: Int, metres: Double) {
        var best = (index: 0, metres: Double.infinity)
        for (k, q) in points.enumerated() {
            let d = haversineMetres(lat1: p.lat, lon1: p.lon, lat2: q.lat, lon2: q.lon)
            if d < best.metres { best = (k, d) }
        }
        return best
    }

    func matrix(points wanted: [(lat: Double, lon: Double)], names: [String]) throws(FieldRouteError) -> TravelMatrix {
        var index = [Int](repeating: 0, count: wanted.count)
        for (k, p) in wanted.enumerated() {
            let (i, metres) = nearest(p)
            guard metres <= snapRadius else {
                let name = k < names.count ? names[k] : "point \(k)"
                throw .badInput("\(name) at \(p.lat),\(p.lon) is \(Int(metres)) m from the nearest point of the imported travel matrix "
                                + "(limit \(Int(snapRadius)) m): add it to the OSRM table request and import the matrix again")
            }
            index[k] = i
        }
        return try gather(index)
    }

    /// The matrix between table points `index` (one per wanted point, repeats allowed).
    func gather(_ index: [Int]) throws(FieldRouteError) -> TravelMatrix {
        let n = index.count, size = points.count
        var seconds = [Int32](repeating: 0, count: n * n), metres = seconds
        for i in 0..<n { for j in 0..<n where index[i] != index[j] {
            seconds[i * n + j] = durations[index[i] * size + index[j]]
            metres[i * n + j] = distances[index[i] * size + index[j]]
        } }
        do { return try TravelMatrix(count: n, durations: seconds, distances: metres) } catch { throw .problem(error) }
    }

    init(_ record: TravelMatrixRecord) {
        self.init(points: record.points.map { (lat: $0.first ?? 0, lon: $0.count > 1 ? $0[1] : 0) },
                  durations: record.durationValues, distances: record.distanceValues)
    }
}
