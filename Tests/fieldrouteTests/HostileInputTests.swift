import FieldRoute
import Foundation
import GRDB
import Testing

/// Issue 17, per format: an extreme or malformed value exits 2 with one line on stderr naming it, and
/// the store is unchanged (every row of every table, compared before and after).
@Suite struct HostileInputTests {
    /// A planned demo day, made once and copied for each case.
    static let base: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-base-\(UUID()).sqlite").path
        do {
            let engine = try Engine(path: path)
            _ = try engine.loadDemo()
            _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 20))
        } catch {
            Issue.record("cannot build the hostile-input base: \(error)")
        }
        return path
    }()

    /// A copy of the base day in a fresh folder.
    private func store() throws -> (String, URL) {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("s.sqlite").path
        // Cases run in parallel, each copying the base: wait for another's lock instead of failing.
        var config = Configuration()
        config.busyMode = .timeout(30)
        try DatabaseQueue(path: Self.base, configuration: config).inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
        return (path, folder)
    }

    /// Every row of every table, in order.
    private func contents(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            return try tables.flatMap { t in try Row.fetchAll(db, sql: "SELECT * FROM \"\(t)\" ORDER BY rowid").map { "\(t): \($0)" } }
        }
    }

    static let long = String(repeating: "s", count: 100_000)

    @Test(arguments: [
        ("technicians", "id,name,start_lat,start_lon\nT-90,A,1e308,4.8\n", "start_lat: 1e308 is out of range -90.0…90.0"),
        ("technicians", "id,name,start_lat,start_lon,skills\nT-90,A,45.7,4.8,\(long)\n", "skills: value is 100000 characters; at most 1000"),
        ("customers", "id,name\nC-90,\(long)\n", "name: value is 100000 characters; at most 1000"),
        ("shifts", "technician,date,start,end\nT-01,9999-11-24,08:00,17:00\n", "date: '9999-11-24' is not a date yyyy-mm-dd in 2000–2099"),
        ("shifts", "technician,date,start,end\nT-01,1900-01-01,08:00,17:00\n", "date: '1900-01-01' is not a date yyyy-mm-dd in 2000–2099"),
        ("shifts", "technician,date,start,end,break_start,break_end,break_minutes\nT-01,2026-11-25,08:00,17:00,12:00,13:00,1e18\n",
         "break_minutes: '1e18' is not a whole number"),
        ("bookings", "id,customer,date,lat,lon,duration_min,windows\nB-90,C-1001,3026-11-24,45.7,4.8,20,08:00-09:00\n",
         "date: '3026-11-24' is not a date yyyy-mm-dd in 2000–2099"),
        ("bookings", "id,customer,date,lat,lon,duration_min,windows\nB-90,C-1001,2026-11-24,45.7,4.8,1000000000000000000,08:00-09:00\n",
         "duration_min: 1000000000000000000 is out of range"),
        ("bookings", "id,customer,date,lat,lon,duration_min,windows,priority\nB-90,C-1001,2026-11-24,45.7,4.8,20,08:00-09:00,1e18\n",
         "priority: '1e18' is not a whole number"),
    ])
    func importsRefuseExtremes(kind: String, csv: String, message: String) throws {
        let (db, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("x.csv")
        try write(csv, to: file)
        let before = try contents(db)
        let result = try CLI.run(["import", kind, file.path, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("fieldroute: \(file.path):2: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line")
        #expect(try contents(db) == before, "store unchanged")
    }

    @Test(arguments: [
        (["pings", "ingest"], "x.csv", "technician,timestamp,lat,lon\nT-01,253402300800,45.75,4.84\n",
         "timestamp: 253402300800 is outside 2000-01-01…2100-01-01"),
        (["import", "fences"], "x.geojson",
         #"{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "f", "properties": {"radius": 1e308}, "geometry": {"type": "Point", "coordinates": [4.84, 45.75]}}]}"#,
         "radius must be a positive number of metres up to 50000"),
        (["import", "fences"], "x.geojson",
         #"{"type": "FeatureCollection", "features": [{"type": "Feature", "id": "p", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[45.70, 4.80], [45.70, 94.9], [45.8, 94.9], [45.70, 4.80]]]}}]}"#,
         "latitude 94.9 is outside −90…90"),
        (["import", "matrix"], "x.json",
         #"{"code": "Ok", "sources": [{"location": [4.84, 45.76]}, {"location": [4.84, 45.75]}], "destinations": [{"location": [4.84, 45.76]}, {"location": [4.84, 45.75]}], "durations": [[0, 1e308], [5, 0]]}"#,
         "durations[0][1]: 1e+308 is not a non-negative number"),
        (["dispatch", "--request"], "x.json", #"{"op": "reoptimize", "date": "2026-11-24", "iterations": 1000000000000}"#,
         "request: iterations 1000000000000 is outside 1…100000"),
        (["dispatch", "--request"], "x.json", #"{"op": "cancel_job", "date": "9999-11-24", "booking": "B-2001", "reason": "other"}"#,
         "request: date wants yyyy-mm-dd"),
    ])
    func otherFormatsRefuseExtremes(command: [String], name: String, text: String, message: String) throws {
        let (db, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try write(text, to: file)
        let before = try contents(db)
        let result = try CLI.run(command + [file.path, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("fieldroute: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line")
        #expect(try contents(db) == before, "store unchanged")
    }

    @Test(arguments: [
        ("tracking", #"{"siteRadius": 1e308}"#, "tracking.siteRadius must be 5–5000 m, got 1e+308"),
        ("noShow", #"{"windowDays": 1e18}"#, "noShow.windowDays must be 1–3650"),
        ("booking", #"{"slotMinutes": 1e18}"#, "booking.slotMinutes must be 30–480"),
    ])
    func settingsRefuseExtremes(key: String, json: String, message: String) throws {
        let (db, folder) = try store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try contents(db)
        let result = try CLI.run(["settings", "set", key, json, "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("fieldroute: ") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line")
        #expect(try contents(db) == before, "store unchanged")
    }
}

@Suite struct HostileInstanceTests {
    /// `solve` on a hostile benchmark file: exit 2 and one stderr line with FILE:LINE (it crashed before).
    @Test(arguments: [
        ("s.txt", "T\nVEHICLE\nNUMBER CAPACITY\n2 50\nCUSTOMER\n0 0 0 0 0 1000 0\n1 1e300 1 1 0 100 1\n",
         "s.txt:7: coordinate x 1e+300 is outside ±1000000"),
        ("s.txt", "T\nVEHICLE\nNUMBER CAPACITY\n1000000000 50\nCUSTOMER\n0 0 0 0 0 1000 0\n1 1 1 1 0 100 1\n",
         "s.txt:4: vehicle number 1000000000 is outside 1…100000"),
        ("v.vrp", "NAME : v\nDIMENSION : 1000000000\nCAPACITY : 10\nNODE_COORD_SECTION\n1 0 0\nEOF\n",
         "v.vrp:2: DIMENSION 1000000000 is more nodes than the file's 6 lines can hold"),
        ("v.vrp", "NAME : v\nDIMENSION : 2\nCAPACITY : 200\nNODE_COORD_SECTION\n1 0 0\n2 1 1\nDEMAND_SECTION\n1 0\n2 260\n"
            + "TIME_WINDOW_SECTION\n1 0 100\n2 0 50\nEOF\n", "v.vrp:9: job 1: demand 260 exceeds every vehicle's capacity 200"),
    ])
    func solveRefusesHostileFiles(name: String, text: String, message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name)
        try write(text, to: file)
        let result = try CLI.run(["solve", file.path, "--iterations", "10"])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "\n" }.count == 1, "one line")
    }
}
