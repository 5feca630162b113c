import GRDB

/// A visit of a planned day that has no place in any route, and why (`no_room`, `window_unreachable`,
/// `no_skilled_vehicle`, `pinned_technician_absent`, `awaiting_prepayment`, `break_conflict`, `booked_after_plan`, or a
/// dispatcher's reason). A stop for the visit removes it (a trigger does, whoever writes the stop).
public struct UnplannedRecord: Codable, Sendable, Equatable {
    public var bookingId: Int64
    public var planId: Int64
    public var reason: String
    /// Unix seconds, UTC.
    public var at: Int64

    public init(bookingId: Int64, planId: Int64, reason: String, at: Int64) {
        self.bookingId = bookingId; self.planId = planId; self.reason = reason; self.at = at
    }
}

extension UnplannedRecord: StoredRecord, PersistableRecord {
    public static let databaseTableName = "unplanned"
}
