import GRDB

/// One read snapshot or one write transaction of the store, handed to the closure of
/// ``FieldStore/read(_:)``, ``FieldStore/write(_:)`` and their kin. Every query and every write is a
/// typed method of it, in one file per aggregate (`Bookings/`, `Plans/`, `Tracking/`, `Messages/`,
/// `Settings/`, `Reports/`); SQL and GRDB stay inside FieldStore.
///
///     try store.write { tx in
///         var booking = try tx.booking(externalId: "B-2001")
///         booking.priority = 2
///         try tx.update(booking)
///     }
public struct StoreTransaction {
    let db: Database

    init(_ db: Database) { self.db = db }
}

/// A record the store keeps: one table, one `Codable` struct (GRDB's record protocols are the
/// store's detail).
public protocol StoredRecord: FetchableRecord, MutablePersistableRecord, Sendable {}

extension StoreTransaction {
    /// Inserts `record`, setting its id.
    public func insert<R: StoredRecord>(_ record: inout R) throws { try record.insert(db) }
    /// Updates every column of `record` (it must exist).
    public func update<R: StoredRecord>(_ record: R) throws { try record.update(db) }
    /// Inserts or updates `record`.
    public func save<R: StoredRecord>(_ record: inout R) throws { try record.save(db) }
    /// Deletes `record`; false when it was not there.
    @discardableResult
    public func delete<R: StoredRecord>(_ record: R) throws -> Bool { try record.delete(db) }
    /// The record with this row id.
    public func fetch<R: StoredRecord>(_ type: R.Type, id: Int64) throws -> R? { try R.fetchOne(db, key: id) }
    /// Every record of the table.
    public func fetchAll<R: StoredRecord>(_ type: R.Type) throws -> [R] { try R.fetchAll(db) }

    /// Runs `body` in a savepoint that is always rolled back: to see what a write would do.
    public func rolledBack(_ body: () throws -> Void) throws {
        try db.inSavepoint {
            try body()
            return .rollback
        }
    }
}
