import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

@Suite struct MatrixImportTests {
    /// Technician home at point 0, bookings at points 1 and 2 (Lyon coordinates, made-up road times).
    let osrm = """
    {"code": "Ok",
     "sources": [{"location": [4.84, 45.76]}, {"location": [4.84, 45.75]}, {"location": [4.84, 45.77]}],
     "destinations": [{"location": [4.84, 45.76]}, {"location": [4.84, 45.75]}, {"location": [4.84, 45.77]}],
     "durations": [[0, 1200, 300], [1250, 0, 1500], [310, 1400, 0]],
     "distances": [[0, 9000, 1500], [9100, 0, 11000], [1600, 10500, 0]]}
    """

    func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("matrix-\(UUID()).json")
        try Data(text.utf8).write(to: url)
        return url
    }

    func failure(_ engine: Engine, _ text: String) throws -> String {
        let url = try write(text)
        defer { try? FileManager.default.removeItem(at: url) }
        do { try engine.importMatrix(path: url.path) } catch { return error.description }
        return "imported"
    }

    @Test func thePlanDrivesOnTheImportedTimes() throws {
        let engine = try oneTechnicianDay(bookings: """
            B-1,C-1,2026-11-24,45.7501,4.8401,10,08:00-12:00
            B-2,C-2,2026-11-24,45.7699,4.84,10,08:00-12:00

            """)
        let url = try write(osrm)
        defer { try? FileManager.default.removeItem(at: url) }
        let summary = try engine.importMatrix(path: url.path)
        #expect(summary.region == "lyon" && summary.points == 3 && summary.distancesFromRouter)
        let plan = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 20))
        // Home → B-2 → B-1 → home = 300 + 1400 + 1250 s; the other order costs 1200 + 1500 + 310.
        #expect(plan.technicians.first?.route == ["B-2", "B-1"])
        let stops = try engine.store.readDatabase { db in try StopRecord.order(Column("sequence")).fetchAll(db) }
        let eight: Int64 = 1_795_503_600  // 08:00 Paris on 2026-11-24
        #expect(stops.map(\.plannedArrival) == [eight + 300, eight + 300 + 600 + 1_400])
        #expect(plan.technicians.first?.kilometres == 21.1)  // 1.5 + 10.5 + 9.1 km
    }

    @Test func aBookingFarFromEveryPointIsNamed() throws {
        let engine = try oneTechnicianDay(bookings: "B-9,C-1,2026-11-24,45.80,4.84,10,08:00-12:00\n")
        let url = try write(osrm)
        defer { try? FileManager.default.removeItem(at: url) }
        try engine.importMatrix(path: url.path)
        #expect {
            try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 5))
        } throws: { error in
            (error as? FieldRouteError)?.description.hasPrefix("booking B-9 at 45.8,4.84 is 3335 m from the nearest point") == true
        }
    }

    @Test(arguments: [
        (#""durations": [[0, 1200, 300], [1250, 0], [310, 1400, 0]]"#, "durations[1]: has 2 entries, expected 3 (ragged matrix)"),
        (#""durations": [[0, 1200, 300], [1250, 0, "x"], [310, 1400, 0]]"#, "durations[1][2]: 'x' is not a number"),
        (#""durations": [[0, 1200, 300], [1250, 0, null], [310, 1400, 0]]"#, "durations[1][2]: is null: the router found no route"),
        (#""durations": [[0, 1200, 300], [1250, 0, true], [310, 1400, 0]]"#, "durations[1][2]: '1' is not a number"),
        (#""durations": [[0, 1200, 300], [1250, 0, -4], [310, 1400, 0]]"#, "durations[1][2]: -4.0 is not a non-negative number"),
        // Found by the fuzzer: the distance estimated from this duration overflowed Int32.
        (#""durations": [[0, 1200, 300], [1251, 0, 1500], [999991600, 10, 0]]"#, "durations[2][0]: 999991600.0 is beyond 604800: no road"),
        (#""durations": [[0, 1200, 300], [1250, 0, 5]]"#, "durations: has 2 rows for 3 points"),
    ])
    func raggedOrNonNumericMatricesAreRefused(durations: String, message: String) throws {
        let engine = try makeEngine()
        let bad = osrm.replacingOccurrences(of: #""durations": [[0, 1200, 300], [1250, 0, 1500], [310, 1400, 0]]"#, with: durations)
        let before = try fingerprint(engine.store)
        let text = try failure(engine, bad)
        #expect(text.contains(message), "\(text)")
        #expect(try fingerprint(engine.store) == before)
    }

    @Test func sourcesMustEqualDestinations() throws {
        let engine = try makeEngine()
        let bad = osrm.replacingOccurrences(of: #""destinations": [{"location": [4.84, 45.76]}"#, with: #""destinations": [{"location": [4.85, 45.76]}"#)
        #expect(try failure(engine, bad).contains("destinations: must equal sources"))
        #expect(try failure(engine, "[1, 2]").contains("not a JSON object"))
        #expect(try failure(engine, #"{"code": "NoTable"}"#).contains("OSRM answered 'NoTable'"))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: monacoPath), "needs ../shared/osrm/monaco-200.json (reference data beside the clone)"))
    func importsTheMonacoTable() throws {
        let engine = try makeEngine()
        let summary = try engine.importMatrix(path: monacoPath)
        #expect(summary.points == 200 && summary.distancesFromRouter)
        let record = try engine.store.readDatabase { db in try TravelMatrixRecord.fetchOne(db) }
        // Row 0 of the file: 0, 284, 380.2 s → 0, 284, 380.
        #expect(record?.durationValues.prefix(3) == [0, 284, 380])
        #expect(record?.distanceValues.prefix(3) == [0, 2_173, 3_671])
        #expect(try engine.regions().first?.travelModel == "matrix")
    }
}

let monacoPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/osrm/monaco-200.json").path
