import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Kill -9 in the middle of `pings ingest`, then run it again: nothing committed is lost, nothing is
/// emitted or queued twice, and the end state equals an uninterrupted run's.
@Suite struct CrashRecoveryTests {
    /// The demo day, planned, as two identical database files, and its pings as CSV.
    func twoPlannedDays(in folder: URL) throws -> (clean: String, crashed: String, pings: URL, rows: Int) {
        let clean = folder.appendingPathComponent("clean.sqlite").path
        let engine = try Engine(path: clean)
        _ = try engine.loadDemo()
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 20))
        let csv = try engine.promises.simulatedPings(day: DemoRegion.day, seed: 3)
        let pings = folder.appendingPathComponent("pings.csv")
        try csv.write(to: pings)
        let crashed = folder.appendingPathComponent("crashed.sqlite").path
        try DatabaseQueue(path: clean).inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [crashed]) }
        let rows = csv.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } - 1
        return (clean, crashed, pings, rows)
    }

    /// Everything the ingest decides, in a comparable form.
    func outcome(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            let pings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ping") ?? -1
            let events = try String.fetchAll(db, sql: """
                SELECT technicianId || ' ' || geofenceId || ' ' || kind || ' ' || timestamp || ' ' || detectedAt FROM geofenceEvent
                ORDER BY technicianId, timestamp, geofenceId, kind
                """)
            let outbox = try String.fetchAll(db, sql: "SELECT dedupeKey || ' ' || dueAt FROM outbox ORDER BY dedupeKey")
            let changes = try String.fetchAll(db, sql: """
                SELECT bookingId || ' ' || toStatus || ' ' || at FROM bookingStatusChange ORDER BY bookingId, id
                """)
            let stops = try String.fetchAll(db, sql: "SELECT bookingId || ' ' || IFNULL(actualArrival, '-') || ' ' || IFNULL(actualDeparture, '-') FROM stop ORDER BY bookingId")
            return ["pings \(pings)"] + events + outbox + changes + stops
        }
    }

    @Test func aKilledIngestLosesNothingAndRepeatsNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (clean, crashed, pings, rows) = try twoPlannedDays(in: folder)
        let batch = 200
        _ = try Engine(path: clean).tracker.ingestPings(path: pings.path, batchSize: batch)
        let expected = try outcome(clean)

        let started = try CLI.start(["pings", "ingest", pings.path, "--db", crashed, "--batch", "\(batch)"])
        let process = started.0
        let watcher = try DatabasePool(path: crashed)
        var seen = 0
        while process.isRunning {
            seen = try watcher.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ping") ?? 0 }
            if seen >= rows / 3 { kill(process.processIdentifier, SIGKILL); break }
            usleep(1_000)
        }
        process.waitUntilExit()
        try #require(process.terminationReason == .uncaughtSignal, "the ingest finished before it could be killed")
        // Only whole batches were committed.
        let committed = try watcher.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ping") ?? 0 }
        #expect(committed % batch == 0 && committed < rows && committed >= seen)
        try watcher.close()

        let again = try CLI.run(["pings", "ingest", pings.path, "--db", crashed, "--batch", "\(batch)", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"stored\" : \(rows - committed)"))
        #expect(try outcome(crashed) == expected)
        // And once more: nothing changes.
        #expect(try CLI.run(["pings", "ingest", pings.path, "--db", crashed]).status == 0)
        #expect(try outcome(crashed) == expected)
    }

    /// The plan tables as text: equal means the same plan.
    func planTables(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT 'plan ' || id || ' ' || cost FROM plan ORDER BY id")
                + String.fetchAll(db, sql: "SELECT 'route ' || id || ' ' || technicianId FROM route ORDER BY id")
                + String.fetchAll(db, sql: "SELECT 'stop ' || routeId || ' ' || sequence || ' ' || bookingId || ' ' || plannedStart FROM stop ORDER BY id")
        }
    }

    /// Kill -9 a re-plan at several moments: the database always holds one whole plan — the old one,
    /// or (if the kill came after the commit) the new one — and passes SQLite's integrity check.
    @Test func aKilledReplanLeavesOneWholePlan() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("plan.sqlite").path
        let engine = try Engine(path: path)
        _ = try engine.loadDemo()
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 20))
        let old = try planTables(path)
        var killedBeforeCommit = 0
        for delay in [200_000, 600_000, 1_000_000, 1_500_000] as [UInt32] {
            let started = try CLI.start(["plan", "--db", path, "--date", DemoRegion.day, "--iterations", "400", "--seed", "\(delay)"])
            usleep(delay)
            kill(started.0.processIdentifier, SIGKILL)
            started.0.waitUntilExit()
            let now = try planTables(path)
            let ok = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
            #expect(ok == "ok")
            if now == old { killedBeforeCommit += 1; continue }
            // A new plan: complete, every route numbered 1…n.
            let (stops, assigned) = try DatabaseQueue(path: path).read { db in
                (try StopRecord.fetchAll(db), try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM booking") ?? 0)
            }
            let unplanned = try DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "SELECT unassignedCount FROM plan") ?? 0 }
            #expect(stops.count + unplanned == assigned)
            for (_, route) in Dictionary(grouping: stops, by: \.routeId) {
                #expect(route.map(\.sequence).sorted() == Array(1...route.count))
            }
        }
        #expect(killedBeforeCommit > 0, "no kill landed before the commit")
    }
}
