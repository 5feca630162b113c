import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// A region whose `travel` setting names an OSRM server: plan and dispatch take their travel times
/// from its `table` service, keep them per pair of points, and fail clearly when it is down.
@Suite struct OSRMTravelTests {
    /// Two technicians and 20 bookings on points of ../shared/osrm/monaco-200.json (the snapped ones),
    /// or, without it, on made-up Monaco coordinates (for the tests that need no server).
    static func monacoDay(points: [(lat: Double, lon: Double)], server: String, maxTableSize: Int = 100) throws -> Engine {
        let engine = try makeEngine()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\n"
            + (0..<2).map { "T-0\($0 + 1),Tech\($0 + 1),\(points[$0].lat),\(points[$0].lon)\n" }.joined())
        try importText(engine, .customers, sampleCustomers)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-24,08:00,17:00\nT-02,2026-11-24,08:00,17:00\n")
        try importText(engine, .bookings, "id,customer,date,lat,lon,duration_min,windows\n"
            + (2..<22).map { "B-\($0),C-1,2026-11-24,\(points[$0].lat),\(points[$0].lon),20,08:00-17:00\n" }.joined())
        _ = try engine.setSetting(key: "travel", json: #"{"osrm": "\#(server)", "osrmMaxTableSize": \#(maxTableSize)}"#)
        return engine
    }

    static let madeUp: [(lat: Double, lon: Double)] = (0..<40).map { (k: Int) -> (lat: Double, lon: Double) in
        let row = Double(k % 7), column = Double(k / 7)
        return (lat: 43.73 + row * 0.002, lon: 7.41 + column * 0.003)
    }
    /// 06:00 in Paris on 2026-11-24: before every shift.
    static let morning = "1795496400"

    /// The engine's error `body` throws; nil (and a recorded issue) when it goes through.
    func failure(_ what: String, _ body: () throws -> Void) -> FieldRouteError? {
        do { try body() } catch let error as FieldRouteError { return error } catch { Issue.record("\(what): \(error)"); return nil }
        Issue.record("\(what) went through")
        return nil
    }

    func insert(_ id: String, at p: (lat: Double, lon: Double), commit: Bool) -> DispatchRequest {
        DispatchRequest(op: .insertJob, date: "2026-11-24", now: Self.morning, commit: commit,
                        job: .init(id: id, customer: "C-1", lat: p.lat, lon: p.lon, durationMin: 15, windows: ["09:00-16:00"]))
    }

    @Test(arguments: [
        #"{"osrm": "ftp://127.0.0.1:5000"}"#, #"{"osrm": "not an address"}"#, #"{"osrm": "http://127.0.0.1:5000/?x=1"}"#,
        #"{"osrm": "http://127.0.0.1:5000", "osrmMaxTableSize": 1}"#, #"{"osrm": "http://h", "osrmProfile": "../x"}"#,
        #"{"osrm": "http://h", "osrmTimeoutSeconds": 0}"#,
    ])
    func anAddressThatIsNoServerIsRefused(json: String) throws {
        let engine = try makeEngine()
        #expect { _ = try engine.setSetting(key: "travel", json: json) } throws: { error in
            (error as? FieldRouteError)?.description.hasPrefix("travel.osrm") == true
        }
    }

    @Test func aServerThatIsDownIsAnErrorNotAnEstimate() throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let engine = try Self.monacoDay(points: Self.madeUp, server: "http://127.0.0.1:1")
        // A day planned on the estimate, before the region named its server.
        _ = try engine.setSetting(key: "travel", json: #"{"osrm": null}"#)
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 10))
        _ = try engine.setSetting(key: "travel", json: #"{"osrm": "http://127.0.0.1:1"}"#)
        let before = try fingerprint(engine.store)
        let error = failure("a plan without its OSRM server") {
            _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 10))
        }
        #expect(error?.exitCode == 4)
        #expect(error?.description.hasPrefix("the OSRM server http://127.0.0.1:1 did not answer:") == true, "\(String(describing: error))")
        let call = DispatchCall.run(Data(#"{"op": "insert_job", "date": "2026-11-24", "commit": false, "job": {"id": "B-X", "customer": "C-1", "lat": 43.731, "lon": 7.413, "duration_min": 15, "windows": ["09:00-16:00"]}}"#.utf8), engine: engine)
        #expect(call.exitCode == 4 && call.json.contains(#""code" : "unavailable""#), "\(call.json)")
        #expect(try fingerprint(engine.store) == before)
        #expect(try fingerprint(engine.store) == before)
    }

    @Test(.enabled(if: OSRMRouted.available, OSRMRouted.why))
    func planAndDispatchDriveOnTheServersTimesKeptPerPair() throws {
        let monaco = try MonacoTable.load()
        let server = try OSRMRouted.start()
        defer { server.stop() }
        // Ten coordinates a request: the 22 points take 9 requests of at most 5 × 5.
        let engine = try Self.monacoDay(points: monaco.points, server: server.address, maxTableSize: 10)
        let plan = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 200, seed: 1))
        #expect(plan.assigned == 20)

        // What the server answered is kept, and is the shared table of the same OSRM release.
        let legs = try #require(try engine.store.readDatabase { db in try RouterLegsRecord.fetchOne(db) })
        #expect(legs.server == server.address && legs.points.count == 22)
        #expect(monaco.mismatches(legs) == 0)

        // The same plan as the imported table of those points.
        let imported = try Self.monacoDay(points: monaco.points, server: server.address)
        _ = try imported.setSetting(key: "travel", json: #"{"osrm": null}"#)
        try imported.importMatrix(path: monacoPath)
        #expect(try imported.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 200, seed: 1)).cost == plan.cost)

        // A committed insert at a new point asks for that point only, and keeps it.
        let done = try engine.dispatcher.dispatch(insert("B-NEW", at: monaco.points[30], commit: true))
        #expect(done.committed)
        let grown = try #require(try engine.store.readDatabase { db in try RouterLegsRecord.fetchOne(db) })
        #expect(grown.points.count == 23 && monaco.mismatches(grown) == 0)

        // With the server gone, what is kept still answers; a point never asked about is an error.
        server.stop()
        let known = try engine.dispatcher.dispatch(insert("B-SAME", at: monaco.points[5], commit: false))
        #expect(known.chosen != nil)
        let gone = failure("a dispatch without its OSRM server") {
            _ = try engine.dispatcher.dispatch(insert("B-FAR", at: monaco.points[31], commit: false))
        }
        #expect(gone?.exitCode == 4 && gone?.description.contains("did not answer") == true, "\(String(describing: gone))")
    }

    @Test(.enabled(if: OSRMRouted.available, OSRMRouted.why))
    func aSiteFarFromEveryRoadIsNamed() throws {
        let monaco = try MonacoTable.load()
        let server = try OSRMRouted.start()
        defer { server.stop() }
        let engine = try Self.monacoDay(points: monaco.points, server: server.address)
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 20, seed: 1))
        // Out at sea, 3 km south of Monaco's coast.
        let error = failure("a visit at sea") { _ = try engine.dispatcher.dispatch(insert("B-SEA", at: (43.70, 7.42), commit: false)) }
        #expect(error?.exitCode == 2 && error?.description.hasPrefix("booking B-SEA is ") == true, "\(String(describing: error))")
        #expect(error?.description.contains("m from the nearest road the OSRM server") == true)
    }
}

/// ../shared/osrm/monaco-200.json: 200 snapped points and their OSRM table.
struct MonacoTable {
    var points: [(lat: Double, lon: Double)]
    var durations: [[Double]], distances: [[Double]]

    static func load() throws -> MonacoTable {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: monacoPath))) as? [String: Any])
        let points = try #require(root["points"] as? [[String: Any]]).compactMap { $0["snapped"] as? [Double] }
        return MonacoTable(points: points.map { (lat: $0[1], lon: $0[0]) },
                           durations: try #require(root["durations"] as? [[Double]]), distances: try #require(root["distances"] as? [[Double]]))
    }

    /// Kept legs that differ from the table's (rounded half away from zero, as FieldRoute rounds).
    func mismatches(_ legs: RouterLegsRecord) -> Int {
        let n = legs.points.count, durations = legs.durationValues, distances = legs.distanceValues
        let index = legs.points.map { p in points.firstIndex { $0.lat == p[0] && $0.lon == p[1] } }
        var wrong = 0
        for i in 0..<n { for j in 0..<n where i != j {
            guard let a = index[i], let b = index[j] else { wrong += 1; continue }
            if durations[i * n + j] != Int32(self.durations[a][b].rounded()) || distances[i * n + j] != Int32(self.distances[a][b].rounded()) {
                wrong += 1
            }
        } }
        return wrong
    }
}

/// A real osrm-routed on loopback, serving the Monaco extract `scripts/osrm-monaco.sh` prepared.
final class OSRMRouted {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build-osrm")
    static let binary = directory.appendingPathComponent("v/lib/python3.12/site-packages/osrm/bin/osrm-routed").path
    static let data = directory.appendingPathComponent("monaco.osrm").path
    static let available = FileManager.default.isExecutableFile(atPath: binary)
        && FileManager.default.fileExists(atPath: data + ".cell_metrics") && FileManager.default.fileExists(atPath: monacoPath)
    static let why: Comment = "needs osrm-routed and the Monaco extract: run scripts/osrm-monaco.sh (Python 3.12, ../shared/osrm)"

    let process: Process
    let address: String

    private init(process: Process, address: String) { self.process = process; self.address = address }

    /// Starts it on a free port and waits (up to 20 s) until its table service answers.
    static func start() throws -> OSRMRouted {
        for _ in 0..<5 {
            let port = try freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["-a", "MLD", "-i", "127.0.0.1", "-p", "\(port)", data]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let server = OSRMRouted(process: process, address: "http://127.0.0.1:\(port)")
            let probe = "\(server.address)/table/v1/driving/7.42,43.73;7.43,43.74"
            for _ in 0..<200 where process.isRunning {
                if let text = try? String(contentsOf: URL(string: probe)!, encoding: .utf8), text.contains("\"Ok\"") { return server }
                Thread.sleep(forTimeInterval: 0.1)
            }
            server.stop()  // the port was taken meanwhile, or it did not come up: try another
        }
        throw OSRMError(message: "osrm-routed did not start (\(binary))")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    struct OSRMError: Error { var message: String }

    /// A port nothing listens on now (bound to port 0, then released).
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw OSRMError(message: "no socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0 }
        }
        guard bound else { throw OSRMError(message: "cannot bind a port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
