import FieldRoute
import Foundation
import Testing

/// Issue 19: VROOM problems whose locations are coordinates, their matrices asked from an OSRM server.
@Suite struct VroomLocationTests {
    func failure(_ json: String, router: VroomRouter? = nil) -> String {
        do { _ = try VroomProblem.parse(Data(json.utf8), file: "p.json", router: router) } catch { return error.description }
        return "parsed"
    }

    @Test(arguments: [
        (#"{"vehicles": [{"id": 1, "start": [7.42, 43.73]}], "jobs": [{"id": 1, "location": [7.43, 43.74]}]}"#,
         "p.json: matrices: locations given as coordinates need a routing server: fieldroute solve FILE.json --osrm"),
        (#"{"vehicles": [{"id": 1, "start": [7.42, 43.73]}], "jobs": [{"id": 1, "location": [7.43, 143.74]}]}"#,
         "p.json: jobs[0].location: wants [lon, lat] with lon in -180…180 and lat in -90…90"),
        (#"{"vehicles": [{"id": 1, "start": [7.42, 43.73]}], "jobs": [{"id": 1, "location": [true, 43.74]}]}"#,
         "p.json: jobs[0].location: wants [lon, lat]"),
        (#"{"vehicles": [{"id": 1, "start": [7.42, 43.73]}], "jobs": [{"id": 1, "location": [7.43, 43.74], "location_index": 0}]}"#,
         "p.json: jobs[0].location_index: indexes matrices, and there are none"),
        (#"{"vehicles": [{"id": 1, "start_index": 0}], "jobs": [{"id": 1, "location": [7.43, 43.74]}], "matrix": [[0, 1], [1, 0]]}"#,
         "p.json: jobs[0].location: with matrices, give location_index too"),
    ])
    func coordinatesAreCheckedAndNeedAServer(json: String, message: String) {
        let text = failure(json)
        #expect(text.hasPrefix(message), "\(text)")
    }

    @Test func aServerThatIsDownIsUnavailable() throws {
        let router = try VroomRouter(osrm: "http://127.0.0.1:1")
        do {
            _ = try VroomProblem.parse(Data(#"{"vehicles": [{"id": 1, "start": [7.42, 43.73]}], "jobs": [{"id": 1, "location": [7.43, 43.74]}]}"#.utf8),
                                       file: "p.json", router: router)
            Issue.record("parsed without its server")
        } catch {
            #expect(error.exitCode == 4 && error.description.hasPrefix("the OSRM server http://127.0.0.1:1 did not answer"), "\(error)")
        }
        #expect(throws: FieldRouteError.self) { try VroomRouter(osrm: "ftp://x") }
    }

    @Test func coordinatesWithMatricesAreEchoed() throws {
        let json = #"{"vehicles": [{"id": 1, "start_index": 0, "start": [7.42, 43.73]}], "jobs": [{"id": 5, "location_index": 1, "location": [7.43, 43.74]}], "matrix": [[0, 60], [70, 0]]}"#
        let text = try JSONSerialization.data(withJSONObject: try VroomProblem.parse(Data(json.utf8), file: "p.json")
            .solve(seed: 1, timeLimit: nil, iterations: 50))
        let answer = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
        let steps = try #require(((answer["routes"] as? [[String: Any]])?.first)?["steps"] as? [[String: Any]])
        #expect(steps.map { $0["location"] as? [Double] } == [[7.42, 43.73], [7.43, 43.74]])
    }

    @Test(.enabled(if: OSRMRouted.available, OSRMRouted.why))
    func locatedProblemsDriveOnTheServersTable() throws {
        let monaco = try MonacoTable.load()
        let server = try OSRMRouted.start()
        defer { server.stop() }
        // Two vehicles home at points 0 and 1; 30 jobs on points 2–31, one of them given twice (one location).
        func at(_ k: Int) -> String { "[\(monaco.points[k].lon), \(monaco.points[k].lat)]" }
        let vehicles = (0..<2).map { #"{"id": \#($0 + 1), "start": \#(at($0)), "end": \#(at($0)), "time_window": [0, 28800]}"# }
        let jobs = (2..<32).map { #"{"id": \#($0), "location": \#(at($0)), "service": 300}"# } + [#"{"id": 99, "location": \#(at(5)), "service": 60}"#]
        let json = #"{"vehicles": [\#(vehicles.joined(separator: ", "))], "jobs": [\#(jobs.joined(separator: ", "))]}"#
        let problem = try VroomProblem.parse(Data(json.utf8), file: "p.json", router: try VroomRouter(osrm: server.address, maxTableSize: 10))
        let text = try JSONSerialization.data(withJSONObject: problem.solve(seed: 1, timeLimit: nil, iterations: 500))
        let answer = try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(summary["unassigned"] as? Int == 0)
        // Every route's cost is its legs in the shared Monaco table (rounded), from the echoed coordinates.
        let index = { (c: [Double]) in monaco.points.firstIndex { $0.lon == c[0] && $0.lat == c[1] } }
        var total = 0
        for route in try #require(answer["routes"] as? [[String: Any]]) {
            let places = try #require(route["steps"] as? [[String: Any]]).map { $0["location"] as? [Double] }.compactMap { $0 }.compactMap(index)
            let legs = zip(places, places.dropFirst()).map { a, b in a == b ? 0 : Int(monaco.durations[a][b].rounded()) }
            #expect(legs.reduce(0, +) == route["cost"] as? Int)
            total += legs.reduce(0, +)
        }
        #expect(summary["cost"] as? Int == total && total > 0)
        #expect(summary["distance"] as? Int ?? 0 > 0)
    }
}
