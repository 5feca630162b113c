@testable import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Issue 16 (6, 7): ISO-8601 timestamps read without a formatter, and a pings CSV checked like the
/// other imports.
@Suite struct PingFileTests {
    @Test func isoTimestampsReadByHandAgreeWithFoundation() throws {
        var rng = SystemRandomNumberGenerator()
        let formatter = ISO8601DateFormatter()
        for _ in 0..<2_000 {
            let t = Int64.random(in: 946_684_800...4_102_444_800, using: &rng)
            let minutes = Int.random(in: -14 * 4...14 * 4, using: &rng) * 15
            formatter.timeZone = TimeZone(secondsFromGMT: minutes * 60)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t)))
            #expect(ISO8601Instant.parse(text) == t, "\(text)")
        }
        #expect(ISO8601Instant.parse("2026-11-24T08:00:00.250Z") == 1_795_507_200)
        #expect(ISO8601Instant.parse("2026-11-24T09:00:00+0100") == 1_795_507_200)
        #expect(ISO8601Instant.parse("2026-11-24T09:00:00+01") == 1_795_507_200)
        #expect(ISO8601Instant.parse("2024-02-29T00:00:00Z") == 1_709_164_800)
        for bad in ["2026-11-24T08:00:00", "2026-11-24 08:00:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                    "2026-11-24T24:00:00Z", "2026-11-24T08:60:00Z", "2026-11-24T08:00:00+19:00", "2026-11-24T08:00:00.Z",
                    "2026-11-24T08:00:00Zx", "2026-11-24T08:00:00+01:0", "１９７０-01-01T00:00:00Z", ""] {
            #expect(ISO8601Instant.parse(bad) == nil, "\(bad)")
        }
    }

    func engine() throws -> Engine {
        let engine = try makeEngine()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-01,Ana,45.76,4.84\n")
        return engine
    }

    @Test func isoAndUnixTimestampsStoreTheSamePings() throws {
        let iso = try engine(), unix = try engine()
        _ = try iso.tracker.ingestPings(data: Data("technician,timestamp,lat,lon,accuracy_m\nT-01,2026-11-24T09:00:05+01:00,45.75,4.84,12\n".utf8), name: "a.csv")
        _ = try unix.tracker.ingestPings(data: Data("technician,timestamp,lat,lon,accuracy\nT-01,1795507205,45.75,4.84,12\n".utf8), name: "b.csv")
        let rows = { (e: Engine) in try e.store.readDatabase { db in try Row.fetchAll(db, sql: "SELECT timestamp, lat, lon, accuracy FROM ping").map(\.description) } }
        #expect(try rows(iso) == rows(unix) && rows(iso) == ["[timestamp:1795507205 lat:45.75 lon:4.84 accuracy:12.0]"])
    }

    @Test(arguments: [
        ("technician,timestamp,lat,lon,acuracy\nT-01,1795507205,45.75,4.84,12\n",
         "p.csv:1: acuracy: unknown column for pings; expected technician, timestamp, lat, lon, accuracy, accuracy_m, speed, heading"),
        ("technician,timestamp,lat,lon,accuracy,accuracy_m\nT-01,1795507205,45.75,4.84,12,12\n",
         "p.csv:1: accuracy_m: give accuracy or accuracy_m, not both"),
        ("technician,timestamp,lat\nT-01,1795507205,45.75\n", "p.csv:1: lon: missing column"),
        ("technician,timestamp,lat,lon\nT-01,2026-11-24T09:00:05,45.75,4.84\n",
         "p.csv:2: timestamp: '2026-11-24T09:00:05' is neither Unix seconds nor ISO-8601 with a zone"),
        ("technician,timestamp,lat,lon\nT-01,1795507205,45.75,4.84\n\(String(repeating: "T", count: 2_000)),1795507205,45.75,4.84\n",
         "p.csv:3: technician: value is 2000 characters; at most 1000"),
    ])
    func badPingFilesAreRefusedWithFileAndLine(csv: String, message: String) throws {
        let engine = try engine()
        #expect(performing: { _ = try engine.tracker.ingestPings(data: Data(csv.utf8), name: "p.csv") }, throws: { error in
            (error as? FieldRouteError)?.description == message
        })
        let count = try engine.store.readDatabase { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ping") }
        #expect(count == 0)
    }
}
