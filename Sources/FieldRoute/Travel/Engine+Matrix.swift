import FieldStore
import Foundation

/// What `import matrix` stored.
public struct MatrixImportSummary: Sendable, Codable, Equatable {
    public var region: String
    public var points: Int
    /// False when the file had no distances and they were estimated from durations.
    public var distancesFromRouter: Bool
}

extension Engine {
    /// Imports a travel-time table from a router and makes it the region's travel model. Accepts the
    /// OSRM `table` service's answer (`durations`, optional `distances`, `sources` = `destinations`
    /// with `location` [lon, lat]) or the same tables with `points` (`snapped` or `location`). Every row
    /// must have one number per point; a null (no route), a negative or a non-numeric entry is refused
    /// with its position. Replaces the region's previous table in one transaction.
    @discardableResult
    public func importMatrix(path: String, region: String? = nil) throws(FieldRouteError) -> MatrixImportSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .importFailed(ImportError(file: path, line: 0, field: "", reason: "cannot read the file"))
        }
        let (points, durations, distances, fromRouter) = try Self.matrixTables(data, file: path)
        do {
            return try store.write { db in
                var regionRecord = try Engine.region(named: region, db)
                var record = TravelMatrixRecord(regionId: regionRecord.id ?? 0, source: path, points: points.map { [$0.lat, $0.lon] },
                                                durations: durations, distances: distances,
                                                importedAt: Int64(Date().timeIntervalSince1970))
                try db.save(&record)
                regionRecord.travelModel = "matrix"
                try db.update(regionRecord)
                return MatrixImportSummary(region: regionRecord.name, points: points.count, distancesFromRouter: fromRouter)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// The tables of an OSRM `table` answer (`file` names it in errors), checked as
    /// ``importMatrix(path:region:)`` checks them; nothing is stored (the fuzzer's entry).
    package static func matrixTables(_ data: Data, file path: String) throws(FieldRouteError)
        -> (points: [(lat: Double, lon: Double)], durations: [Int32], distances: [Int32], fromRouter: Bool) {
        let fail = { (field: String, reason: String) in FieldRouteError.importFailed(ImportError(file: path, line: 0, field: field, reason: reason)) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("", "not a JSON object (expected the OSRM table answer)")
        }
        if let code = root["code"] as? String, code != "Ok" { throw fail("code", "OSRM answered '\(code)', not 'Ok'") }
        let points = try Self.matrixPoints(root, fail: fail)
        let durations = try Self.table(root["durations"], name: "durations", rows: points.count, columns: points.count,
                                       largest: Self.longestLeg, fail: fail)
        let distances: [Int32]
        let fromRouter = root["distances"] != nil
        if fromRouter {
            distances = try Self.table(root["distances"], name: "distances", rows: points.count, columns: points.count,
                                       largest: Self.farthestLeg, fail: fail)
        } else {
            let metresPerSecond = TravelTimeModel().speedKmh / 3.6
            distances = durations.map { Int32((Double($0) * metresPerSecond).rounded()) }
        }
        return (points, durations, distances, fromRouter)
    }

    /// The region's travel source: its OSRM server when its `travel` setting names one; else its
    /// imported table when it has one; else the estimate from its `travel` setting (or `override`,
    /// when a caller gives one).
    static func travelSource(for region: RegionRecord, override: TravelTimeModel? = nil, _ db: StoreTransaction) throws -> TravelSource {
        let regionId = region.id ?? 0, settings = try Engine.setting(TravelSettings.self, regionId: regionId, db)
        if let client = settings.osrmClient {
            return .osrm(OSRMTravel(client: client, regionId: regionId, estimate: settings.model, record: try db.routerLegs(regionId: regionId)))
        }
        guard region.travelModel == "matrix", let record = try db.travelMatrix(regionId: regionId) else {
            return .estimate(override ?? settings.model)
        }
        return .table(ImportedMatrix(record))
    }

    private static func matrixPoints(_ root: [String: Any], fail: (String, String) -> FieldRouteError)
        throws(FieldRouteError) -> [(lat: Double, lon: Double)] {
        func read(_ list: Any?, _ name: String, keys: [String]) throws(FieldRouteError) -> [(lat: Double, lon: Double)]? {
            guard let list else { return nil }
            guard let items = list as? [[String: Any]], !items.isEmpty else { throw fail(name, "expected a non-empty list of waypoints") }
            var out: [(lat: Double, lon: Double)] = []
            for (k, item) in items.enumerated() {
                guard let c = keys.lazy.compactMap({ item[$0] as? [Double] }).first, c.count == 2,
                      (-180...180).contains(c[0]), (-90...90).contains(c[1]) else {
                    throw fail("\(name)[\(k)]", "needs \(keys.joined(separator: " or ")) as [lon, lat]")
                }
                out.append((lat: c[1], lon: c[0]))
            }
            return out
        }
        if let points = try read(root["points"], "points", keys: ["snapped", "location"]) { return points }
        guard let sources = try read(root["sources"], "sources", keys: ["location"]) else {
            throw fail("sources", "no waypoints: expected OSRM's sources and destinations, or points")
        }
        if let destinations = try read(root["destinations"], "destinations", keys: ["location"]),
           !destinations.elementsEqual(sources, by: { $0.lat == $1.lat && $0.lon == $1.lon }) {
            throw fail("destinations", "must equal sources: a travel matrix is square (request the table without sources= and destinations=)")
        }
        return sources
    }

    /// The longest leg a table may give (seconds: a week) and the farthest (metres: 100,000 km); beyond,
    /// it is no road, and distances estimated from durations stay far inside Int32.
    static let longestLeg = 7.0 * 86_400, farthestLeg = 1e8

    /// A `rows × columns` table of non-negative numbers up to `largest`, rounded, row-major. A null
    /// entry is `noRoute(i, j)` when given (a live server's answer names the points), else `fail`.
    static func table(_ any: Any?, name: String, rows: Int, columns: Int, largest: Double, fail: (String, String) -> FieldRouteError,
                      noRoute: ((Int, Int) -> FieldRouteError)? = nil) throws(FieldRouteError) -> [Int32] {
        guard let list = any as? [Any] else { throw fail(name, "missing: expected a list of \(rows) rows") }
        guard list.count == rows else { throw fail(name, "has \(list.count) rows for \(rows) points") }
        var out = [Int32](repeating: 0, count: rows * columns)
        for (i, rowAny) in list.enumerated() {
            guard let row = rowAny as? [Any] else { throw fail("\(name)[\(i)]", "is not a list") }
            guard row.count == columns else { throw fail("\(name)[\(i)]", "has \(row.count) entries, expected \(columns) (ragged matrix)") }
            for (j, cell) in row.enumerated() {
                if cell is NSNull {
                    throw noRoute?(i, j) ?? fail("\(name)[\(i)][\(j)]", "is null: the router found no route between these points")
                }
                guard let v = cell as? Double, !isJSONBoolean(cell) else {
                    throw fail("\(name)[\(i)][\(j)]", "'\(cell)' is not a number")
                }
                guard v.isFinite, v >= 0, v < 1e9 else { throw fail("\(name)[\(i)][\(j)]", "\(v) is not a non-negative number") }
                guard v <= largest else { throw fail("\(name)[\(i)][\(j)]", "\(v) is beyond \(Int(largest)): no road") }
                out[i * columns + j] = Int32(v.rounded())
            }
        }
        return out
    }
}
