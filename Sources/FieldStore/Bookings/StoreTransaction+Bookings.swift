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
        try update { tx in try tx.moveBooking(externalId, to: next, at: at, reason: reason) }
    }
}

/// Bookings, their status history, customers and customer notes.
extension StoreTransaction {
    /// The booking with this external id (compared byte for byte; control characters refused).
    public func booking(externalId: String) throws -> BookingRecord {
        try ExternalId.check(externalId, field: "booking")
        guard let booking = try BookingRecord.filter(Column("externalId") == externalId).fetchOne(db) else {
            throw StoreError.notFound(kind: "booking", id: externalId)
        }
        return booking
    }

    /// The booking with this row id.
    public func booking(id: Int64) throws -> BookingRecord? { try BookingRecord.fetchOne(db, key: id) }

    /// Bookings by row id.
    public func bookings(ids: [Int64]) throws -> [BookingRecord] { try BookingRecord.filter(ids.contains(Column("id"))).fetchAll(db) }

    /// A region's bookings of a day, by external id; only those with one of `statuses` when given.
    public func bookings(regionId: Int64, day: String, statuses: [BookingStatus]? = nil) throws -> [BookingRecord] {
        var request = BookingRecord.filter(Column("regionId") == regionId && Column("day") == day)
        if let statuses { request = request.filter(statuses.map(\.rawValue).contains(Column("status"))) }
        return try request.order(Column("externalId")).fetchAll(db)
    }

    /// Every booking, or a day's, by day and external id.
    public func bookings(day: String?) throws -> [BookingRecord] {
        var request = BookingRecord.all()
        if let day { request = request.filter(Column("day") == day) }
        return try request.order(Column("day"), Column("externalId")).fetchAll(db)
    }

    /// The external ids that start with `prefix` (`B-2024-R` finds B-2024-R1, B-2024-R2…).
    public func bookingIds(startingWith prefix: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT externalId FROM booking WHERE substr(externalId, 1, ?) = ?",
                                arguments: [prefix.utf8.count, prefix]))
    }

    /// The one place a booking's status changes: checks the step, records it, keeps a cancellation's
    /// time, reason and lead time.
    @discardableResult
    public func moveBooking(_ externalId: String, to next: BookingStatus, at: Int64, reason: String?) throws -> BookingRecord {
        var booking = try booking(externalId: externalId)
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

    /// No-shows of a customer's bookings recorded at or after `since` (Unix seconds).
    public func noShows(customerId: Int64, since: Int64) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM bookingStatusChange c JOIN booking b ON b.id = c.bookingId
            WHERE b.customerId = ? AND c.toStatus = 'no_show' AND c.at >= ?
            """, arguments: [customerId, since]) ?? 0
    }

    /// The customer with this external id, or nil.
    public func customer(externalId: String) throws -> CustomerRecord? {
        try ExternalId.check(externalId, field: "customer")
        return try CustomerRecord.filter(Column("externalId") == externalId).fetchOne(db)
    }

    /// A customer's bookings, by day and id.
    public func bookings(customerId: Int64) throws -> [BookingRecord] {
        try BookingRecord.filter(Column("customerId") == customerId).order(Column("day"), Column("externalId")).fetchAll(db)
    }

    /// What staff and the no-show policy noted about a customer, oldest first.
    public func notes(customerId: Int64) throws -> [CustomerNoteRecord] {
        try CustomerNoteRecord.filter(Column("customerId") == customerId).order(Column("at"), Column("id")).fetchAll(db)
    }

    /// The customer with this row id.
    public func customer(id: Int64) throws -> CustomerRecord? { try CustomerRecord.fetchOne(db, key: id) }
}
