import FieldStore

/// Arrival windows after the plan: live windows per booking, what a customer may see, simulated days, learning the uncertainty model, the window report.
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/promises``.
public struct Promises: Sendable {
    public let store: FieldStore

    public init(store: FieldStore) { self.store = store }
}
