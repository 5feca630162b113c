import GRDB

/// The outbox (what customers are sent), technicians' messages and self-service tokens.
extension StoreTransaction {
    /// Queues a message; false when its dedupe key was queued before (nothing is sent twice).
    @discardableResult
    public func queue(_ message: OutboxMessageRecord) throws -> Bool {
        var message = message
        try message.insert(db)
        return db.changesCount > 0
    }

    /// True when a message with this dedupe key was ever queued.
    public func messageExists(dedupeKey: String) throws -> Bool {
        try OutboxMessageRecord.filter(Column("dedupeKey") == dedupeKey).fetchCount(db) > 0
    }

    /// The message queued with this dedupe key, if any.
    public func outboxMessage(dedupeKey: String) throws -> OutboxMessageRecord? {
        try OutboxMessageRecord.filter(Column("dedupeKey") == dedupeKey).fetchOne(db)
    }

    /// Rewrites a message still pending (the morning message once the window is known).
    public func rewritePending(dedupeKey: String, body: String, dueAt: Int64) throws {
        try OutboxMessageRecord.filter(Column("dedupeKey") == dedupeKey && Column("status") == OutboxStatus.pending.rawValue)
            .updateAll(db, Column("body").set(to: body), Column("dueAt").set(to: dueAt))
    }

    /// Withdraws a booking's pending messages (it was cancelled or moved) with the reason; returns how many.
    @discardableResult
    public func withdrawPending(bookingId: Int64, reason: String) throws -> Int {
        try OutboxMessageRecord.filter(Column("bookingId") == bookingId && Column("status") == OutboxStatus.pending.rawValue)
            .updateAll(db, Column("status").set(to: OutboxStatus.withdrawn.rawValue), Column("withdrawnReason").set(to: reason))
    }

    /// Withdraws the message with this dedupe key if it is still pending, with the reason; true when it was.
    @discardableResult
    public func withdrawPending(dedupeKey: String, reason: String) throws -> Bool {
        try OutboxMessageRecord.filter(Column("dedupeKey") == dedupeKey && Column("status") == OutboxStatus.pending.rawValue)
            .updateAll(db, Column("status").set(to: OutboxStatus.withdrawn.rawValue), Column("withdrawnReason").set(to: reason)) > 0
    }

    /// Withdraws one pending message with the reason (the sender never saw it).
    public func withdrawPending(id: Int64, reason: String) throws {
        try OutboxMessageRecord.filter(Column("id") == id && Column("status") == OutboxStatus.pending.rawValue)
            .updateAll(db, Column("status").set(to: OutboxStatus.withdrawn.rawValue), Column("withdrawnReason").set(to: reason))
    }

    /// An outbox message with its booking's external id.
    public struct OutboxRow: Sendable {
        public var message: OutboxMessageRecord
        public var booking: String?
    }

    /// Pending messages due at `now` (Unix seconds), oldest first.
    public func dueMessages(now: Int64) throws -> [OutboxRow] {
        try outboxRows(where: "o.status = 'pending' AND o.dueAt <= ? ORDER BY o.dueAt, o.id", [now])
    }

    /// One outbox message with its booking's external id.
    public func outboxRow(id: Int64) throws -> OutboxRow? { try outboxRows(where: "o.id = ?", [id]).first }

    private func outboxRows(where clause: String, _ arguments: StatementArguments) throws -> [OutboxRow] {
        try Row.fetchAll(db, sql: """
            SELECT o.*, b.externalId AS booking FROM outbox o LEFT JOIN booking b ON b.id = o.bookingId WHERE \(clause)
            """, arguments: arguments).map { OutboxRow(message: try OutboxMessageRecord(row: $0), booking: $0["booking"]) }
    }

    /// The name of the technician whose route holds the booking, or nil.
    public func technicianName(ofBooking bookingId: Int64?) throws -> String? {
        try String.fetchOne(db, sql: """
            SELECT t.name FROM stop s JOIN route r ON r.id = s.routeId JOIN technician t ON t.id = r.technicianId WHERE s.bookingId = ?
            """, arguments: [bookingId])
    }

    /// Hands a booking's self-service tokens to the booking it was moved to, each valid at least until
    /// `until` (Unix seconds): the customer's old link follows the visit.
    public func moveTokens(fromBooking old: Int64, toBooking new: Int64, validUntil until: Int64) throws {
        try db.execute(sql: "UPDATE bookingToken SET bookingId = ?, expiresAt = MAX(expiresAt, ?) WHERE bookingId = ?",
                       arguments: [new, until, old])
    }

    /// Marks open holds past their expiry `expired` (they are never honoured); returns how many.
    @discardableResult
    public func expireHolds(now: Int64) throws -> Int {
        try SlotHoldRecord.filter(Column("status") == SlotHoldStatus.open.rawValue && Column("expiresAt") <= now)
            .updateAll(db, Column("status").set(to: SlotHoldStatus.expired.rawValue))
    }

    /// The open, unexpired holds of a region's day, oldest first.
    public func openHolds(regionId: Int64, day: String, now: Int64) throws -> [SlotHoldRecord] {
        try SlotHoldRecord.filter(Column("regionId") == regionId && Column("day") == day
                                  && Column("status") == SlotHoldStatus.open.rawValue && Column("expiresAt") > now)
            .order(Column("createdAt"), Column("id")).fetchAll(db)
    }

    /// Marks a customer's open holds of `slot` taken (they booked it, or accepted the offer).
    public func takeHolds(customerId: Int64, slot: String) throws {
        try SlotHoldRecord.filter(Column("customerId") == customerId && Column("slot") == slot && Column("status") == SlotHoldStatus.open.rawValue)
            .updateAll(db, Column("status").set(to: SlotHoldStatus.taken.rawValue))
    }

    /// The holds and offers of a booking (offers), oldest first.
    public func holds(bookingId: Int64) throws -> [SlotHoldRecord] {
        try SlotHoldRecord.filter(Column("bookingId") == bookingId).order(Column("createdAt"), Column("id")).fetchAll(db)
    }

    /// The self-service token with this SHA-256 (hex), or nil.
    public func token(hash: String) throws -> BookingTokenRecord? {
        try BookingTokenRecord.filter(Column("tokenHash") == hash).fetchOne(db)
    }

    public func staffToken(hash: String) throws -> StaffTokenRecord? {
        try StaffTokenRecord.filter(Column("tokenHash") == hash).fetchOne(db)
    }

    /// The last "hold" a technician was told for each booking of `day` still to visit (booked or
    /// confirmed), by booking id: the instant to hold until, or nil when they were last told there is
    /// no need to hold; and that message's id. Hold messages carry `hold:<booking>:<until or none>[:…]`
    /// as their dedupe key (unique in the table: the rest names the technician and the message it follows).
    public func latestHolds(technicianId: Int64, day: String) throws -> [Int64: (booking: String, until: Int64?, messageId: Int64)] {
        var out: [Int64: (booking: String, until: Int64?, messageId: Int64)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT m.id, m.bookingId, m.dedupeKey, b.externalId FROM technicianMessage m JOIN booking b ON b.id = m.bookingId
            WHERE m.technicianId = ? AND m.dedupeKey LIKE 'hold:%' AND b.day = ? AND b.status IN ('booked', 'confirmed')
            ORDER BY m.id
            """, arguments: [technicianId, day]) {
            let booking: String = row["externalId"], key: String = row["dedupeKey"]
            let prefix = "hold:\(booking):"
            guard key.hasPrefix(prefix) else { continue }
            let until = key.dropFirst(prefix.count).split(separator: ":").first.flatMap { Int64($0) }
            out[row["bookingId"]] = (booking, until, row["id"])
        }
        return out
    }

    /// What a technician was told at or after `since` (Unix seconds), oldest first, with each booking's external id.
    public func technicianMessages(technicianId: Int64, since: Int64) throws -> [(message: TechnicianMessageRecord, booking: String?)] {
        try Row.fetchAll(db, sql: """
            SELECT m.*, b.externalId AS booking FROM technicianMessage m LEFT JOIN booking b ON b.id = m.bookingId
            WHERE m.technicianId = ? AND m.createdAt >= ? ORDER BY m.createdAt, m.id
            """, arguments: [technicianId, since]).map { (try TechnicianMessageRecord(row: $0), $0["booking"]) }
    }
}
