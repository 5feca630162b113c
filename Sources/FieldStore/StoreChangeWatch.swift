import GRDB

/// Tells whether anything was committed to a store since the last look, by this process or any
/// other (the CLI, the nightly plan): SQLite's `PRAGMA data_version` on a read-only connection of its
/// own, which changes whenever another connection commits. A server keeps what it read until the
/// version moves, then reads again.
///
///     let watch = try StoreChangeWatch(store)
///     let seen = try watch.version()
///     // … later: if try watch.version() != seen { reload }
public final class StoreChangeWatch: Sendable {
    private let connection: DatabaseQueue?
    private let store: FieldStore

    public init(_ store: FieldStore) throws(StoreError) {
        self.store = store
        guard store.path != ":memory:" else { connection = nil; return }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(store.busyTimeout)
        do { connection = try DatabaseQueue(path: store.path, configuration: config) } catch {
            throw .cannotOpen(path: store.path, reason: String(describing: error))
        }
    }

    /// A number that differs from the last one returned whenever a transaction was committed since.
    /// (A private in-memory store has no other connection: there it counts the rows changed.)
    public func version() throws(StoreError) -> Int64 {
        do {
            if let connection {
                return try connection.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
            }
            return try store.readDatabase { db in Int64(db.totalChangesCount) }
        } catch { throw store.map(error) }
    }
}
