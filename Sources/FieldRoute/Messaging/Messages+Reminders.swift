import FieldStore
import Foundation

/// A message a sender should send now.
public struct OutboxView: Sendable, Codable, Equatable {
    public var id: Int64
    public var channel: String
    public var recipient: String
    public var template: String
    public var body: String
    /// Unix seconds, UTC.
    public var dueAt: Int64
    public var booking: String?
    public var status: String
    public var attempts: Int
}

extension Messages {
    /// Queues a booking's reminders (the region's offsets before its first window), once each: a
    /// re-run queues nothing twice; reminders whose time has passed are skipped; an SMS due in the
    /// quiet hours waits until they end (and is dropped only if the visit would have begun). Returns
    /// how many were queued.
    @discardableResult
    static func queueReminders(for booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws -> Int {
        guard [.booked, .confirmed].contains(booking.status), let visit = booking.timeWindows.first?.start,
              let region = try db.region(id: booking.regionId),
              let contact = try Outbox.contact(for: booking, db) else { return 0 }
        let settings = try Engine.setting(ReminderSettings.self, regionId: booking.regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        var queued = 0, token: String?
        for offset in settings.offsets.sorted(by: >) {
            let key = "reminder:\(booking.externalId):\(offset)"
            guard !(try Outbox.exists(key, db)) else { continue }
            guard let due = deliveryTime(visit - Int64(offset) * 60, channel: contact.channel, settings, clock),
                  due >= now, due < visit else { continue }
            if token == nil { token = try Bookings.makeToken(for: booking, now: now, db).token }
            let body = try render(settings.templates["reminder"] ?? "", booking: booking, window: nil, token: token, clock, db)
            if try Outbox.insert(channel: contact.channel, recipient: contact.recipient, booking: booking, template: "reminder",
                                 body: body, dueAt: due, dedupeKey: key, db) { queued += 1 }
        }
        return queued
    }

    /// Queues (or, while still pending, rewrites) the morning-of message carrying the promised window.
    static func queueMorningMessage(for booking: BookingRecord, window: (start: Int64, end: Int64), now: Int64,
                                    _ db: StoreTransaction) throws {
        guard [.booked, .confirmed].contains(booking.status), let region = try db.region(id: booking.regionId),
              let contact = try Outbox.contact(for: booking, db) else { return }
        let settings = try Engine.setting(ReminderSettings.self, regionId: booking.regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        guard let morning = settings.morningOf, let at = clock.instant(day: booking.day, time: morning),
              let due = deliveryTime(at, channel: contact.channel, settings, clock), due >= now, due < window.start else { return }
        let key = morningKey(booking)
        let token = try Bookings.makeToken(for: booking, now: now, db).token
        let body = try render(settings.templates["morning"] ?? "", booking: booking, window: window, token: token, clock, db)
        if try Outbox.exists(key, db) {
            try db.rewritePending(dedupeKey: key, body: body, dueAt: due)
        } else {
            _ = try Outbox.insert(channel: contact.channel, recipient: contact.recipient, booking: booking, template: "morning",
                                  body: body, dueAt: due, dedupeKey: key, db)
        }
    }

    /// The morning message's dedupe key: one per booking.
    static func morningKey(_ booking: BookingRecord) -> String { "morning:\(booking.externalId)" }

    /// When a message meant for `at` goes out: SMS waits out the quiet hours.
    static func deliveryTime(_ at: Int64, channel: Channel, _ settings: ReminderSettings, _ clock: RegionClock) -> Int64? {
        guard channel == .sms, settings.isQuiet(minute: clock.minuteOfDay(at)),
              let until = BookingRules.minutes(settings.quietUntil) else { return at }
        return clock.next(minuteOfDay: until, atOrAfter: at)
    }

    private static func render(_ template: String, booking: BookingRecord, window: (start: Int64, end: Int64)?, token: String?,
                               _ clock: RegionClock, _ db: StoreTransaction) throws -> String {
        let settings = try Engine.setting(ReminderSettings.self, regionId: booking.regionId, db)
        let customer = try db.customer(id: booking.customerId)
        let technician = try db.technicianName(ofBooking: booking.id)
        let windows = window.map { [($0.start, $0.end)] } ?? booking.timeWindows.map { ($0.start, $0.end) }
        let link = { (action: String) in token.map { "\(settings.linkBase)\($0)/\(action)" } ?? "" }
        return MessageTemplate.render(template, [
            "customer": customer?.name ?? "", "date": booking.day,
            "window": windows.map { "\(clock.clockTime($0.0))–\(clock.clockTime($0.1))" }.joined(separator: " or "),
            "technician": technician ?? "your technician", "address": booking.address,
            "confirm_link": link("confirm"), "reschedule_link": link("reschedule"), "cancel_link": link("cancel"),
        ])
    }

    /// Pending messages due at `now` (all kinds: reminders, "arriving", "window changed"…), oldest first.
    public func dueMessages(now: Int64) throws(FieldRouteError) -> [OutboxView] {
        do {
            return try store.read { db in
                try db.dueMessages(now: now).map(Self.view)
            }
        } catch { throw .store(error) }
    }

    /// Records delivery: each id becomes `sent`, or `failed` with the reason (a failed message may be
    /// marked again after a retry). Unknown ids and withdrawn messages are refused; nothing is written then.
    @discardableResult
    public func markSent(ids: [Int64], failed reason: String? = nil) throws(FieldRouteError) -> [OutboxView] {
        guard !ids.isEmpty else { throw .badInput("give at least one message id") }
        do {
            return try store.write { db in
                var out: [OutboxView] = []
                for id in ids {
                    guard var m = try db.fetch(OutboxMessageRecord.self, id: id) else { throw FieldRouteError.badInput("no message \(id)") }
                    guard m.status != .withdrawn else { throw FieldRouteError.badInput("message \(id) was withdrawn (its visit changed)") }
                    m.status = reason == nil ? .sent : .failed
                    m.attempts += 1
                    m.lastError = reason
                    try db.update(m)
                    if let row = try db.outboxRow(id: id) { out.append(Self.view(row)) }
                }
                return out
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    private static func view(_ r: StoreTransaction.OutboxRow) -> OutboxView {
        let m = r.message
        return OutboxView(id: m.id ?? 0, channel: m.channel.rawValue, recipient: m.recipient, template: m.template, body: m.body,
                          dueAt: m.dueAt, booking: r.booking, status: m.status.rawValue, attempts: m.attempts)
    }
}
