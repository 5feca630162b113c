import Foundation
import FieldStore
import RouteSolver
import Synchronization

/// Travel times from a region's OSRM server, kept per pair of points: a call asks the server only for
/// the legs to and from points it has never seen (in blocks the server's table size allows), and what
/// it learnt is kept in the store (``Engine/keepRouterLegs(_:_:)``) for the next call and process.
/// A region naming another server starts afresh. At most ``capacity`` points are kept: past that,
/// only the points of the current call.
public final class OSRMTravel: Sendable {
    let client: OSRMClient
    let regionId: Int64
    /// Live estimates from a GPS fix far from every kept point (never a request per ping).
    let estimate: TravelTimeModel
    static let capacity = 1_500

    private struct Kept {
        var table: ImportedMatrix
        /// Each kept point's index, by its exact coordinates.
        var index: [PointKey: Int]
        /// Learnt since the store last saw it.
        var unsaved: Bool
    }
    private let kept: Mutex<Kept>

    init(client: OSRMClient, regionId: Int64, estimate: TravelTimeModel, record: RouterLegsRecord?) {
        self.client = client; self.regionId = regionId; self.estimate = estimate
        var table = ImportedMatrix(points: [], durations: [], distances: [])
        if let record, record.server == client.server {
            let points = record.points.compactMap { $0.count == 2 ? (lat: $0[0], lon: $0[1]) : nil }
            let durations = record.durationValues, distances = record.distanceValues
            let n = points.count
            if n == record.points.count, durations.count == n * n, distances.count == n * n {
                table = ImportedMatrix(points: points, durations: durations, distances: distances)
            }
        }
        let index = Dictionary(table.points.enumerated().map { (PointKey($1), $0) }, uniquingKeysWith: { a, _ in a })
        kept = Mutex(Kept(table: table, index: index, unsaved: false))
    }

    /// Seconds and metres between every pair of `points`, asking the server for what is not kept.
    /// - Throws: ``FieldRouteError/unavailable(_:)`` when the server does not answer;
    ///   ``FieldRouteError/badInput(_:)`` naming a point far from every road, or two with no road between.
    func matrix(points wanted: [(lat: Double, lon: Double)], names: [String]) throws(FieldRouteError) -> TravelMatrix {
        let index = try kept.withLock { (kept: inout Kept) throws(FieldRouteError) -> [Int] in
            try learn(wanted, names: names, &kept)
            return wanted.map { kept.index[PointKey($0)] ?? 0 }
        }
        return try kept.withLock { $0.table }.gather(index)
    }

    /// Metres and seconds from one point to another: the kept legs between their nearest kept points
    /// (within the snap radius), else the region's estimate; never asks the server.
    func leg(from a: (lat: Double, lon: Double), to b: (lat: Double, lon: Double)) -> (metres: Double, seconds: Double) {
        kept.withLock { kept in
            let table = kept.table
            guard !table.points.isEmpty else { return estimate.leg(from: a, to: b) }
            let (i, di) = kept.index[PointKey(a)].map { ($0, 0.0) } ?? table.nearest(a)
            let (j, dj) = kept.index[PointKey(b)].map { ($0, 0.0) } ?? table.nearest(b)
            guard di <= table.snapRadius, dj <= table.snapRadius else { return estimate.leg(from: a, to: b) }
            let k = i * table.points.count + j
            return i == j ? (0, 0) : (Double(table.distances[k]), Double(table.durations[k]))
        }
    }

    /// What to save, once per change: nil when the store already has everything kept.
    func unsavedRecord(at now: Int64) -> RouterLegsRecord? {
        kept.withLock { kept in
            guard kept.unsaved else { return nil }
            kept.unsaved = false
            let t = kept.table
            return RouterLegsRecord(regionId: regionId, server: client.server, points: t.points.map { [$0.lat, $0.lon] },
                                    durations: t.durations, distances: t.distances, updatedAt: now)
        }
    }

    /// Asks the server for every leg to or from a point of `wanted` not kept yet.
    private func learn(_ wanted: [(lat: Double, lon: Double)], names: [String], _ kept: inout Kept) throws(FieldRouteError) {
        var fresh: [(lat: Double, lon: Double)] = [], freshNames: [String] = [], seen = Set<PointKey>()
        for (k, p) in wanted.enumerated() where kept.index[PointKey(p)] == nil && seen.insert(PointKey(p)).inserted {
            fresh.append(p); freshNames.append(k < names.count ? names[k] : "point \(k)")
        }
        guard !fresh.isEmpty else { return }
        // The kept points that stay (all, or past capacity those this call needs), then the new ones.
        var old = Array(kept.table.points.indices)
        if old.count + fresh.count > Self.capacity {
            var needed = Set<Int>()
            for p in wanted { if let i = kept.index[PointKey(p)] { needed.insert(i) } }
            old = old.filter(needed.contains)
        }
        let before = kept.table, m = before.points.count
        let points = old.map { before.points[$0] } + fresh
        let n = points.count, keptCount = old.count
        var durations = [Int32](repeating: 0, count: n * n), distances = durations
        for (a, i) in old.enumerated() { for (b, j) in old.enumerated() {
            durations[a * n + b] = before.durations[i * m + j]; distances[a * n + b] = before.distances[i * m + j]
        } }
        let allNames = (0..<n).map { k in k < keptCount ? "point \(points[k].lat),\(points[k].lon)" : freshNames[k - keptCount] }
        try client.fill(points, names: allNames, known: keptCount, durations: &durations, distances: &distances)
        kept.table = ImportedMatrix(points: points, durations: durations, distances: distances)
        kept.index = Dictionary(points.enumerated().map { (PointKey($1), $0) }, uniquingKeysWith: { a, _ in a })
        kept.unsaved = true
    }
}

/// A point by its exact coordinates (bit patterns), for lookups that must not snap.
struct PointKey: Hashable {
    let lat: UInt64, lon: UInt64
    init(_ p: (lat: Double, lon: Double)) { lat = p.lat.bitPattern; lon = p.lon.bitPattern }
}

extension Engine {
    /// Saves what the region's OSRM server taught `travel` since the store last saw it, when `db` may
    /// write (a read snapshot keeps it in memory until a later write).
    static func keepRouterLegs(_ travel: TravelSource, _ db: StoreTransaction) throws {
        guard case let .osrm(server) = travel, try db.canWrite(), var record = server.unsavedRecord(at: Int64(Date().timeIntervalSince1970))
        else { return }
        try db.save(&record)
    }
}
