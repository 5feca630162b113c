import Foundation

/// Where a VROOM problem given by coordinates (vehicles' `start`/`end`, jobs' `location`, no
/// `matrices`) takes its matrices from: an OSRM server's `table` service, as `vroom -r osrm` does.
public struct VroomRouter: Sendable {
    let client: OSRMClient

    /// The OSRM server at `address` (`http://host:port`); its table is asked in blocks of at most
    /// `maxTableSize` coordinates (osrm-routed's `--max-table-size`).
    public init(osrm address: String, maxTableSize: Int = 100) throws(FieldRouteError) {
        var settings = TravelSettings()
        settings.osrm = address; settings.osrmMaxTableSize = maxTableSize
        do { try settings.validate() } catch {
            throw .badInput("--osrm wants a server address such as http://127.0.0.1:5000 (and a table size of 2–10000), got '\(address)'")
        }
        guard var client = settings.osrmClient else { throw .internalFailure("an OSRM address that makes no client: \(address)") }
        client.hint = "The problem's locations are coordinates: start the server, or give matrices"
        self.client = client
    }

    /// Seconds and metres between every pair of `points`, row-major.
    func table(_ points: [(lat: Double, lon: Double)], names: [String]) throws(FieldRouteError) -> (durations: [Int32], distances: [Int32]) {
        var durations = [Int32](repeating: 0, count: points.count * points.count), distances = durations
        try client.fill(points, names: names, known: 0, durations: &durations, distances: &distances)
        return (durations, distances)
    }
}

extension VroomProblem {
    /// The most distinct locations a problem given by coordinates may have.
    static let largestLocated = 2_000

    /// VROOM's coordinates (`[lon, lat]`), checked. With `matrices`, a coordinate is echoed in the
    /// answer and needs its index beside it. Without, every location is a coordinate: they become
    /// indices into matrices asked from `router` (an error without one). Returns the problem as an
    /// indexed one, and the coordinates to echo by matrix index.
    static func locate(_ root: [String: Any], router: VroomRouter?, fail: (String, String) -> FieldRouteError)
        throws(FieldRouteError) -> (root: [String: Any], coordinates: [Int: [Double]]) {
        var root = root, echo: [Int: [Double]] = [:]
        let indexed = root["matrices"] != nil || root["matrix"] != nil
        var points: [(lat: Double, lon: Double)] = [], names: [String] = [], placed: [PointKey: Int] = [:]
        func coordinate(_ value: Any, _ path: String) throws(FieldRouteError) -> (lat: Double, lon: Double) {
            guard let pair = value as? [Any], pair.count == 2, !isJSONBoolean(pair[0]), !isJSONBoolean(pair[1]),
                  let lon = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue,
                  (-180...180).contains(lon), (-90...90).contains(lat) else {
                throw fail(path, "wants [lon, lat] with lon in -180…180 and lat in -90…90")
            }
            return (lat, lon)
        }
        // One object's coordinate key (`start`, `end`, `location`) and the index key beside it.
        func visit(_ object: inout [String: Any], _ key: String, _ indexKey: String, _ path: String) throws(FieldRouteError) {
            guard let value = object[key] else { return }
            let c = try coordinate(value, "\(path).\(key)")
            if indexed {
                guard let i = (object[indexKey] as? NSNumber)?.intValue else {
                    throw fail("\(path).\(key)", "with matrices, give \(indexKey) too (the coordinates are only echoed)")
                }
                echo[i] = [c.lon, c.lat]
                return
            }
            guard object[indexKey] == nil else { throw fail("\(path).\(indexKey)", "indexes matrices, and there are none") }
            let k = PointKey(c)
            if placed[k] == nil {
                guard points.count < largestLocated else { throw fail(path, "more than \(largestLocated) distinct locations") }
                placed[k] = points.count; points.append(c); names.append("\(path).\(key) [\(c.lon), \(c.lat)]")
            }
            let i = placed[k] ?? 0
            object[indexKey] = i
            echo[i] = [c.lon, c.lat]
        }
        for (list, keys) in [("vehicles", [("start", "start_index"), ("end", "end_index")]), ("jobs", [("location", "location_index")])] {
            guard var items = root[list] as? [Any] else { continue }
            for k in items.indices {
                guard var object = items[k] as? [String: Any] else { continue }
                for (key, indexKey) in keys { try visit(&object, key, indexKey, "\(list)[\(k)]") }
                items[k] = object
            }
            root[list] = items
        }
        guard !indexed, !points.isEmpty else { return (root, echo) }
        guard let router else {
            throw fail("matrices", "locations given as coordinates need a routing server: fieldroute solve FILE.json --osrm "
                       + "http://127.0.0.1:5000 (or give matrices)")
        }
        let table = try router.table(points, names: names)
        let n = points.count
        let rows = { (flat: [Int32]) in (0..<n).map { i in flat[(i * n)..<((i + 1) * n)].map { Int($0) } } }
        let profile = ((root["vehicles"] as? [Any])?.first as? [String: Any])?["profile"] as? String ?? "car"
        root["matrices"] = [profile: ["durations": rows(table.durations), "distances": rows(table.distances)]]
        return (root, echo)
    }
}
