import FieldStore

/// The nightly plan: routes, promised windows and reminders for a day (`Planner+Plan.swift`).
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/planner``.
public struct Planner: Sendable {
    public let store: FieldStore

    public init(store: FieldStore) { self.store = store }
}
