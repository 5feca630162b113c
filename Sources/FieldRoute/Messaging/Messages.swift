import FieldStore

/// What customers are sent and when: the outbox for whatever sends SMS and e-mail.
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/messages``.
public struct Messages: Sendable {
    public let store: FieldStore

    public init(store: FieldStore) { self.store = store }
}
