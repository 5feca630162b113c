import GRDB
import GRDBSQLite

/// Inserts pings through one prepared statement with values bound directly: the ingest's hot loop
/// (GRDB's general argument arrays cost more than SQLite's insert itself). Duplicates — the same
/// technician and timestamp — are ignored by the table's unique key.
///
///     let writer = try tx.pingWriter()
///     let stored = try writer.insert(technician: 7, timestamp: t, lat: 45.75, lon: 4.84, accuracy: 8)
public struct PingWriter {
    private let statement: Statement

    init(_ db: Database) throws {
        statement = try db.makeStatement(sql: """
            INSERT INTO ping (technicianId, timestamp, lat, lon, accuracy, speed, heading) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Stores one ping; returns false when it was already stored.
    public func insert(technician: Int64, timestamp: Int64, lat: Double, lon: Double, accuracy: Double?, speed: Double?,
                       heading: Double?) throws -> Bool {
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        sqlite3_bind_int64(s, 1, technician)
        sqlite3_bind_int64(s, 2, timestamp)
        sqlite3_bind_double(s, 3, lat)
        sqlite3_bind_double(s, 4, lon)
        bind(s, 5, accuracy); bind(s, 6, speed); bind(s, 7, heading)
        let code = sqlite3_step(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s))),
                                sql: statement.sql)
        }
        return sqlite3_changes(sqlite3_db_handle(s)) > 0
    }

    private func bind(_ s: OpaquePointer, _ k: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(s, k, value) } else { sqlite3_bind_null(s, k) }
    }
}
