import FieldStore

/// Operations on the live day: insert an urgent job, cancel, a technician off sick, re-optimise, move (`Dispatcher+Dispatch.swift`).
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/dispatcher``.
public struct Dispatcher: Sendable {
    public let store: FieldStore

    public init(store: FieldStore) { self.store = store }
}
