import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A region's OSRM server, asked through its `table` service
/// (`GET /table/v1/{profile}/{lon,lat;…}?annotations=duration,distance&sources=…&destinations=…`).
/// Every failure is ``FieldRouteError/unavailable(_:)`` naming the server and what went wrong: travel
/// times come from it alone, never from a silent estimate.
struct OSRMClient: Sendable {
    /// The server's address, without a trailing slash (`http://127.0.0.1:5000`).
    let server: String
    let profile: String
    /// The most coordinates one request may carry (osrm-routed's `--max-table-size`, 100 by default).
    let maxTableSize: Int
    /// Seconds to wait for one answer.
    let timeout: Double
    /// What to do when it does not answer, for the error (the region's setting, or the command's option).
    var hint = ""
    /// A point farther than this (metres) from every road the server knows is an error, not a guess.
    static let snapLimit = 500.0

    /// Seconds and metres between every pair of `points` (row-major, `points.count` squared) into
    /// `durations` and `distances`, except between the first `known` points, which hold them already.
    /// Asked in blocks of half ``maxTableSize`` a side, so that no request carries more coordinates.
    func fill(_ points: [(lat: Double, lon: Double)], names: [String], known: Int,
              durations: inout [Int32], distances: inout [Int32]) throws(FieldRouteError) {
        let n = points.count, side = max(1, maxTableSize / 2)
        let blocks = stride(from: 0, to: n, by: side).map { $0..<min(n, $0 + side) }
        for rows in blocks { for columns in blocks where rows.upperBound > known || columns.upperBound > known {
            let answer = try block(sources: rows.map { points[$0] }, destinations: columns.map { points[$0] },
                                   names: (rows.map { names[$0] }, columns.map { names[$0] }))
            for (a, i) in rows.enumerated() { for (b, j) in columns.enumerated() where i != j {
                durations[i * n + j] = answer.durations[a * columns.count + b]
                distances[i * n + j] = answer.distances[a * columns.count + b]
            } }
        } }
    }

    /// One block of the table: seconds and metres from each of `sources` to each of `destinations`,
    /// row-major (`sources.count × destinations.count`). `names` name the points in errors.
    func block(sources: [(lat: Double, lon: Double)], destinations: [(lat: Double, lon: Double)],
               names: (sources: [String], destinations: [String])) throws(FieldRouteError) -> (durations: [Int32], distances: [Int32]) {
        let same = sources.elementsEqual(destinations) { $0.lat == $1.lat && $0.lon == $1.lon }
        let points = same ? sources : sources + destinations
        guard points.count <= maxTableSize else {
            throw .internalFailure("an OSRM request of \(points.count) coordinates, over the limit of \(maxTableSize)")
        }
        let coordinates = points.map { "\($0.lon),\($0.lat)" }.joined(separator: ";")
        var query = "annotations=duration,distance"
        if !same {
            query += "&sources=" + (0..<sources.count).map(String.init).joined(separator: ";")
            query += "&destinations=" + (sources.count..<points.count).map(String.init).joined(separator: ";")
        }
        let address = "\(server)/table/v1/\(profile)/\(coordinates)?\(query)"
        guard let url = URL(string: address) else { throw .badInput("travel.osrm: '\(server)' does not make a URL") }
        let data = try get(url)
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .unavailable("the OSRM server \(server) answered something that is not JSON (\(data.count) bytes)")
        }
        let fail = { (field: String, reason: String) in
            FieldRouteError.unavailable("the OSRM server \(server) answered a table with \(field): \(reason)")
        }
        guard root["code"] as? String == "Ok" else {
            let code = root["code"] as? String ?? "no code", message = root["message"] as? String ?? ""
            throw .unavailable("the OSRM server \(server) answered '\(code)' \(message)".trimmingCharacters(in: .whitespaces))
        }
        try checkSnaps(root["sources"], names: names.sources, fail: fail)
        try checkSnaps(root["destinations"], names: names.destinations, fail: fail)
        let noRoute = { [server] (i: Int, j: Int) in
            FieldRouteError.badInput("no road from \(names.sources[i]) to \(names.destinations[j]) on the OSRM server \(server)")
        }
        let durations = try Engine.table(root["durations"], name: "durations", rows: sources.count, columns: destinations.count,
                                         largest: Engine.longestLeg, fail: fail, noRoute: noRoute)
        let distances = try Engine.table(root["distances"], name: "distances", rows: sources.count, columns: destinations.count,
                                         largest: Engine.farthestLeg, fail: fail, noRoute: noRoute)
        return (durations, distances)
    }

    /// Every waypoint within ``snapLimit`` of a road.
    private func checkSnaps(_ any: Any?, names: [String], fail: (String, String) -> FieldRouteError) throws(FieldRouteError) {
        guard let waypoints = any as? [[String: Any]], waypoints.count == names.count else {
            throw fail("waypoints", "not the \(names.count) asked for")
        }
        for (k, w) in waypoints.enumerated() {
            if let metres = w["distance"] as? Double, metres > Self.snapLimit {
                throw .badInput("\(names[k]) is \(Int(metres)) m from the nearest road the OSRM server \(server) knows "
                                + "(limit \(Int(Self.snapLimit)) m): check its coordinates, or the server's map")
            }
        }
    }

    /// The body of a GET answered 200, or why not.
    private func get(_ url: URL) throws(FieldRouteError) -> Data {
        let outcome = Mutex<Result<(Data, Int), any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            let result: Result<(Data, Int), any Error> = if let error { .failure(error) }
                else { .success((data ?? Data(), (response as? HTTPURLResponse)?.statusCode ?? 0)) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        task.resume()
        done.wait()
        switch outcome.withLock({ $0 }) {
        case let .success((data, 200)): return data
        case let .success((data, status)):
            // OSRM explains a refusal in JSON ({"code": "TooBig", "message": …}).
            let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let why = [root?["code"] as? String, root?["message"] as? String].compactMap { $0 }.joined(separator: ": ")
            throw .unavailable("the OSRM server \(server) answered HTTP \(status)\(why.isEmpty ? "" : " (\(why))")")
        case let .failure(error):
            throw .unavailable("the OSRM server \(server) did not answer: \(error.localizedDescription)\(hint.isEmpty ? "" : ". " + hint)")
        case nil:
            throw .internalFailure("the OSRM request to \(server) finished without an outcome")
        }
    }
}
