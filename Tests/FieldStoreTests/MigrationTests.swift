import FieldStore
import Foundation
import GRDB
import Testing

@Suite struct MigrationTests {
    @Test func migratesAnEmptyFileToTheWholeSchema() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fr-migrate-\(UUID()).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try FieldStore(path: path)
        #expect(try store.appliedMigrations() == ["v1: domain", "v2: fence owners, site radius per booking", "v3: imported travel matrices", "v4: planned lunch breaks", "v5: self-service tokens, technician messages, customer notes", "v6: live windows", "v7: the day's guardian: day versions, unplanned visits", "v8: planned departures", "v9: why a message was withdrawn", "v10: holds and offers of slots", "v11: staff tokens for the served pages", "v12: travel times fetched from a region's OSRM server"])
        let tables = try store.readDatabase { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
        }
        #expect(tables == ["booking", "bookingStatusChange", "bookingToken", "customer", "customerNote", "dayVersion", "detectorState", "geofence",
                           "geofenceEvent", "outbox", "ping", "plan", "region", "route", "routerLegs", "setting", "shift", "slotHold", "staffToken", "stop", "technician",
                           "technicianMessage", "travelMatrix", "unplanned", "windowChange", "windowEstimate"])
        let (journal, foreignKeys) = try store.readDatabase { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        // Opening again applies nothing twice.
        #expect(try FieldStore(path: path).appliedMigrations() == ["v1: domain", "v2: fence owners, site radius per booking", "v3: imported travel matrices", "v4: planned lunch breaks", "v5: self-service tokens, technician messages, customer notes", "v6: live windows", "v7: the day's guardian: day versions, unplanned visits", "v8: planned departures", "v9: why a message was withdrawn", "v10: holds and offers of slots", "v11: staff tokens for the served pages", "v12: travel times fetched from a region's OSRM server"])
    }

    /// Issue 13, observation 7: every open ran the migrator, which raises `schema_version` (and so
    /// invalidates every other connection's prepared statements), even for `bookings list`.
    @Test func openingAnUpToDateDatabaseLeavesTheSchemaAlone() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fr-open-\(UUID()).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        _ = try FieldStore(path: path)
        // Each open is a new process's: the store closes (its WAL file kept) before the next opens.
        let version = { try FieldStore(path: path).readDatabase { db in try Int.fetchOne(db, sql: "PRAGMA schema_version") } }
        let before = try version()
        for _ in 0..<3 { _ = try FieldStore(path: path).appliedMigrations() }
        #expect(try version() == before)
    }

    /// A database made by an older build (migrations up to v6) is brought forward on open.
    @Test func aBehindDatabaseIsMigratedOnOpen() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fr-behind-\(UUID()).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        _ = try FieldStore(path: path)
        try DatabaseQueue(path: path).write { db in
            for trigger in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dayOn%'") {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DROP TABLE unplanned; DROP TABLE dayVersion; DELETE FROM grdb_migrations WHERE identifier LIKE 'v7:%'")
        }
        #expect(try FieldStore(path: path).appliedMigrations().contains("v7: the day's guardian: day versions, unplanned visits"))
    }

    @Test func schemaRefusesWhatTheSwiftCodeMightGetWrong() throws {
        let store = try FieldStore.inMemory()
        #expect(throws: StoreError.self) {
            try store.writeDatabase { db in try db.execute(sql: "INSERT INTO region (name, timeZone, depotLat) VALUES ('x', 'UTC', 91)") }
        }
        #expect(throws: StoreError.self) {
            try store.writeDatabase { db in
                var region = RegionRecord(name: "r", timeZone: "UTC")
                try region.insert(db)
                var tech = TechnicianRecord(externalId: "T", regionId: region.id!, name: "n", startLat: 0, startLon: 0,
                                            endLat: 0, endLon: 0, skills: [])
                try tech.insert(db)
                var shift = ShiftRecord(technicianId: tech.id!, day: "2026-11-24", start: 0, end: 90_000)
                try shift.insert(db)  // longer than 24 h: the CHECK refuses it
            }
        }
        // The failed transaction left nothing behind.
        #expect(try store.readDatabase { db in try RegionRecord.fetchCount(db) } == 0)
    }
}
