import FieldStore

/// GPS pings → geofence events → their effects (arrived, completed, "arriving"), fences and the geofence report.
///
/// Each operation loads what it needs through ``FieldStore``, decides with the pure models, and
/// writes through ``FieldStore`` in one transaction. Get one from ``Engine/tracker``.
public struct Tracker: Sendable {
    public let store: FieldStore

    public init(store: FieldStore) { self.store = store }
}
