import FieldStore
import Foundation

/// A message a sender should send now.
public struct OutboxView: Sendable, Codable, Equatable {
    public var id: Int64
    public var channel: String
    public var recipient: String
    public var template: String
    /// As handed out: with its self-service links (fresh tokens) filled in.
    public var body: String
    /// Unix seconds, UTC.
    public var dueAt: Int64
    public var booking: String?
    public var status: String
    public var attempts: Int
}

/// Self-service links in a stored message: markers until the message is handed out, when a fresh
/// token is made (only its hash is stored) and the link written in.
enum SelfServiceLinks {
    static func marker(_ action: SelfServiceAction) -> String { "⟦\(action.rawValue)_link⟧" }

    /// A value put into a message, without the marker brackets (so a customer's name cannot forge a link).
    static func clean(_ text: String) -> String { text.filter { $0 != "⟦" && $0 != "⟧" } }

    static func present(in body: String) -> Bool { SelfServiceAction.allCases.contains { body.contains(marker($0)) } }

    static func render(_ body: String, base: String, token: String) -> String {
        var out = body
        for action in SelfServiceAction.allCases {
            out = out.replacingOccurrences(of: marker(action), with: "\(base)\(token)/\(action.rawValue)")
        }
        return out
    }
}

extension Messages {
    /// The messages sent at a time chosen in advance (the reminder offsets, the morning of the visit);
    /// the others (approach, on the way, window changed, an offer) are real-time.
    static let scheduledKinds: Set<String> = ["reminder", "morning"]
    /// Real-time messages about the technician coming, stale once they are there.
    static let approachKinds: Set<String> = ["approach", "on_the_way"]

    /// Hands the sender what should go out at `now`, oldest first, with the self-service links written
    /// in (a fresh token per message and hand-out). On the way, in the same transaction:
    /// - a message whose visit ended (completed, no-show, cancelled, moved) is withdrawn with that reason;
    ///   so is a reminder or morning message once the visit has begun, and an "arriving" once the
    ///   technician has arrived;
    /// - an SMS inside the region's quiet hours stays pending until they end (real-time ones until
    ///   `reminders.realTimeFrom`): it is handed out at the next allowed moment, never dropped.
    public func dueMessages(now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> [OutboxView] {
        do {
            return try store.write { db in
                var out: [OutboxView] = []
                var regions: [Int64: (ReminderSettings, RegionClock)] = [:]
                for row in try db.dueMessages(now: now) {
                    let m = row.message
                    guard let bookingId = m.bookingId, let booking = try db.booking(id: bookingId) else {
                        out.append(Self.view(row)); continue
                    }
                    if let reason = try Self.staleness(of: m, booking: booking, now: now, db) {
                        try db.withdrawPending(id: m.id ?? 0, reason: reason)
                        continue
                    }
                    if regions[booking.regionId] == nil {
                        let zone = try db.region(id: booking.regionId)?.timeZone ?? "UTC"
                        regions[booking.regionId] = (try Engine.setting(ReminderSettings.self, regionId: booking.regionId, db),
                                                     try RegionClock(timeZone: zone))
                    }
                    guard let (settings, clock) = regions[booking.regionId] else { continue }
                    if m.channel == .sms,
                       settings.isQuiet(minute: clock.minuteOfDay(now), realTime: !Self.scheduledKinds.contains(m.template)) { continue }
                    var view = Self.view(row)
                    if SelfServiceLinks.present(in: m.body) {
                        let token = try Bookings.makeToken(for: booking, now: now, db).token
                        view.body = SelfServiceLinks.render(m.body, base: settings.linkBase, token: token)
                    }
                    out.append(view)
                }
                return out
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Why a pending message should no longer go out, or nil.
    private static func staleness(of m: OutboxMessageRecord, booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws -> String? {
        if booking.status.isFinal { return "visit \(booking.status.rawValue) before it was handed out" }
        if approachKinds.contains(m.template), booking.status == .arrived { return "the technician arrived before it was handed out" }
        if m.template == "offer" {
            let id = Int64(m.dedupeKey.dropFirst("offer:".count)) ?? 0
            guard let hold = try db.fetch(SlotHoldRecord.self, id: id), hold.status == .open, hold.expiresAt > now else {
                return "the offer ended before it was handed out"
            }
            return nil
        }
        guard scheduledKinds.contains(m.template) else { return nil }
        let promised = try db.stop(bookingId: booking.id ?? 0)?.stop.promisedStart
        guard let start = promised ?? booking.timeWindows.map(\.start).min(), now >= start else { return nil }
        return "the visit began before it was handed out"
    }

    /// Records delivery: each id becomes `sent`, or, with a failure reason, is tried once more — on
    /// the customer's other channel when they have one (SMS ↔ e-mail), else on the same — and becomes
    /// `failed` after a second failure. Unknown ids and withdrawn messages are refused; nothing is
    /// written then.
    @discardableResult
    public func markSent(ids: [Int64], failed reason: String? = nil,
                         now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> [OutboxView] {
        guard !ids.isEmpty else { throw .badInput("give at least one message id") }
        do {
            return try store.write { db in
                var out: [OutboxView] = []
                for id in ids {
                    guard var m = try db.fetch(OutboxMessageRecord.self, id: id) else { throw FieldRouteError.badInput("no message \(id)") }
                    guard m.status != .withdrawn else {
                        throw FieldRouteError.badInput("message \(id) was withdrawn (\(m.withdrawnReason ?? "its visit changed"))")
                    }
                    if let reason {
                        let firstFailure = m.status != .failed && m.lastError == nil
                        m.lastError = "\(m.channel.rawValue): \(reason)"
                        if firstFailure {
                            if let other = try Self.otherContact(than: m.channel, bookingId: m.bookingId, db) {
                                m.channel = other.channel; m.recipient = other.recipient
                            }
                            m.status = .pending
                            m.dueAt = max(m.dueAt, now)
                        } else {
                            m.status = .failed
                        }
                    } else {
                        m.status = .sent
                    }
                    m.attempts += 1
                    try db.update(m)
                    if let row = try db.outboxRow(id: id) { out.append(Self.view(row)) }
                }
                return out
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// The customer's contact on the other channel than `channel`, if they have one.
    private static func otherContact(than channel: Channel, bookingId: Int64?, _ db: StoreTransaction) throws
        -> (channel: Channel, recipient: String)? {
        guard let bookingId, let booking = try db.booking(id: bookingId), let customer = try db.customer(id: booking.customerId) else {
            return nil
        }
        let other: (Channel, String?) = channel == .sms ? (.email, customer.email) : (.sms, customer.phone)
        guard let recipient = other.1, !recipient.isEmpty else { return nil }
        return (other.0, recipient)
    }

    private static func view(_ r: StoreTransaction.OutboxRow) -> OutboxView {
        let m = r.message
        return OutboxView(id: m.id ?? 0, channel: m.channel.rawValue, recipient: m.recipient, template: m.template, body: m.body,
                          dueAt: m.dueAt, booking: r.booking, status: m.status.rawValue, attempts: m.attempts)
    }
}
