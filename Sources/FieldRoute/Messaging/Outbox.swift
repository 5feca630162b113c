import FieldStore
import GRDB

/// The one way messages reach the outbox: on the customer's preferred channel, falling back to the
/// other when that contact is missing, once per dedupe key.
enum Outbox {
    /// Queues `body` for the customer of `booking`. Returns false when the customer has neither phone
    /// nor e-mail, or a message with this dedupe key was queued before (so re-runs queue nothing twice).
    @discardableResult
    static func queue(to booking: BookingRecord, template: String, body: String, dueAt: Int64, dedupeKey: String,
                      _ db: Database) throws -> Bool {
        guard let customer = try CustomerRecord.fetchOne(db, key: booking.customerId) else { return false }
        let contacts: [(Channel, String?)] = [(.sms, customer.phone), (.email, customer.email)]
        let ordered = contacts.sorted { a, _ in a.0 == customer.preferredChannel }
        guard let (channel, recipient) = ordered.first(where: { !($0.1 ?? "").isEmpty }).map({ ($0.0, $0.1 ?? "") }) else {
            return false
        }
        var message = OutboxMessageRecord(channel: channel, recipient: recipient, template: template, body: body,
                                          dueAt: dueAt, dedupeKey: dedupeKey, bookingId: booking.id)
        try message.insert(db)
        return db.changesCount > 0
    }
}
