import Foundation
import GRDB

/// The SQLite database behind FieldRoute: WAL mode, foreign keys on, a busy timeout, and one ordered
/// list of migrations applied on open.
///
///     let store = try FieldStore(path: "ops.sqlite")
///     let bookings = try store.read { db in try BookingRecord.fetchAll(db) }
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

    /// Opens (creating if needed) and migrates the database at `path`.
    /// - parameters:
    ///   - busyTimeout: seconds to wait for another process's write lock before failing with
    ///     ``StoreError/busy(path:timeoutSeconds:)``.
    public init(path: String, busyTimeout: Double = 10) throws(StoreError) {
        self.path = path
        self.busyTimeout = busyTimeout
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        do {
            let pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
            writer = pool
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw .busy(path: path, timeoutSeconds: busyTimeout)
        } catch {
            throw .cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// A private in-memory database, for tests and what-if runs.
    public static func inMemory() throws(StoreError) -> FieldStore {
        try FieldStore(memory: ())
    }

    private init(memory: Void) throws(StoreError) {
        path = ":memory:"
        busyTimeout = 0
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
        try read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// Runs `body` in a read-only snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.read(body) } catch { throw map(error) }
    }

    /// Like ``read(_:)``, but errors thrown by `body` that are not database errors pass through
    /// unchanged, so callers can throw their own typed errors from inside.
    public func snapshot<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch let error as DatabaseError { throw map(error) }
    }

    /// Runs `body` in one write transaction. Errors thrown by `body` roll everything back; a
    /// ``StoreError`` or any non-database error passes through unchanged, so callers can throw their
    /// own typed errors from inside.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.write(body) } catch let error as DatabaseError { throw map(error) }
    }

    /// Like ``write(_:)`` for bodies that throw only store errors.
    public func update<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try writer.write(body) } catch { throw map(error) }
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
