@testable import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// One technician working 2026-11-25 08:00–17:00 in Lyon; C-1 takes SMS, C-2 e-mail only.
@Suite struct SelfServiceTests {
    static let day = "2026-11-25"
    /// 2026-11-25 10:00 Paris.
    static let ten: Int64 = 1_795_597_200
    static let hour: Int64 = 3_600

    func engine() throws -> Engine {
        let engine = try makeEngine()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-01,Ana,45.76,4.84\n")
        try importText(engine, .customers, sampleCustomers)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,\(Self.day),08:00,17:00\n")
        return engine
    }

    func draft(_ id: String, customer: String = "C-1", window: String = "10:00-12:00", day: String = Self.day) -> BookingDraft {
        BookingDraft(id: id, customer: customer, lat: 45.75, lon: 4.84, durationMinutes: 30, date: day, windows: [window])
    }

    func outbox(_ engine: Engine, _ booking: String) throws -> [OutboxMessageRecord] {
        try engine.store.readDatabase { db in
            try OutboxMessageRecord.filter(Column("bookingId") == BookingRecord.fetch(externalId: booking, in: db).id).order(Column("dueAt")).fetchAll(db)
        }
    }

    // MARK: Booking rules

    @Test func bookingRulesHoldExactlyAtTheirLimits() throws {
        let engine = try self.engine()
        // Default: at least 120 minutes ahead. Exactly 120 minutes before 10:00 is fine; one second later is not.
        _ = try engine.bookings.book(draft("B-1"), now: Self.ten - 2 * Self.hour)
        #expect {
            try engine.bookings.book(draft("B-2"), now: Self.ten - 2 * Self.hour + 1)
        } throws: { error in
            (error as? FieldRouteError)?.description
                == "booking rule: visits are booked at least 120 minutes ahead; this one starts 2026-11-25 10:00, the earliest allowed start is 2026-11-25 10:01"
        }
        // At most 60 days ahead.
        _ = try engine.bookings.book(draft("B-3"), now: Self.ten - 60 * 86_400)
        #expect(throws: FieldRouteError.self) { try engine.bookings.book(draft("B-4"), now: Self.ten - 60 * 86_400 - 1) }
        // Changes until 24 h before the visit, not a second later.
        _ = try engine.bookings.cancel(booking: "B-1", reason: "forgot", now: Self.ten - 24 * Self.hour)
        #expect {
            try engine.bookings.cancel(booking: "B-3", reason: "forgot", now: Self.ten - 24 * Self.hour + 1)
        } throws: { error in
            (error as? FieldRouteError)?.description.hasPrefix("booking rule: changes are allowed until 1440 minutes before the visit, that is until 2026-11-24 10:00") == true
        }
        try engine.setSetting(key: "booking", json: #"{"changes": "never"}"#)
        #expect(throws: FieldRouteError.self) { try engine.bookings.reschedule(booking: "B-3", date: Self.day, windows: ["13:00-15:00"], now: Self.ten - 30 * 86_400) }
        try engine.setSetting(key: "booking", json: #"{"changes": "any"}"#)
        _ = try engine.bookings.cancel(booking: "B-3", reason: "price", now: Self.ten - 60)
    }

    @Test(arguments: [
        #"{"maxDaysAhead": 0}"#, #"{"maxDaysAhead": 361}"#, #"{"minMinutesAhead": 4}"#, #"{"minMinutesAhead": 86401}"#,
        #"{"changeCutoffMinutes": -1}"#, #"{"changes": "sometimes"}"#, #"{"slotMinutes": 10}"#,
    ])
    func outOfRangeRulesAreRefusedWhenSaved(json: String) throws {
        let engine = try self.engine()
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "booking", json: json) }
        #expect(try engine.setting(BookingRules.self) == BookingRules())
    }

    @Test func limitsThemselvesAreAccepted() throws {
        let engine = try self.engine()
        for json in [#"{"maxDaysAhead": 1, "minMinutesAhead": 5}"#, #"{"maxDaysAhead": 360, "minMinutesAhead": 86400}"#] {
            try engine.setSetting(key: "booking", json: json)
        }
    }

    // MARK: Templates and reminders

    @Test func templatesAreCheckedWhenSaved() throws {
        let engine = try self.engine()
        for (json, message) in [
            (#"{"templates": {"reminder": "See you {date} {windw}", "morning": "{window}"}}"#, "unknown placeholder {windw}"),
            (#"{"templates": {"reminder": "See you {date", "morning": "{window}"}}"#, "placeholder {date is not closed"),
            (#"{"templates": {"reminder": "See you }", "morning": "{window}"}}"#, "'}' without '{'"),
            (#"{"templates": {"reminder": "ok", "evening": "x", "morning": "x"}}"#, "unknown kind 'evening'"),
            (#"{"quietFrom": "25:00"}"#, "quietFrom must be HH:MM"),
        ] {
            #expect(performing: { try engine.setSetting(key: "reminders", json: json) }, throws: { error in
                (error as? FieldRouteError)?.description.contains(message) == true
            })
        }
        try engine.setSetting(key: "reminders", json: #"{"templates": {"reminder": "{customer}: {date} {window} {cancel_link}", "morning": "{technician} {window}"}}"#)
    }

    @Test func remindersAreQueuedOnceSkippingThosePast() throws {
        let engine = try self.engine()
        // Booked 30 hours ahead: the 2-day reminder is past, the 1-day and 2-hour ones are queued.
        let outcome = try engine.bookings.book(draft("B-1"), now: Self.ten - 30 * Self.hour)
        #expect(outcome.remindersQueued == 2)
        let messages = try outbox(engine, "B-1")
        #expect(messages.map(\.dueAt) == [Self.ten - 24 * Self.hour, Self.ten - 2 * Self.hour])
        #expect(messages.allSatisfy { $0.channel == .sms && $0.recipient == "+33 6 11 22 33 44" })
        #expect(messages[0].body.hasPrefix("Hello Léa, a reminder of your visit on 2026-11-25, 10:00–12:00"))
        // Planning the day (twice) adds the morning-of message with the promised window, once.
        // (Planned the evening before: the test must not depend on today's date.)
        let evening = Self.ten - 14 * Self.hour
        _ = try engine.planner.plan(day: Self.day, options: PlanOptions(iterations: 5, now: evening))
        _ = try engine.planner.plan(day: Self.day, options: PlanOptions(iterations: 5, now: evening))
        let after = try outbox(engine, "B-1")
        #expect(after.map(\.template).sorted() == ["morning", "reminder", "reminder"])
        let morning = try #require(after.first { $0.template == "morning" })
        #expect(morning.dueAt == Self.ten - 3 * Self.hour)  // 07:00, when the SMS quiet hours end
        #expect(morning.body.contains("Ana will arrive today between"))
    }

    @Test func quietHoursDeferSMSAcrossMidnightAndDaylightSavingButNotEmail() throws {
        let engine = try self.engine()
        try engine.setSetting(key: "reminders", json: #"{"offsets": [600]}"#)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-10-25,08:00,17:00\n")
        // Sunday 2026-10-25, the night clocks go back in Paris. 09:00 minus 10 h is 23:00 on Saturday:
        // quiet, so the SMS waits until 07:00 on Sunday (now UTC+1), which is 06:00Z.
        _ = try engine.bookings.book(draft("B-1", window: "09:00-11:00", day: "2026-10-25"), now: 1_792_756_800)
        let sms = try outbox(engine, "B-1")
        #expect(sms.map(\.dueAt) == [1_792_908_000])  // 2026-10-25T06:00:00Z
        _ = try engine.bookings.book(draft("B-2", customer: "C-2", window: "09:00-11:00", day: "2026-10-25"), now: 1_792_756_800)
        let mail = try outbox(engine, "B-2")
        #expect(mail.map(\.channel) == [.email])
        // E-mail is not held: ten hours before 09:00 on a 25-hour day is midnight (22:00Z, still UTC+2).
        #expect(mail.map(\.dueAt) == [1_792_879_200])
    }

    @Test func rescheduleMovesRemindersAndCancelWithdrawsThem() throws {
        let engine = try self.engine()
        _ = try engine.bookings.book(draft("B-1"), now: Self.ten - 5 * 86_400)
        #expect(try outbox(engine, "B-1").count == 3)
        let moved = try engine.bookings.reschedule(booking: "B-1", date: "2026-11-26", windows: ["14:00-16:00"], now: Self.ten - 4 * 86_400)
        #expect(moved.booking == "B-1-R1" && moved.remindersQueued == 3)
        #expect(try outbox(engine, "B-1").allSatisfy { $0.status == .withdrawn })
        let old = try engine.store.readDatabase { db in try BookingRecord.fetch(externalId: "B-1", in: db) }
        #expect(old.status == .rescheduled)
        _ = try engine.bookings.cancel(booking: "B-1-R1", reason: "other", note: "moving house", now: Self.ten - 3 * 86_400)
        #expect(try outbox(engine, "B-1-R1").allSatisfy { $0.status == .withdrawn })
        let cancelled = try engine.store.readDatabase { db in try BookingRecord.fetch(externalId: "B-1-R1", in: db) }
        #expect(cancelled.cancellationReason == "other: moving house")
        #expect(cancelled.cancellationLeadTime == 4 * 86_400 + 4 * Self.hour)
        #expect(throws: FieldRouteError.self) { try engine.bookings.cancel(booking: "B-1-R1", reason: "bored", now: Self.ten - 3 * 86_400) }
    }

    @Test func cancellingAPlannedVisitFreesItsPlaceAndTellsTheTechnician() throws {
        let engine = try self.engine()
        _ = try engine.bookings.book(draft("B-1"), now: Self.ten - 5 * 86_400)
        _ = try engine.bookings.book(draft("B-2", window: "13:00-15:00"), now: Self.ten - 5 * 86_400)
        _ = try engine.planner.plan(day: Self.day, options: PlanOptions(iterations: 5))
        _ = try engine.bookings.cancel(booking: "B-1", reason: "not_home", now: Self.ten - 3 * 86_400)
        let (stops, all) = try engine.store.readDatabase { db in (try StopRecord.fetchAll(db), try TechnicianMessageRecord.fetchAll(db)) }
        let messages = all.filter { !$0.dedupeKey.hasPrefix("hold:") }
        #expect(stops.count == 1)
        #expect(messages.count == 1 && messages[0].body.contains("B-1") && messages[0].body.hasSuffix("cancelled"))
    }

    // MARK: Tokens

    @Test func aTokenOpensOnlyItsOwnBookingAndOnlyUntilItExpires() throws {
        let engine = try self.engine()
        _ = try engine.bookings.book(draft("B-A"), now: Self.ten - 5 * 86_400)
        _ = try engine.bookings.book(draft("B-B", window: "13:00-15:00"), now: Self.ten - 5 * 86_400)
        let (token, expires) = try engine.bookings.link(booking: "B-A", validHours: 48, now: Self.ten - 5 * 86_400)
        #expect(token.count == 43 && expires == Self.ten - 3 * 86_400)
        #expect(throws: FieldRouteError.self) { try engine.bookings.confirm(booking: "B-B", by: .customer(token: token), now: Self.ten - 4 * 86_400) }
        #expect(throws: FieldRouteError.self) { try engine.bookings.confirm(booking: "B-A", by: .customer(token: token + "x"), now: Self.ten - 4 * 86_400) }
        #expect(throws: FieldRouteError.self) { try engine.bookings.confirm(booking: "B-A", by: .customer(token: token), now: expires) }
        #expect(try engine.bookings.confirm(booking: "B-A", by: .customer(token: token), now: expires - 1).status == .confirmed)
        // Only the hash is stored.
        let stored = try engine.store.readDatabase { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM bookingToken") }
        #expect(!stored.contains(token) && stored.allSatisfy { $0.count == 64 })
    }

    // MARK: No-show policy

    @Test func repeatedNoShowsBlockUntilStaffUnblock() throws {
        let engine = try self.engine()
        try engine.setSetting(key: "noShow", json: #"{"threshold": 2, "action": "block"}"#)
        for (k, window) in ["09:00-10:00", "11:00-12:00"].enumerated() {
            _ = try engine.bookings.book(draft("B-\(k)", window: window), now: Self.ten - 5 * 86_400)
            _ = try engine.bookings.recordOutcome(booking: "B-\(k)", .noShow, now: Self.ten + 3 * Self.hour)
        }
        #expect {
            try engine.bookings.book(draft("B-9", window: "14:00-16:00", day: "2026-11-26"), now: Self.ten + 4 * Self.hour)
        } throws: { error in
            (error as? FieldRouteError)?.description.hasPrefix("customer C-1 is blocked (2 no-shows within 180 days)") == true
        }
        #expect(throws: FieldRouteError.self) { try engine.bookings.unblock(customer: "C-1", note: " ") }
        try engine.bookings.unblock(customer: "C-1", note: "paid for the missed visits")
        _ = try engine.bookings.book(draft("B-9", window: "14:00-16:00", day: "2026-11-26"), now: Self.ten + 4 * Self.hour)
        let customer = try engine.store.readDatabase { db in try CustomerRecord.filter(Column("externalId") == "C-1").fetchOne(db) }
        #expect(customer?.noShowCount == 2)
    }

    @Test func customersWhoMustPrepayConfirmOnlyOncePaid() throws {
        let engine = try self.engine()
        try engine.setSetting(key: "noShow", json: #"{"threshold": 1, "action": "prepay"}"#)
        _ = try engine.bookings.book(draft("B-1"), now: Self.ten - 5 * 86_400)
        _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, now: Self.ten + Self.hour)
        _ = try engine.bookings.book(draft("B-2", day: "2026-11-26"), now: Self.ten + 2 * Self.hour)
        #expect(throws: FieldRouteError.self) { try engine.bookings.confirm(booking: "B-2", now: Self.ten + 3 * Self.hour) }
        try engine.bookings.setPayment(booking: "B-2", .deposit)
        #expect(try engine.bookings.confirm(booking: "B-2", now: Self.ten + 3 * Self.hour).status == .confirmed)
    }

    // MARK: Slots

    @Test func anOfferedSlotCanBeBookedAndThenIsGone() throws {
        let engine = try self.engine()
        // One slot a day: 08:00–10:00; a 90-minute visit fills it.
        try engine.setSetting(key: "booking", json: #"{"slotsFrom": "08:00", "slotsUntil": "08:00"}"#)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-26,08:00,10:00\n")
        let now = Self.ten - 3 * 86_400
        let offered = try engine.bookings.slots(site: (45.75, 4.84), durationMinutes: 90, from: "2026-11-26", days: 1, now: now)
        #expect(offered.map(\.id) == ["2026-11-26T08:00-10:00"])
        var first = draft("B-1", day: "2026-11-26"); first.durationMinutes = 90; first.slot = offered[0].id; first.date = nil; first.windows = []
        #expect(try engine.bookings.book(first, now: now).technician == "T-01")
        var second = first; second.id = "B-2"
        #expect {
            try engine.bookings.book(second, now: now)
        } throws: { error in
            (error as? FieldRouteError)?.description == "slot taken: 2026-11-26T08:00-10:00 is no longer free; ask for slots again"
        }
        #expect(try engine.bookings.slots(site: (45.75, 4.84), durationMinutes: 90, from: "2026-11-26", days: 1, now: now).isEmpty)
        // The slot is the promise told to the customer.
        let stop = try engine.store.readDatabase { db in try StopRecord.fetchOne(db, sql: "SELECT stop.* FROM stop JOIN booking b ON b.id = stop.bookingId WHERE b.externalId = 'B-1'") }
        #expect(stop?.promisedStart == 1_795_676_400 && stop?.promisedEnd == 1_795_683_600)  // 2026-11-26 08:00–10:00 Paris
    }

    // MARK: Report

    @Test func theCancellationReportCountsAFixtureExactly() throws {
        let engine = try self.engine()
        try engine.setSetting(key: "booking", json: #"{"changes": "any"}"#)
        let early = Self.ten - 10 * 86_400
        // Wednesday 2026-11-25: B-1, B-2 cancelled (forgot: 5 days and 1 hour ahead), B-3 cancelled (price, 30 h ahead);
        // B-4 no-show (confirmed), B-5 completed (confirmed, reminder delivered), B-6 no-show (not confirmed).
        for k in 1...6 { _ = try engine.bookings.book(draft("B-\(k)", customer: k == 6 ? "C-2" : "C-1", window: "10:00-\(k == 6 ? "15:00" : "11:00")"), now: early) }
        _ = try engine.bookings.cancel(booking: "B-1", reason: "forgot", now: Self.ten - 5 * 86_400)
        _ = try engine.bookings.cancel(booking: "B-2", reason: "forgot", now: Self.ten - Self.hour)
        _ = try engine.bookings.cancel(booking: "B-3", reason: "price", now: Self.ten - 30 * Self.hour)
        _ = try engine.bookings.recordOutcome(booking: "B-2", .cancelledLate, now: Self.ten)
        for k in [4, 5] { _ = try engine.bookings.confirm(booking: "B-\(k)", now: early + 60) }
        // B-5's first reminder went out before the visit (an outcome withdraws what is still pending).
        let reminder = try #require(try outbox(engine, "B-5").first?.id)
        try engine.messages.markSent(ids: [reminder])
        _ = try engine.bookings.recordOutcome(booking: "B-4", .noShow, now: Self.ten + Self.hour)
        _ = try engine.bookings.recordOutcome(booking: "B-5", .completed, now: Self.ten + Self.hour)
        _ = try engine.bookings.recordOutcome(booking: "B-6", .noShow, now: Self.ten + Self.hour)
        let r = try engine.bookings.cancellationReport(from: Self.day, to: Self.day)
        #expect(r.visits == 6 && r.cancelled == 3 && r.noShows == 2)
        #expect(r.byReason.map { "\($0.key)=\($0.count)" } == ["forgot=2", "price=1"])
        #expect(r.leadTime.map(\.count) == [1, 0, 1, 1, 0] as [Int])  // 1 h, 30 h, 5 days
        #expect(r.noShowByWeekday.first { $0.key == "Wed" }.map { "\($0.noShows)/\($0.visits)" } == "2/3")
        #expect(r.noShowByWindowWidth.map { "\($0.key) \($0.noShows)/\($0.visits)" } == ["≤1h 1/2", "≤2h 0/0", "≤4h 0/0", ">4h 1/1"])
        #expect(r.noShowByConfirmed.map { "\($0.noShows)/\($0.visits)" } == ["1/2", "1/1"])
        #expect(r.noShowByReminderDelivered.map { "\($0.noShows)/\($0.visits)" } == ["0/1", "2/2"])
        #expect(r.repeatOffenders.map(\.customer) == ["C-1"])  // one no-show and one late cancellation
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesTheStandardVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }
}
