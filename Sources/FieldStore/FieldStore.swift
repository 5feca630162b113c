import Foundation
import GRDB
import GRDBSQLite

/// The SQLite database behind FieldRoute: WAL mode, foreign keys on, a busy timeout, and one ordered
/// list of migrations applied on open.
///
///     let store = try FieldStore(path: "ops.sqlite")
///     let bookings = try store.read { tx in try tx.bookings(day: "2026-11-24") }
///
/// Every write goes through ``write(_:)``, one transaction: either all of it lands or none.
///
/// ## Topics
/// ### Opening
/// - ``init(path:busyTimeout:)``
/// - ``inMemory()``
/// ### Reading and writing
/// - ``read(_:)``
/// - ``write(_:)``
public final class FieldStore: Sendable {
    /// The file path, or ":memory:".
    public let path: String
    let writer: any DatabaseWriter
    let busyTimeout: Double
    /// When true, every write transaction checks the day's invariants (``DayInvariants``) on the days
    /// it changed, and that no driven stop changed, before it commits; a violation rolls it back with
    /// ``StoreError/invariantsBroken(_:)``. On by default when `FIELDROUTE_CHECK=1`.
    public let checksInvariants: Bool

    /// True when the environment asks for invariant checks (`FIELDROUTE_CHECK=1`).
    public static var checkRequested: Bool { ProcessInfo.processInfo.environment["FIELDROUTE_CHECK"] == "1" }

    /// Opens (creating if needed) the database at `path`, migrating it when its schema is behind.
    /// - parameters:
    ///   - busyTimeout: seconds to wait for another process's write lock before failing with
    ///     ``StoreError/busy(path:timeoutSeconds:)``.
    ///   - checksInvariants: see ``checksInvariants``.
    public init(path: String, busyTimeout: Double = 10, checksInvariants: Bool = FieldStore.checkRequested) throws(StoreError) {
        self.path = path
        self.busyTimeout = busyTimeout
        self.checksInvariants = checksInvariants
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        // Keep the WAL file when the last connection closes. Without it, GRDB's pool re-creates the file
        // on every open by creating and dropping a table, which raises `schema_version` and so
        // invalidates every other process's prepared statements.
        config.prepareDatabase { db in
            var persist: Int32 = 1
            sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            try Self.migrateIfBehind(pool)
            writer = pool
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw .busy(path: path, timeoutSeconds: busyTimeout)
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Migrates only when the schema is behind: GRDB's migrator changes `schema_version` on every run,
    /// which would make every reader's prepared statements stale and take the write lock on each open.
    private static func migrateIfBehind(_ writer: some DatabaseWriter) throws {
        let migrator = Schema.migrator
        if try writer.read({ db in try migrator.hasCompletedMigrations(db) }) { return }
        try migrator.migrate(writer)
    }

    /// A private in-memory database, for tests and what-if runs.
    public static func inMemory(checksInvariants: Bool = FieldStore.checkRequested) throws(StoreError) -> FieldStore {
        try FieldStore(memory: (), checksInvariants: checksInvariants)
    }

    private init(memory: Void, checksInvariants: Bool) throws(StoreError) {
        path = ":memory:"
        busyTimeout = 0
        self.checksInvariants = checksInvariants
        var config = Configuration()
        config.foreignKeysEnabled = true
        do {
            let queue = try DatabaseQueue(configuration: config)
            try Schema.migrator.migrate(queue)
            writer = queue
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// The names of the migrations applied, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try readDatabase { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Runs `body` in a read-only snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws(StoreError) -> T {
        do { return try writer.read { db in try body(StoreTransaction(db)) } } catch { throw map(error) }
    }

    /// Like ``read(_:)``, but errors thrown by `body` that are not database errors pass through
    /// unchanged, so callers can throw their own typed errors from inside.
    public func snapshot<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do { return try writer.read { db in try body(StoreTransaction(db)) } } catch let error as DatabaseError { throw map(error) }
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`). Errors thrown by `body` roll
    /// everything back; a ``StoreError`` or any non-database error passes through unchanged, so
    /// callers can throw their own typed errors from inside.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do { return try writer.write { db in try guarded({ try body(StoreTransaction($0)) }, db) } }
        catch let error as DatabaseError { throw map(error) }
    }

    /// Like ``write(_:)`` for bodies that throw only store errors.
    public func update<T>(_ body: (StoreTransaction) throws -> T) throws(StoreError) -> T {
        do { return try writer.write { db in try guarded({ try body(StoreTransaction($0)) }, db) } } catch { throw map(error) }
    }

    /// The raw database in a read-only snapshot: for this package's tests, which look at rows directly.
    package func readDatabase<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.read(body) } catch { throw map(error) }
    }

    /// The raw database in one write transaction (invariants checked as for ``write(_:)``): for this
    /// package's tests, which set up or break rows directly.
    package func writeDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.write { db in try guarded(body, db) } } catch let error as DatabaseError { throw map(error) }
    }

    /// `body`, then (with ``checksInvariants``) the invariants of every day it changed, the message
    /// rules on every day, and that no driven stop changed.
    private func guarded<T>(_ body: (Database) throws -> T, _ db: Database) throws -> T {
        guard checksInvariants else { return try body(db) }
        let versions = try DayInvariants.versions(db), driven = try DayInvariants.drivenStops(db)
        let result = try body(db)
        let after = try DayInvariants.versions(db)
        let changed = after.keys.filter { after[$0] != versions[$0] }.sorted { ($0.regionId, $0.day) < ($1.regionId, $1.day) }
        let tx = StoreTransaction(db)
        let broken = try changed.flatMap { try DayInvariants.placements($0, tx) } + DayInvariants.messages(nil, db)
            + DayInvariants.drivenChanges(from: driven, to: try DayInvariants.drivenStops(db))
        if !broken.isEmpty { throw StoreError.invariantsBroken(broken) }
        return result
    }

    func map(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                return .busy(path: path, timeoutSeconds: busyTimeout)
            }
            return .database("\(error.resultCode): \(error.message ?? "no message")")
        }
        return .database(String(describing: error))
    }
}
