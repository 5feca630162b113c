import FieldStore
import Foundation

extension Messages {
    /// What queuing a booking's reminders did: how many were queued, and each offset that was not, with why.
    struct QueuedReminders {
        var queued = 0
        /// "2880 min before: already past when booked", "120 min before: the SMS quiet hours last until the visit begins".
        var skipped: [String] = []
    }

    /// Queues a booking's reminders (the region's offsets before its first window), once each: a
    /// re-run queues nothing twice. An SMS due in the quiet hours waits until they end; a reminder
    /// whose time has passed, or that could then only go out once the visit has begun, is not queued
    /// and is reported in `skipped`.
    @discardableResult
    static func queueReminders(for booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws -> QueuedReminders {
        var result = QueuedReminders()
        guard [.booked, .confirmed].contains(booking.status), let visit = booking.timeWindows.first?.start,
              let region = try db.region(id: booking.regionId) else { return result }
        guard let contact = try Outbox.contact(for: booking, db) else {
            result.skipped.append("no reminders: the customer has neither phone nor e-mail")
            return result
        }
        let settings = try Engine.setting(ReminderSettings.self, regionId: booking.regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        for offset in settings.offsets.sorted(by: >) {
            let key = "reminder:\(booking.externalId):\(offset)"
            guard !(try Outbox.exists(key, db)) else { continue }
            let at = visit - Int64(offset) * 60
            guard at >= now else { result.skipped.append("\(offset) min before: already past when booked"); continue }
            guard let due = deliveryTime(at, channel: contact.channel, settings, clock), due < visit else {
                result.skipped.append("\(offset) min before: the SMS quiet hours (\(settings.quietFrom)–\(settings.quietUntil)) "
                                      + "last until the visit begins")
                continue
            }
            let body = try render(settings.templates["reminder"] ?? "", booking: booking, window: nil, clock, db)
            if try Outbox.insert(channel: contact.channel, recipient: contact.recipient, booking: booking, template: "reminder",
                                 body: body, dueAt: due, dedupeKey: key, db) { result.queued += 1 }
        }
        return result
    }

    /// Queues (or, while still pending, rewrites) the morning-of message carrying the promised window:
    /// for every visit placed in a planned day, however it was booked (plan, slot, dispatch); due at
    /// `morningOf`, or at once when that has passed, and only while the window is still ahead.
    static func queueMorningMessage(for booking: BookingRecord, window: (start: Int64, end: Int64), now: Int64,
                                    _ db: StoreTransaction) throws {
        guard [.booked, .confirmed].contains(booking.status), let region = try db.region(id: booking.regionId),
              let contact = try Outbox.contact(for: booking, db) else { return }
        let settings = try Engine.setting(ReminderSettings.self, regionId: booking.regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        // Placed after the morning time (booked or moved during the day): it goes at once, while the window is still ahead.
        guard let morning = settings.morningOf, let at = clock.instant(day: booking.day, time: morning),
              let due = deliveryTime(max(at, now), channel: contact.channel, settings, clock), due < window.start else { return }
        let key = morningKey(booking)
        let body = try render(settings.templates["morning"] ?? "", booking: booking, window: window, clock, db)
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

    /// The template with everything filled in but the self-service links, which stay as
    /// ``SelfServiceLinks`` markers until the message is handed out: no token is ever at rest in plain text.
    private static func render(_ template: String, booking: BookingRecord, window: (start: Int64, end: Int64)?,
                               _ clock: RegionClock, _ db: StoreTransaction) throws -> String {
        let customer = try db.customer(id: booking.customerId)
        let technician = try db.technicianName(ofBooking: booking.id)
        let windows = window.map { [($0.start, $0.end)] } ?? booking.timeWindows.map { ($0.start, $0.end) }
        var values = [
            "customer": customer?.name ?? "", "date": booking.day,
            "window": windows.map { "\(clock.clockTime($0.0))–\(clock.clockTime($0.1))" }.joined(separator: " or "),
            "technician": technician ?? "your technician", "address": booking.address,
        ].mapValues(SelfServiceLinks.clean)
        for action in SelfServiceAction.allCases { values["\(action.rawValue)_link"] = SelfServiceLinks.marker(action) }
        return MessageTemplate.render(template, values)
    }
}

extension Messages {
    /// Queues an offer of another slot to the customer of `booking`, due now, with an accept link
    /// (written in when handed out) and until when it holds.
    static func queueOffer(_ hold: SlotHoldRecord, booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws {
        guard let region = try db.region(id: booking.regionId) else { return }
        let clock = try RegionClock(timeZone: region.timeZone)
        let name = SelfServiceLinks.clean(try db.customer(id: booking.customerId)?.name ?? "")
        let window = "\(clock.clockTime(hold.windowStart))–\(clock.clockTime(hold.windowEnd))"
        let note = hold.note.map(SelfServiceLinks.clean).map { " " + $0 + (".!?".contains($0.last ?? ".") ? "" : ".") } ?? ""
        let body = "Hello \(name), another time is free for your visit: \(hold.day), \(window).\(note) "
            + "It is kept for you until \(clock.day(of: hold.expiresAt)) \(clock.clockTime(hold.expiresAt)). "
            + "Accept: \(SelfServiceLinks.marker(.accept))"
        try Outbox.queue(to: booking, template: "offer", body: body, dueAt: now, dedupeKey: offerKey(hold), db)
    }

    /// An offer message's dedupe key: one per offer.
    static func offerKey(_ hold: SlotHoldRecord) -> String { "offer:\(hold.id ?? 0)" }
}
