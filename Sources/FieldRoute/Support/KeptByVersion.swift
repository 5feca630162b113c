import Synchronization

/// Values kept in memory under the store version they were read at (`PRAGMA data_version`, through
/// `StoreChangeWatch`): a value read again once anything was committed. At most 60 keys (a server
/// answers for a few days); past that everything is dropped, never growing without bound.
/// Read the version before the snapshot a value comes from, so a value is never kept under a
/// version newer than what it shows.
public final class KeptByVersion<Value: Sendable>: Sendable {
    private let kept = Mutex<[String: (version: Int64, value: Value)]>([:])

    public init() {}

    /// The value kept for `key` at `version`, else `load()`'s, kept under `version`.
    public func value<E: Error>(_ key: String, at version: Int64, load: () throws(E) -> Value) throws(E) -> Value {
        if let hit = kept.withLock({ $0[key] }), hit.version == version { return hit.value }
        let value = try load()
        kept.withLock { kept in
            if kept.count > 60 { kept.removeAll() }
            kept[key] = (version, value)
        }
        return value
    }
}
