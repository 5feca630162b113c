import FieldStore

/// The one way messages reach the outbox: on the customer's preferred channel, falling back to the
/// other when that contact is missing, once per dedupe key.
enum Outbox {
    /// The channel and address to reach the customer of `booking`: the preferred one, else the
    /// other; nil when the customer has neither.
    static func contact(for booking: BookingRecord, _ db: StoreTransaction) throws -> (channel: Channel, recipient: String)? {
        guard let customer = try db.customer(id: booking.customerId) else { return nil }
        let contacts: [(Channel, String?)] = [(.sms, customer.phone), (.email, customer.email)]
        let ordered = contacts.sorted { a, _ in a.0 == customer.preferredChannel }
        return ordered.first { !($0.1 ?? "").isEmpty }.map { ($0.0, $0.1 ?? "") }
    }

    /// Queues `body` for the customer of `booking`. Returns false when the customer has neither phone
    /// nor e-mail, or a message with this dedupe key was queued before (so re-runs queue nothing twice).
    @discardableResult
    static func queue(to booking: BookingRecord, template: String, body: String, dueAt: Int64, dedupeKey: String,
                      _ db: StoreTransaction) throws -> Bool {
        guard let (channel, recipient) = try contact(for: booking, db) else { return false }
        return try insert(channel: channel, recipient: recipient, booking: booking, template: template, body: body,
                          dueAt: dueAt, dedupeKey: dedupeKey, db)
    }

    static func insert(channel: Channel, recipient: String, booking: BookingRecord, template: String, body: String, dueAt: Int64,
                       dedupeKey: String, _ db: StoreTransaction) throws -> Bool {
        try db.queue(OutboxMessageRecord(channel: channel, recipient: recipient, template: template, body: body,
                                         dueAt: dueAt, dedupeKey: dedupeKey, bookingId: booking.id))
    }

    /// True when a message with this key was ever queued.
    static func exists(_ dedupeKey: String, _ db: StoreTransaction) throws -> Bool {
        try db.messageExists(dedupeKey: dedupeKey)
    }

    /// A told window moves: the change is recorded (for `windows` and `report windows`) and the
    /// customer is sent `body`, once per new window. The one way a told window changes, so every change
    /// has its message (the day's rule 8).
    static func tellWindowChange(_ booking: BookingRecord, from old: (start: Int64, end: Int64), to new: (start: Int64, end: Int64),
                                 reason: String, body: String, at now: Int64, _ db: StoreTransaction) throws {
        var change = WindowChangeRecord(bookingId: booking.id ?? 0, oldStart: old.start, oldEnd: old.end, newStart: new.start,
                                        newEnd: new.end, reason: reason, at: now)
        try db.insert(&change)
        try queue(to: booking, template: "window_changed", body: body, dueAt: now,
                  dedupeKey: OutboxMessageRecord.windowChangedKey(booking: booking.externalId, start: new.start, end: new.end), db)
    }

    /// Withdraws the pending messages of a booking (it was cancelled, moved or ended) with the reason;
    /// returns how many.
    @discardableResult
    static func withdraw(booking: Int64, reason: String, _ db: StoreTransaction) throws -> Int {
        try db.withdrawPending(bookingId: booking, reason: reason)
    }
}
