import Foundation
import GRDB
import RouteSolver
import Testing

/// Issue 13: several `fieldroute` processes write one database at once. One wins, nobody is lost,
/// and the day's invariants hold after every commit (`FIELDROUTE_CHECK=1` in every process).
@Suite(.serialized) struct ConcurrencyTests {
    static let bookNow = "2026-12-10T10:00:00+01:00"
    static let checked = ["FIELDROUTE_CHECK": "1"]

    /// A database with region lyon, technicians T-01…T-03, customers C-1…C-5, and `shifts` rows.
    func world(_ folder: URL, shifts: String, bookings: String? = nil) throws -> String {
        let db = folder.appendingPathComponent("ops.sqlite").path
        let run = { (args: [String]) throws in
            let r = try CLI.run(args + ["--db", db], environment: Self.checked)
            try #require(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)")
        }
        try run(["init", "--region", "lyon", "--time-zone", "Europe/Paris"])
        let files: [(String, String)] = [
            ("technicians", "id,name,start_lat,start_lon,skills\nT-01,Ana,45.76,4.85,\nT-02,Ben,45.70,4.80,\nT-03,Cid,45.74,4.88,\n"),
            ("customers", "id,name,phone,email\n" + (1...5).map { "C-\($0),Customer \($0),+33 6 00 00 00 0\($0)," }.joined(separator: "\n") + "\n"),
            ("shifts", "technician,date,start,end\n" + shifts),
        ] + (bookings.map { [("bookings", "id,customer,date,lat,lon,duration_min,windows\n" + $0)] } ?? [])
        for (kind, text) in files {
            let file = folder.appendingPathComponent("\(kind).csv")
            try write(text, to: file)
            try run(["import", kind, file.path])
        }
        return db
    }

    func invariantsHold(_ db: String) throws -> CLI.Result { try CLI.run(["check", "--db", db]) }

    func value(_ db: String, _ sql: String, _ arguments: StatementArguments = []) throws -> String? {
        try DatabaseQueue(path: db).read { db in try String.fetchOne(db, sql: sql, arguments: arguments) }
    }

    /// Observation 1: two `book --slot` for a slot only one visit fits, on a day with no plan yet, at
    /// the same moment. Before, both answered "booked … with T-01" and one booking had no technician.
    @Test func twoBookingsForOneSlotAtOnce() throws {
        for round in 0..<3 {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let db = try world(folder, shifts: "T-01,2026-12-15,08:00,10:00\n")
            let started = try ["B-A", "B-B"].map { id in
                try CLI.start(["book", "--db", db, "--id", id, "--customer", "C-1", "--slot", "2026-12-15T08:00-10:00", "--duration", "90",
                               "--site", "45.765,4.90", "--now", Self.bookNow], environment: Self.checked)
            }
            let results = started.map(CLI.finish)
            let won = results.filter { $0.status == 0 }, lost = results.filter { $0.status != 0 }
            #expect(won.count == 1, "round \(round): \(results.map { "\($0.status) \($0.stderr)" })")
            #expect(lost.allSatisfy { $0.status == 2 && $0.stderr.contains("slot taken") }, "round \(round): \(lost.map(\.stderr))")
            // Every booked visit of the day is on a route.
            let booked = try value(db, "SELECT COUNT(*) FROM booking WHERE status = 'booked'")
            let placed = try value(db, "SELECT COUNT(*) FROM stop")
            #expect(booked == "1" && placed == "1", "round \(round): \(booked ?? "-") booked, \(placed ?? "-") stops")
            #expect(try invariantsHold(db).status == 0)
        }
    }

    /// Observation 3: a reschedule via a slot on an unplanned day racing a cancel of the same visit.
    /// Before, both could half-happen: B-2024 cancelled and B-2024-R1 booked with reminders.
    @Test func rescheduleRacingCancelIsOneOrTheOther() throws {
        for round in 0..<4 {
            let folder = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let db = try world(folder, shifts: "T-01,2026-12-15,08:00,17:00\nT-01,2026-12-16,08:00,17:00\n",
                               bookings: "B-2024,C-2,2026-12-15,45.75,4.84,30,09:00-12:00\n")
            let reschedule = try CLI.start(["reschedule", "--db", db, "--booking", "B-2024", "--slot", "2026-12-16T10:00-12:00",
                                            "--now", Self.bookNow], environment: Self.checked)
            let cancel = try CLI.start(["cancel", "--db", db, "--booking", "B-2024", "--reason", "forgot", "--now", Self.bookNow],
                                       environment: Self.checked)
            let (r, c) = (CLI.finish(reschedule), CLI.finish(cancel))
            let old = try value(db, "SELECT status FROM booking WHERE externalId = 'B-2024'")
            let new = try value(db, "SELECT status FROM booking WHERE externalId = 'B-2024-R1'")
            let pendingNew = try value(db, """
                SELECT COUNT(*) FROM outbox o JOIN booking b ON b.id = o.bookingId WHERE b.externalId = 'B-2024-R1' AND o.status = 'pending'
                """)
            if r.status == 0 {
                #expect(c.status == 2, "round \(round): cancel after the reschedule: \(c.stderr)")
                #expect(old == "rescheduled" && new == "booked")
            } else {
                #expect(c.status == 0, "round \(round): neither won: \(r.stderr) / \(c.stderr)")
                #expect(r.status == 2, "round \(round): \(r.stderr)")
                #expect(old == "cancelled" && new == nil && pendingNew == "0")
            }
            #expect(try invariantsHold(db).status == 0)
        }
    }

    /// The model-based test: random book, slot book, cancel, reschedule, plan, dispatch insert /
    /// cancel / move and pings ingest from several processes at once for `FIELDROUTE_SOAK_SECONDS`
    /// (20 by default; `Benchmarks/concurrency_soak.sh` runs it for longer), seed
    /// `FIELDROUTE_SOAK_SEED`. Afterwards the invariants hold and every answered success is in the store.
    @Test func randomOperationsFromSeveralProcessesLoseNothing() throws {
        let environment = ProcessInfo.processInfo.environment
        let seconds = environment["FIELDROUTE_SOAK_SECONDS"].flatMap(Double.init) ?? 20
        let seed = environment["FIELDROUTE_SOAK_SEED"].flatMap(UInt64.init) ?? UInt64(Date().timeIntervalSince1970)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let days = ["2026-12-15", "2026-12-16"]
        let shifts = days.flatMap { d in ["T-01", "T-02", "T-03"].map { "\($0),\(d),08:00,17:00" } }.joined(separator: "\n") + "\n"
        var initial = ""
        for k in 1...12 {
            initial += "B-\(k),C-\(k % 5 + 1),\(days[k % 2]),\(45.74 + Double(k % 7) * 0.004),\(4.82 + Double(k % 5) * 0.01),30,09:00-17:00\n"
        }
        let db = try world(folder, shifts: shifts, bookings: initial)
        #expect(try CLI.run(["plan", "--db", db, "--date", days[0], "--iterations", "50"], environment: Self.checked).status == 0)

        let model = SoakModel(seed: seed, bookings: (1...12).map { "B-\($0)" })
        let deadline = Date().addingTimeInterval(seconds)
        let workers = 3
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var rng = SeededGenerator(seed: seed &+ UInt64(worker) &* 0x9E37_79B9)
            while Date() < deadline { model.step(&rng, db: db, folder: folder, days: days) }
        }
        print("soak: seed \(seed), \(seconds) s, \(workers) processes at once; " + model.summary())
        let check = try invariantsHold(db)
        #expect(check.status == 0, "\(check.stdout)")
        for (what, sql) in model.facts() {
            #expect(try value(db, sql) == "1", "lost: \(what) (seed \(seed))")
        }
        #expect(model.internalFailures.isEmpty, "\(model.internalFailures.prefix(5)) (seed \(seed))")
    }
}

extension SeededGenerator {
    /// A choice among `n` (0 when `n` is 0).
    mutating func below(_ n: Int) -> Int { n > 0 ? Int.random(in: 0..<n, using: &self) : 0 }
}

/// What the soak's processes did, and what their successes say must be in the store.
final class SoakModel: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 100
    private var bookings: [String]
    private var counts: [String: [Int32: Int]] = [:]
    private var mustHold: [(String, String)] = []
    private(set) var internalFailures: [String] = []

    init(seed: UInt64, bookings: [String]) { self.bookings = bookings }

    private func locked<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }

    func summary() -> String {
        locked {
            counts.sorted { $0.key < $1.key }.map { op, byCode in
                "\(op) " + byCode.sorted { $0.key < $1.key }.map { "\($0.value)×exit \($0.key)" }.joined(separator: ", ")
            }.joined(separator: "; ")
        }
    }

    func facts() -> [(String, String)] { locked { mustHold } }

    func step(_ rng: inout SeededGenerator, db: String, folder: URL, days: [String]) {
        let (id, known) = locked { () -> (String, String) in
            next += 1
            return ("B-\(next)", bookings[Int(UInt64(next) &* 2_654_435_761 % UInt64(bookings.count))])
        }
        let day = days[rng.below(days.count)]
        let site = "\(45.74 + Double(rng.below(20)) * 0.002),\(4.82 + Double(rng.below(20)) * 0.003)"
        let slot = "\(day)T\(["08:00-10:00", "10:00-12:00", "12:00-14:00", "14:00-16:00"][rng.below(4)])"
        let now = ConcurrencyTests.bookNow, dispatchNow = "\(days[0])T07:00:00+01:00"
        var op: String, args: [String], input: String?
        var onSuccess: [(String, String)] = []
        var created: String?
        switch rng.below(12) {
        case 0:
            op = "book"
            args = ["book", "--id", id, "--customer", "C-\(rng.below(5) + 1)", "--site", site, "--duration", "30", "--date", day,
                    "--window", "09:00-17:00", "--now", now]
            onSuccess = [("\(id) booked", "SELECT COUNT(*) FROM booking WHERE externalId = '\(id)'")]
            created = id
        case 1:
            op = "book --slot"
            args = ["book", "--id", id, "--customer", "C-\(rng.below(5) + 1)", "--site", site, "--duration", "30", "--slot", slot,
                    "--now", now]
            onSuccess = [("\(id) booked in a slot", "SELECT COUNT(*) FROM booking WHERE externalId = '\(id)'")]
            created = id
        case 2:
            op = "cancel"
            args = ["cancel", "--booking", known, "--reason", "forgot", "--now", now]
            onSuccess = [("\(known) cancelled", "SELECT COUNT(*) FROM booking WHERE externalId = '\(known)' AND status = 'cancelled'")]
        case 3:
            op = "reschedule"
            args = rng.below(2) == 0 ? ["reschedule", "--booking", known, "--slot", slot, "--now", now]
                : ["reschedule", "--booking", known, "--date", day, "--window", "13:00-17:00", "--now", now]
            onSuccess = [("\(known) rescheduled", "SELECT COUNT(*) FROM booking WHERE externalId = '\(known)' AND status = 'rescheduled'")]
        case 4:
            op = "plan"
            args = ["plan", "--date", day, "--iterations", "\(50 + rng.below(200))", "--seed", "\(rng.below(100))"]
            onSuccess = [("plan of \(day)", "SELECT COUNT(*) FROM plan WHERE day = '\(day)'")]
        case 5:
            op = "dispatch insert_job"
            args = ["dispatch"]
            input = #"{"op": "insert_job", "date": "\#(days[0])", "now": "\#(dispatchNow)", "job": {"id": "\#(id)", "customer": "C-1", "#
                + #""lat": \#(site.split(separator: ",")[0]), "lon": \#(site.split(separator: ",")[1]), "duration_min": 20, "windows": ["09:00-17:00"]}}"#
            onSuccess = [("\(id) inserted", "SELECT COUNT(*) FROM booking WHERE externalId = '\(id)'")]
            created = id
        case 6:
            op = "dispatch cancel_job"
            args = ["dispatch"]
            input = #"{"op": "cancel_job", "date": "\#(days[0])", "now": "\#(dispatchNow)", "booking": "\#(known)", "reason": "other", "note": "soak"}"#
            onSuccess = [("\(known) cancelled by dispatch", "SELECT COUNT(*) FROM booking WHERE externalId = '\(known)' AND status = 'cancelled'")]
        case 7:
            op = "dispatch move_job"
            args = ["dispatch"]
            input = #"{"op": "move_job", "date": "\#(days[0])", "now": "\#(dispatchNow)", "booking": "\#(known)", "technician": "T-0\#(rng.below(3) + 1)"}"#
        case 8:
            op = "hold"
            let customer = "C-\(rng.below(5) + 1)"
            args = ["hold", "--slot", slot, "--customer", customer, "--site", site, "--duration", "30", "--minutes", "5", "--now", now]
            onSuccess = [("hold of \(slot) for \(customer)", """
                SELECT CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM slotHold h JOIN customer c ON c.id = h.customerId
                WHERE h.slot = '\(slot)' AND c.externalId = '\(customer)' AND h.bookingId IS NULL
                """)]
        case 9:
            op = "offer"
            args = ["offer", "--booking", known, "--slot", slot, "--valid-minutes", "30", "--now", now]
            onSuccess = [("offer of \(slot) to \(known)", """
                SELECT CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM slotHold h JOIN booking b ON b.id = h.bookingId
                WHERE h.slot = '\(slot)' AND b.externalId = '\(known)'
                """)]
        case 10:
            op = "offer accept"
            args = ["offer", "accept", "--booking", known, "--now", now]
            onSuccess = [("\(known) moved into its offer", "SELECT COUNT(*) FROM booking WHERE externalId = '\(known)' AND status = 'rescheduled'")]
        default:
            op = "pings ingest"
            let base = 1_797_318_000 + Int64(rng.below(1_000_000)) * 100  // 2026-12-15 07:00 Paris and after
            var csv = "technician,timestamp,lat,lon\n"
            for k in 0..<40 { csv += "T-0\(rng.below(3) + 1),\(base + Int64(k) * 7),45.7\(rng.below(9)),4.8\(rng.below(9))\n" }
            let file = folder.appendingPathComponent("pings-\(id).csv")
            try? write(csv, to: file)
            args = ["pings", "ingest", file.path, "--batch", "15"]
            onSuccess = [("pings of \(id)", "SELECT CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END FROM ping WHERE timestamp BETWEEN \(base) AND \(base + 280)")]
        }
        let result: CLI.Result
        do {
            if let input {
                let request = folder.appendingPathComponent("request-\(id).json")
                try write(input, to: request)
                args += ["--request", request.path]
            }
            result = try CLI.run(args + ["--db", db], environment: ConcurrencyTests.checked)
        } catch {
            locked { internalFailures.append("\(op): could not start: \(error)") }
            return
        }
        locked {
            counts[op, default: [:]][result.status, default: 0] += 1
            if result.status == 0 {
                mustHold += onSuccess
                if let created { bookings.append(created) }
            } else if result.status == 1, !result.stderr.contains("changed while") {
                internalFailures.append("\(op) \(input ?? args.joined(separator: " ")): \(result.stderr) \(result.stdout)")
            }
        }
    }
}

/// `fieldroute check` on a store broken by hand names the booking and the rule, and exits 1.
@Suite struct CheckCommandTests {
    @Test func aBrokenDayIsNamedAndExitsOne() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try ConcurrencyTests().world(folder, shifts: "T-01,2026-12-15,08:00,17:00\n",
                                              bookings: "B-1,C-1,2026-12-15,45.75,4.84,30,09:00-12:00\n")
        #expect(try CLI.run(["plan", "--db", db, "--date", "2026-12-15", "--iterations", "20"]).status == 0)
        #expect(try CLI.run(["check", "--db", db]).stdout == "all invariants hold\n")
        // A stop for a cancelled visit, written behind the engine's back.
        try DatabaseQueue(path: db).write { db in try db.execute(sql: "UPDATE booking SET status = 'cancelled' WHERE externalId = 'B-1'") }
        let broken = try CLI.run(["check", "--db", db, "--date", "2026-12-15"])
        #expect(broken.status == 1)
        #expect(broken.stdout.contains("2026-12-15 B-1: no_stop_for_cancelled_visit"))
        let json = try CLI.run(["check", "--db", db, "--json"])
        #expect(json.status == 1 && json.stdout.contains("\"rule\" : \"no_stop_for_cancelled_visit\""))
    }
}
