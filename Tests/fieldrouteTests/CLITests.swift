import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

@Suite struct CLITests {
    @Test(arguments: [
        (["--help"], "Plan technicians' routes"),
        (["init", "--help"], "Example:"),
        (["import", "--help"], "Examples:"),
        (["bookings", "list", "--help"], "Examples:"),
        (["demo", "--help"], "Examples:"),
        (["plan", "--help"], "Examples:"),
        (["pings", "ingest", "--help"], "Examples:"),
        (["events", "list", "--help"], "Examples:"),
        (["solve", "--help"], "Examples:"),
        (["report", "geofence", "--help"], "Examples:"),
        (["dispatch", "--help"], "Examples:"),
        (["slots", "--help"], "Examples:"),
        (["book", "--help"], "Examples:"),
        (["confirm", "--help"], "Examples:"),
        (["cancel", "--help"], "Examples:"),
        (["reschedule", "--help"], "Examples:"),
        (["link", "--help"], "Examples:"),
        (["outcome", "--help"], "Examples:"),
        (["payment", "--help"], "Examples:"),
        (["customer", "unblock", "--help"], "Examples:"),
        (["reminders", "due", "--help"], "Examples:"),
        (["reminders", "mark-sent", "--help"], "Examples:"),
        (["report", "cancellations", "--help"], "Examples:"),
        (["report", "windows", "--help"], "Examples:"),
        (["simulate", "--help"], "Examples:"),
        (["learn", "--help"], "Examples:"),
        (["track", "--help"], "Examples:"),
        (["windows", "--help"], "Examples:"),
        (["settings", "set", "--help"], "Examples:"),
        (["settings", "show", "--help"], "Examples:"),
        (["check", "--help"], "FIELDROUTE_CHECK=1"),
        (["messages", "--help"], "Examples:"),
        (["regions", "generate", "--help"], "Examples:"),
    ])
    func everyCommandsHelpTeaches(arguments: [String], expected: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains(expected))
        #expect(result.stdout.contains("USAGE"))
    }

    @Test func usageErrorsExitWith2() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("x.sqlite").path
        let unknown = try CLI.run(["frobnicate"])
        #expect(unknown.status == 2)
        let badDate = try CLI.run(["bookings", "list", "--db", db, "--date", "24/11/2026"])
        #expect(badDate.status == 2)
        #expect(badDate.stderr.contains("--date wants yyyy-mm-dd"))
        let badKind = try CLI.run(["import", "trucks", "x.csv", "--db", db])
        #expect(badKind.status == 2)
    }

    @Test func badImportPrintsOneLineAndExits2() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("ops.sqlite").path
        #expect(try CLI.run(["init", "--db", db, "--region", "lyon", "--time-zone", "Europe/Paris"]).status == 0)
        let file = folder.appendingPathComponent("techs.csv")
        try write("id,name,start_lat,start_lon\nT-1,Ana,45.7,4.8\nT-2,Ben,145.7,4.8\n", to: file)
        let result = try CLI.run(["import", "technicians", file.path, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr == "fieldroute: \(file.path):3: start_lat: 145.7 is out of range -90.0…90.0\n")
        let list = try CLI.run(["bookings", "list", "--db", db, "--json"])
        #expect(list.status == 0)
        #expect(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]" || list.stdout.contains("[]"))
    }

    @Test func databaseDefaultsToTheEnvironmentVariable() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("env.sqlite").path
        let result = try CLI.run(["init", "--region", "r"], environment: ["FIELDROUTE_DB": db], in: folder)
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("fieldroute.sqlite").path))
    }

    @Test func demoBuildsAndListsTheDay() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("demo.sqlite").path
        let demo = try CLI.run(["demo", "--db", db, "--json", "--time-limit", "0.5"])
        #expect(demo.status == 0)
        #expect(demo.stdout.contains("\"bookings\" : 120"))
        #expect(demo.stdout.contains("\"medianWindowMinutes\""))
        // Running it again replaces the earlier demo database.
        #expect(try CLI.run(["demo", "--db", db, "--time-limit", "0.5"]).status == 0)
        let list = try CLI.run(["bookings", "list", "--db", db, "--date", "2026-11-24"])
        #expect(list.status == 0)
        #expect(list.stdout.hasSuffix("120 bookings\n"))
        // Planned visits show their technician and promised window.
        #expect(list.stdout.contains("T-0"))
        // It refuses to replace a database that is not a demo.
        let other = folder.appendingPathComponent("ops.sqlite").path
        #expect(try CLI.run(["init", "--db", other]).status == 0)
        let refused = try CLI.run(["demo", "--db", other])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not a demo database"))
    }

    /// Two processes import into one database at once: both finish (the second waits for the first's
    /// write lock), or one reports busy; the file is never corrupted.
    @Test func concurrentImportsNeverCorrupt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("ops.sqlite").path
        #expect(try CLI.run(["init", "--db", db, "--region", "r"]).status == 0)
        var files: [URL] = []
        for p in 0..<2 {
            var text = "id,name,phone\n"
            for k in 0..<3_000 { text += "P\(p)-\(k),Customer \(k),+33 6 00 00 \(k % 100) 00\n" }
            let url = folder.appendingPathComponent("customers-\(p).csv")
            try write(text, to: url)
            files.append(url)
        }
        let a = try CLI.start(["import", "customers", files[0].path, "--db", db])
        let b = try CLI.start(["import", "customers", files[1].path, "--db", db])
        let results = [CLI.finish(a), CLI.finish(b)]
        for r in results {
            #expect(r.status == 0 || (r.status == 2 && r.stderr.contains("busy")), "\(r.stderr)")
        }
        let expected = 3_000 * results.filter { $0.status == 0 }.count
        #expect(expected > 0)
        let store = try FieldStore(path: db)
        let (integrity, count) = try store.readDatabase { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"), try CustomerRecord.fetchCount(db))
        }
        #expect(integrity == "ok")
        #expect(count == expected)
    }
}

@Suite struct SolveCommandTests {
    let tiny = """
    TINY
    VEHICLE
    NUMBER     CAPACITY
      2         50
    CUSTOMER
        0      0          0          0          0       1000          0
        1      3          4         10          0        100         10
        2      0          1          5         20         60          5
        3      6          8         10          0        500         10

    """

    @Test func solvesAndPrintsRoutesAsCustomerNumbers() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tiny.txt")
        try write(tiny, to: file)
        let result = try CLI.run(["solve", file.path, "--iterations", "50", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(report?["feasible"] as? Bool == true)
        let routes = report?["routes"] as? [[Int]] ?? []
        #expect(routes.flatMap { $0 }.sorted() == [1, 2, 3])
        let text = try CLI.run(["solve", file.path, "--iterations", "50"])
        #expect(text.stdout.contains("Route #1:"))
        #expect(text.stdout.contains("feasible"))
    }

    @Test func badInstancesExit2WithFileAndLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.txt")
        try write(tiny.replacingOccurrences(of: "3      6          8", with: "3      6          x"), to: file)
        let result = try CLI.run(["solve", file.path, "--iterations", "5"])
        #expect(result.status == 2)
        #expect(result.stderr == "fieldroute: \(file.path):9: customer row has a non-number\n")
        let missing = try CLI.run(["solve", folder.appendingPathComponent("nope.txt").path])
        #expect(missing.status == 2)
    }
}

@Suite struct DispatchCLITests {
    /// The demo day, planned, in two identical files.
    func twoDays(_ folder: URL) throws -> (String, String) {
        let a = folder.appendingPathComponent("a.sqlite").path, b = folder.appendingPathComponent("b.sqlite").path
        let engine = try Engine(path: a)
        _ = try engine.loadDemo()
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 20))
        try DatabaseQueue(path: a).inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [b]) }
        return (a, b)
    }

    @Test func answersMatchTheLibraryCall() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (a, b) = try twoDays(folder)
        let json = """
            {"op": "insert_job", "date": "2026-11-24", "now": "2026-11-24T07:00:00+01:00", "top_k": 2,
             "job": {"id": "B-URG-1", "customer": "C-1001", "lat": 45.75, "lon": 4.84, "duration_min": 30, "windows": ["08:00-18:00"]}}
            """
        let library = try Engine(path: a).dispatcher.dispatch(try DispatchRequest.decode(Data(json.utf8)))
        let file = folder.appendingPathComponent("request.json")
        try write(json, to: file)
        let cli = try CLI.run(["dispatch", "--db", b, "--request", file.path])
        #expect(cli.status == 0, "\(cli.stdout)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(DispatchAnswer.self, from: Data(cli.stdout.utf8)) == library)
    }

    @Test func badAndImpossibleRequestsAnswerInJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (a, _) = try twoDays(folder)
        let bad = folder.appendingPathComponent("bad.json")
        try write(#"{"op": "teleport", "date": "2026-11-24"}"#, to: bad)
        let refused = try CLI.run(["dispatch", "--db", a, "--request", bad.path])
        #expect(refused.status == 2)
        #expect(refused.stdout.contains(#""ok" : false"#) && refused.stdout.contains(#""code" : "bad_request""#))
        let impossible = folder.appendingPathComponent("impossible.json")
        try write("""
            {"op": "insert_job", "date": "2026-11-24", "now": "2026-11-24T07:00:00+01:00",
             "job": {"id": "B-X", "customer": "C-1001", "lat": 45.75, "lon": 4.84, "duration_min": 30, "windows": ["08:00-18:00"],
                     "skills": ["welding"]}}
            """, to: impossible)
        let cannot = try CLI.run(["dispatch", "--db", a, "--request", impossible.path])
        #expect(cannot.status == 3)
        #expect(cannot.stdout.contains(#""code" : "cannot_fit""#) && cannot.stdout.contains(#""why_not""#))
        #expect(cannot.stderr.hasPrefix("fieldroute: B-X fits in no route today"))
    }

    /// Issue 17: dispatch errors were JSON on stdout with nothing on stderr, and a 1 MB field came back
    /// whole in the message. Now the same message is one line on stderr, the value cut at 200 characters.
    @Test func dispatchErrorsAreOneLineOnStderrWithLongValuesCut() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (a, _) = try twoDays(folder)
        let huge = String(repeating: "x", count: 1_000_000)
        let bad = folder.appendingPathComponent("huge.json")
        try write(#"{"op": "insert_job", "date": "2026-11-24", "now": "\#(huge)"}"#, to: bad)
        let refused = try CLI.run(["dispatch", "--db", a, "--request", bad.path])
        #expect(refused.status == 2)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any])
        let message = try #require((answer["error"] as? [String: Any])?["message"] as? String)
        #expect(message == "request: now '\(String(repeating: "x", count: 199))…' (999801 more characters) is neither Unix seconds "
                + "nor ISO-8601 with a zone (2026-11-24T13:05:00+01:00)")
        #expect(refused.stderr == "fieldroute: \(message)\n")
    }
}

@Suite struct SlotRaceTests {
    /// Two processes book the last slot at once: one wins, the other is told "slot taken".
    @Test func racingBookingsForOneSlot() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("race.sqlite").path
        let engine = try Engine(path: db)
        try engine.createRegion(name: "lyon", timeZone: "Europe/Paris")
        for (kind, text) in [(ImportKind.technicians, "id,name,start_lat,start_lon\nT-01,Ana,45.76,4.84\n"),
                             (.customers, "id,name,phone\nC-1,Léa,+33 6 11 22 33 44\nC-2,Max,+33 6 55 66 77 88\n"),
                             (.shifts, "technician,date,start,end\nT-01,2026-11-26,08:00,10:00\n")] {
            _ = try Importer(store: engine.store).importData(kind, data: Data(text.utf8), name: "x.csv")
        }
        try engine.setSetting(key: "booking", json: #"{"slotsFrom": "08:00", "slotsUntil": "08:00"}"#)
        let now = "2026-11-23T09:00:00+01:00"
        let slots = try engine.bookings.slots(site: (45.75, 4.84), durationMinutes: 90, from: "2026-11-26", days: 1, now: 1_795_392_000)
        #expect(slots.map(\.id) == ["2026-11-26T08:00-10:00"])
        let runs = try ["C-1", "C-2"].map { customer in
            try CLI.start(["book", "--db", db, "--now", now, "--id", "B-\(customer)", "--customer", customer, "--site", "45.75,4.84",
                           "--duration", "90", "--slot", "2026-11-26T08:00-10:00"])
        }
        let results = runs.map(CLI.finish)
        #expect(results.map(\.status).sorted() == [0, 2], "\(results.map(\.stderr))")
        #expect(results.contains { $0.stderr.contains("slot taken: 2026-11-26T08:00-10:00 is no longer free") })
        let stops = try DatabaseQueue(path: db).read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stop") }
        #expect(stops == 1)
    }
}
