import FieldStore

/// Operations on the live day: insert an urgent job, cancel, a technician off sick, re-optimise, move (`Dispatcher+Dispatch.swift`).
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/dispatcher``.
public struct Dispatcher: Sendable {
    public let store: FieldStore
    /// The days kept in memory for what-ifs (a long-lived server); nil: each call reads its day.
    let cache: DayRecordsCache?

    public init(store: FieldStore, cache: DayRecordsCache? = nil) { self.store = store; self.cache = cache }
}
