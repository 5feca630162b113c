import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

@Suite struct PingIngestTests {
    /// A planned day and a CSV of pings: the technician of B-1 drives to its site, stays 10 minutes,
    /// drives off; 5-second fixes.
    func setUp() throws -> (Engine, String, String, URL) {
        let engine = try makeEngine()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-01,Ana,45.76,4.85\n")
        try importText(engine, .customers, sampleCustomers)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-24,08:00,17:00\n")
        try importText(engine, .bookings, "id,customer,date,lat,lon,duration_min,windows\nB-1,C-1,2026-11-24,45.75,4.84,10,09:00-11:00\n")
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 5))
        var csv = "technician,timestamp,lat,lon,accuracy\n"
        var t: Int64 = 1_795_507_200  // 09:00 Paris
        for k in stride(from: 1_000.0, through: 0, by: -50) { csv += "T-01,\(t),\(45.75 - k / 111_195),4.84,8\n"; t += 5 }
        for _ in 0..<120 { csv += "T-01,\(t),45.75,4.84,8\n"; t += 5 }
        for k in stride(from: 50.0, through: 1_000, by: 50) { csv += "T-01,\(t),\(45.75 + k / 111_195),4.84,8\n"; t += 5 }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pings-\(UUID()).csv")
        try Data(csv.utf8).write(to: url)
        return (engine, "B-1", csv, url)
    }

    @Test func aVisitBecomesArrivedThenCompleted() throws {
        let (engine, booking, _, url) = try setUp()
        defer { try? FileManager.default.removeItem(at: url) }
        let summary = try engine.tracker.ingestPings(path: url.path)
        #expect(summary.stored == summary.rows)
        #expect(summary.arrived == 1 && summary.completed == 1)
        let all = try engine.tracker.events()
        // The approach zone (1.5 km) confirms first: "arriving in N min".
        #expect(all.map(\.kind) == ["approach", "enter", "dwell", "exit"])
        #expect(all.allSatisfy { $0.booking == booking })
        let events = all.filter { $0.fence == "site-B-1" }
        let (status, stop) = try engine.store.readDatabase { db in
            (try BookingRecord.fetch(externalId: booking, in: db).status, try StopRecord.fetchOne(db))
        }
        #expect(status == .completed)
        #expect(stop?.actualArrival == events[1].timestamp)
        #expect(stop?.actualDeparture == events[2].timestamp)
    }

    @Test func ingestingTwiceChangesNothing() throws {
        let (engine, _, _, url) = try setUp()
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try engine.tracker.ingestPings(path: url.path)
        let before = try fingerprint(engine.store)
        let again = try engine.tracker.ingestPings(path: url.path)
        #expect(again.stored == 0 && again.events == 0)
        #expect(try fingerprint(engine.store) == before)
    }

    /// Whatever batch a run stopped after, finishing the ingest gives the same events, none twice.
    @Test(arguments: [1, 7, 40, 60])
    func anInterruptedIngestResumesExactly(batches: Int) throws {
        let (clean, _, csv, url) = try setUp()
        defer { try? FileManager.default.removeItem(at: url) }
        _ = try clean.tracker.ingestPings(path: url.path, batchSize: 5)
        let expected = try clean.tracker.events()

        let (engine, _, _, url2) = try setUp()
        defer { try? FileManager.default.removeItem(at: url2) }
        // The first `batches` batches of 5 committed, then the process died.
        let lines = csv.split(separator: "\n")
        let partial = FileManager.default.temporaryDirectory.appendingPathComponent("partial-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: partial) }
        try Data((lines.prefix(1 + 5 * batches).joined(separator: "\n") + "\n").utf8).write(to: partial)
        _ = try engine.tracker.ingestPings(path: partial.path, batchSize: 5)
        _ = try engine.tracker.ingestPings(path: url2.path, batchSize: 5)
        #expect(try engine.tracker.events() == expected)
    }

    @Test func aBadRowStoresNothing() throws {
        let (engine, _, csv, url) = try setUp()
        defer { try? FileManager.default.removeItem(at: url) }
        try Data((csv + "T-01,1795600000,45.75,200,8\n").utf8).write(to: url)
        let before = try fingerprint(engine.store)
        #expect(throws: FieldRouteError.self) { try engine.tracker.ingestPings(path: url.path) }
        #expect(try fingerprint(engine.store) == before)
    }

    @Test func importsGeoJSONFencesAndRefusesInvalidOnes() throws {
        let engine = try makeEngine()
        let good = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "id": "depot", "properties": {"kind": "depot"},
           "geometry": {"type": "Polygon", "coordinates": [[[4.85, 45.75], [4.86, 45.75], [4.86, 45.76], [4.85, 45.75]]]}},
          {"type": "Feature", "properties": {"id": "yard", "radius": 40},
           "geometry": {"type": "Point", "coordinates": [4.80, 45.70]}}
        ]}
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fences-\(UUID()).geojson")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(good.utf8).write(to: url)
        #expect(try engine.tracker.importFences(path: url.path) == 2)
        let bowtie = good.replacingOccurrences(of: "\"id\": \"depot\"", with: "\"id\": \"bowtie\"")
            .replacingOccurrences(of: "[[[4.85, 45.75], [4.86, 45.75], [4.86, 45.76], [4.85, 45.75]]]",
                                  with: "[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]")
            .replacingOccurrences(of: "\"yard\"", with: "\"yard2\"")
        try Data(bowtie.utf8).write(to: url)
        let before = try fingerprint(engine.store)
        #expect {
            try engine.tracker.importFences(path: url.path)
        } throws: { error in
            (error as? FieldRouteError)?.description.hasPrefix("fence bowtie: invalid polygon") == true
        }
        #expect(try fingerprint(engine.store) == before)
    }

    /// Issue 17: pings dated 1900, 3000 or 9999 were stored (Int64.max took 50 s); now the file is
    /// refused with its line and field, and nothing is written.
    @Test(arguments: ["-2208988800", "32503680000", "9999-01-01T00:00:00Z", "\(Int64.min)", "\(Int64.max)", "1900-01-01T00:00:00+01:00"])
    func implausibleTimestampsRefuseTheFile(timestamp: String) throws {
        let (engine, _, _, url) = try setUp()
        defer { try? FileManager.default.removeItem(at: url) }
        let csv = "technician,timestamp,lat,lon\nT-01,1795507200,45.75,4.84\nT-01,\(timestamp),45.75,4.84\n"
        #expect {
            try engine.tracker.ingestPings(data: Data(csv.utf8), name: "p.csv")
        } throws: { error in
            "\(error)".contains("p.csv:3: timestamp: \(timestamp) is outside 2000-01-01…2100-01-01")
        }
        #expect(try engine.store.readDatabase { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ping") } == 0)
    }
}
