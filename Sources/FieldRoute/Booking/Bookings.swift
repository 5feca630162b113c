import FieldStore

/// Booking under the region's rules, slots, self-service (confirm, cancel, reschedule, links), outcomes and the no-show policy, and the cancellation report.
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/bookings``.
public struct Bookings: Sendable {
    public let store: FieldStore

    public init(store: FieldStore) { self.store = store }
}
