@testable import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Issue 21's message rules: a fallback after a failure, quiet hours and expiry when handed out, a
/// morning message however a visit was booked, reminders never dropped without a word, links that
/// follow a rescheduled visit, tokens never at rest.
@Suite struct MessageRuleTests {
    let setup = SelfServiceTests()
    var ten: Int64 { SelfServiceTests.ten }
    let hour = SelfServiceTests.hour
    let day: Int64 = 86_400

    // 2. A failed SMS falls back to e-mail once; a failed message comes back in `reminders due`.

    @Test func aFailedSMSIsTriedOnceMoreByEmailThenIsFinal() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * day)
        let at = ten - 2 * day  // the 2-day reminder is due: 2026-11-23 10:00
        let first = try #require(try engine.messages.dueMessages(now: at).first)
        #expect(first.channel == "sms" && first.recipient == "+33 6 11 22 33 44")
        let retried = try engine.messages.markSent(ids: [first.id], failed: "number not reachable", now: at + 60)
        #expect(retried.map { "\($0.status) \($0.channel) \($0.recipient)" } == ["pending email lea@example.org"])
        #expect(try engine.messages.dueMessages(now: at + 60).map(\.id) == [first.id])
        #expect(try engine.messages.markSent(ids: [first.id], failed: "mailbox full", now: at + 120).map(\.status) == ["failed"])
        #expect(try engine.messages.dueMessages(now: at + 120).isEmpty)
        let stored = try engine.store.readDatabase { db in try OutboxMessageRecord.fetchOne(db, key: first.id) }
        #expect(stored?.lastError == "email: mailbox full" && stored?.attempts == 2)
    }

    @Test func aFailedMessageWithNoOtherChannelIsTriedOnceMoreOnTheSame() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1", customer: "C-2"), now: ten - 5 * day)
        let first = try #require(try engine.messages.dueMessages(now: ten - 2 * day).first)
        _ = try engine.messages.markSent(ids: [first.id], failed: "bounced", now: ten - 2 * day)
        #expect(try engine.messages.dueMessages(now: ten - 2 * day).map { "\($0.id) \($0.channel)" } == ["\(first.id) email"])
    }

    // 3. Quiet hours hold when handing out too; nothing goes out after its visit has begun.

    @Test func aLatePollInsideTheQuietHoursHandsOutNoSMSButEmail() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * day)
        _ = try engine.bookings.book(setup.draft("B-2", customer: "C-2", window: "13:00-15:00"), now: ten - 5 * day)
        let lateEvening = ten - 24 * hour + 12 * hour + 30 * 60  // 2026-11-24 22:30 Paris: the 1-day reminders are due
        let handed = try engine.messages.dueMessages(now: lateEvening)
        #expect(handed.map { "\($0.booking ?? "") \($0.channel)" } == ["B-2 email", "B-2 email"])
        // 07:00 the next morning the SMS go out (the 2-day one first).
        let morning = ten - 3 * hour
        #expect(try engine.messages.dueMessages(now: morning).filter { $0.booking == "B-1" }.map(\.channel) == ["sms", "sms"])
    }

    @Test func realTimeSMSGoOutFromTheirOwnHour() throws {
        let engine = try setup.engine()
        try engine.setSetting(key: "reminders", json: #"{"quietUntil": "08:00", "realTimeFrom": "06:30", "morningOf": "08:00"}"#)
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * day)
        try engine.store.writeDatabase { db in
            let b = try BookingRecord.fetch(externalId: "B-1", in: db)
            var m = OutboxMessageRecord(channel: .sms, recipient: "+33 6 11 22 33 44", template: "approach", body: "Ana is arriving in about 10 min.",
                                        dueAt: ten - 4 * hour, dedupeKey: "approach:B-1", bookingId: b.id)
            try m.insert(db)
        }
        let kinds = { (t: Int64) in try engine.messages.dueMessages(now: t).map(\.template) }
        #expect(try kinds(ten - 4 * hour).isEmpty)                           // 06:00: quiet for every SMS
        #expect(try kinds(ten - 3 * hour - 30 * 60) == ["approach"])        // 06:30: real time may go
        #expect(try kinds(ten - 2 * hour).sorted() == ["approach", "reminder", "reminder", "reminder"])  // 08:00: all three reminders
    }

    @Test func remindersWhoseVisitHasBegunAreWithdrawnWithTheReason() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * day)
        #expect(try engine.messages.dueMessages(now: ten + 10 * day).isEmpty)
        let messages = try setup.outbox(engine, "B-1")
        #expect(messages.count == 3 && messages.allSatisfy { $0.status == .withdrawn })
        #expect(Set(messages.compactMap(\.withdrawnReason)) == ["the visit began before it was handed out"])
        // Withdrawn messages cannot be marked sent, and the refusal says why.
        #expect(performing: { try engine.messages.markSent(ids: [messages[0].id ?? 0]) }, throws: { error in
            (error as? FieldRouteError)?.description == "message \(messages[0].id ?? 0) was withdrawn (the visit began before it was handed out)"
        })
    }

    // 4. A morning message however the visit was booked; no reminder dropped without a word.

    @Test func aSlotBookingGetsItsMorningMessage() throws {
        let engine = try setup.engine()
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-26,08:00,17:00\n")
        var d = setup.draft("B-1", day: "2026-11-26"); d.date = nil; d.windows = []; d.slot = "2026-11-26T10:00-12:00"
        _ = try engine.bookings.book(d, now: ten - 2 * day)
        let morning = try #require(try setup.outbox(engine, "B-1").first { $0.template == "morning" })
        #expect(morning.dueAt == ten + day - 3 * hour)  // 2026-11-26 07:00 Paris
        #expect(morning.body.contains("Ana will arrive today between 10:00–12:00"))
    }

    @Test func theDefaultMorningMessageIsNotInTheDefaultQuietHours() throws {
        let defaults = ReminderSettings()
        let morning = try #require(defaults.morningOf.flatMap(BookingRules.minutes))
        #expect(!defaults.isQuiet(minute: morning))
        let engine = try setup.engine()
        #expect(performing: { try engine.setSetting(key: "reminders", json: #"{"morningOf": "06:30"}"#) }, throws: { error in
            (error as? FieldRouteError)?.description == "reminders.morningOf 06:30 lies in the SMS quiet hours 21:00–07:00: choose 07:00 or later, or move the quiet hours"
        })
    }

    @Test func aReminderThatCannotGoOutBeforeTheVisitIsReported() throws {
        let engine = try setup.engine()
        // 08:00: the 2-hour reminder (06:00) waits for 07:00 and is queued.
        let eight = try engine.bookings.book(setup.draft("B-1", window: "08:00-10:00"), now: ten - 5 * day)
        #expect(eight.remindersQueued == 3 && eight.remindersSkipped.isEmpty)
        #expect(try setup.outbox(engine, "B-1").last?.dueAt == ten - 3 * hour)
        // 07:00: the quiet hours last until the visit begins; booked 30 h ahead, the 2-day one is past.
        let seven = try engine.bookings.book(setup.draft("B-2", window: "07:00-09:00"), now: ten - 3 * hour - 30 * hour)
        #expect(seven.remindersQueued == 1)
        #expect(seven.remindersSkipped == ["2880 min before: already past when booked",
                                           "120 min before: the SMS quiet hours (21:00–07:00) last until the visit begins"])
    }

    // 9. Links follow a rescheduled visit; tokens are never stored in plain text.

    @Test func theOldLinkFollowsARescheduledVisitAndTheAnswerCarriesANewOne() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * day)
        let (old, _) = try engine.bookings.link(booking: "B-1", now: ten - 5 * day)
        let moved = try engine.bookings.reschedule(booking: "B-1", date: "2026-11-27", windows: ["14:00-16:00"], by: .customer(token: old),
                                                   now: ten - 4 * day)
        let base = ReminderSettings().linkBase
        let link = try #require(moved.link)
        #expect(link.hasPrefix(base) && link.count == base.count + 43)
        // The old token opens the new visit, until a day after it (not a day after the old one).
        let end = ten + 2 * day + 6 * hour
        #expect(try engine.promises.track(booking: "B-1-R1", level: .queue, by: .customer(token: old), now: end + day - 1).booking == "B-1-R1")
        #expect(try engine.bookings.confirm(booking: "B-1-R1", by: .customer(token: String(link.dropFirst(base.count))), now: ten - 3 * day)
                    .status == .confirmed)
    }

    @Test func linksAreWrittenInWhenHandedOutAndTokensAreNeverAtRest() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * day)
        let stored = try setup.outbox(engine, "B-1")
        #expect(stored.allSatisfy { $0.body.contains("⟦confirm_link⟧") && !$0.body.contains("https://") })
        let handed = try #require(try engine.messages.dueMessages(now: ten - 2 * day).first)
        let base = ReminderSettings().linkBase
        let start = try #require(handed.body.range(of: base)).upperBound
        let token = String(handed.body[start...].prefix(43))
        #expect(handed.body.contains("\(base)\(token)/confirm") && handed.body.contains("\(base)\(token)/cancel"))
        #expect(try engine.bookings.confirm(booking: "B-1", by: .customer(token: token), now: ten - 2 * day).status == .confirmed)
        // Nowhere in the database.
        let everything = try engine.store.readDatabase { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'").flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"").map(\.description)
            }.joined(separator: "\n")
        }
        #expect(!everything.contains(token) && everything.contains(SHA256.hex(Array(token.utf8))))
    }
}
