import GRDB

extension FieldStore {
    /// Moves a booking one step along its lifecycle and records the step.
    /// - parameters:
    ///   - at: Unix seconds, UTC.
    /// - Throws: ``StoreError/notFound(kind:id:)`` or ``StoreError/illegalTransition(booking:from:to:)``;
    ///   nothing is written then.
    @discardableResult
    public func setStatus(ofBooking externalId: String, to next: BookingStatus, at: Int64,
                          reason: String? = nil) throws(StoreError) -> BookingRecord {
        try update { db in try BookingRecord.move(externalId, to: next, at: at, reason: reason, in: db) }
    }
}

extension BookingRecord {
    /// Fetches the booking with this external id.
    public static func fetch(externalId: String, in db: Database) throws -> BookingRecord {
        try ExternalId.check(externalId, field: "booking")
        guard let booking = try BookingRecord.filter(Column("externalId") == externalId).fetchOne(db) else {
            throw StoreError.notFound(kind: "booking", id: externalId)
        }
        return booking
    }

    /// The one place a booking's status changes, inside the caller's transaction.
    public static func move(_ externalId: String, to next: BookingStatus, at: Int64, reason: String?,
                     in db: Database) throws -> BookingRecord {
        var booking = try fetch(externalId: externalId, in: db)
        try booking.status.checkMove(to: next, booking: externalId)
        var change = BookingStatusChangeRecord(bookingId: booking.id ?? 0, fromStatus: booking.status,
                                               toStatus: next, at: at, reason: reason)
        booking.status = next
        booking.changedAt = at
        if next == .cancelled {
            booking.cancelledAt = at
            booking.cancellationReason = reason
            booking.cancellationLeadTime = booking.timeWindows.map(\.start).min().map { $0 - at }
        }
        try booking.update(db)
        try change.insert(db)
        return booking
    }
}
