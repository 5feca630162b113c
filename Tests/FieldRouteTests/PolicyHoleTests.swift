@testable import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Issue 21's policy holes: outcomes before the visit, cancelling after it, imports past a block,
/// unpaid visits of customers who must prepay, slot ids off the grid, errors with the wrong exit code.
@Suite struct PolicyHoleTests {
    let setup = SelfServiceTests()
    var ten: Int64 { SelfServiceTests.ten }
    let hour = SelfServiceTests.hour

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? FieldRouteError)?.description ?? "\(error)" }
    }

    // 5. An outcome only once the visit has begun; nothing after it has begun can be cancelled.

    @Test func aNoShowCannotBeRecordedBeforeTheVisitBegins() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        #expect(message { _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, now: ten - 5 * 86_400 + 60) }
                == "B-1 begins 2026-11-25 10:00: its outcome can be recorded from then on (or with --force --note …)")
        #expect(message { _ = try engine.bookings.recordOutcome(booking: "B-1", .completed, now: ten - 1) } != nil)
        // Nothing happened: not counted, reminders still pending.
        let (customer, status) = try engine.store.readDatabase { db in
            (try CustomerRecord.filter(Column("externalId") == "C-1").fetchOne(db), try BookingRecord.fetch(externalId: "B-1", in: db).status)
        }
        #expect(customer?.noShowCount == 0 && status == .booked)
        #expect(try setup.outbox(engine, "B-1").map(\.status) == [.pending, .pending, .pending])
        // --force needs a note; with one it is taken, and the pending reminders are withdrawn.
        #expect(message { _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, force: true, now: ten - hour) }?
                    .hasPrefix("--force needs a --note") == true)
        _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, note: "customer phoned: away", force: true, now: ten - hour)
        #expect(try setup.outbox(engine, "B-1").allSatisfy { $0.status == .withdrawn || $0.dueAt < ten - hour })
        // At the window's opening, without force.
        _ = try engine.bookings.book(setup.draft("B-2", window: "13:00-15:00"), now: ten - 5 * 86_400)
        #expect(try engine.bookings.recordOutcome(booking: "B-2", .noShow, now: ten + 3 * hour).status == .noShow)
    }

    @Test func aVisitThatHasBegunCannotBeCancelledOrMoved() throws {
        let engine = try setup.engine()
        try engine.setSetting(key: "booking", json: #"{"changes": "any"}"#)
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        _ = try engine.bookings.book(setup.draft("B-2"), now: ten - 5 * 86_400)
        #expect(message { _ = try engine.bookings.cancel(booking: "B-1", reason: "forgot", now: ten + 1) }?
                    .hasPrefix("booking rule: B-1 began at 2026-11-25 10:00; a visit that has begun cannot be cancelled or moved") == true)
        #expect(message { _ = try engine.bookings.reschedule(booking: "B-1", date: "2026-11-26", windows: ["10:00-12:00"], now: ten + hour) } != nil)
        _ = try engine.bookings.cancel(booking: "B-2", reason: "forgot", now: ten)
        let leads = try engine.store.readDatabase { db in try Int64.fetchAll(db, sql: "SELECT cancellationLeadTime FROM booking WHERE cancellationLeadTime IS NOT NULL") }
        #expect(leads == [0])
    }

    // 6. Imports honour blocks; an unpaid visit of a customer who must prepay is not planned.

    @Test func importingABookingForABlockedCustomerIsRefused() throws {
        let engine = try setup.engine()
        try engine.setSetting(key: "noShow", json: #"{"threshold": 1, "action": "block"}"#)
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, now: ten + hour)
        let before = try fingerprint(engine.store)
        #expect(message {
            try importText(engine, .bookings, "id,customer,date,lat,lon,duration_min,windows\nB-2,C-1,2026-11-26,45.75,4.84,30,10:00-12:00\n")
        } == "file.csv:2: customer: customer C-1 is blocked (1 no-shows within 180 days): staff can lift it with 'fieldroute customer unblock C-1 --note …'")
        #expect(try fingerprint(engine.store) == before)
    }

    @Test func anUnpaidVisitOfACustomerWhoMustPrepayIsPlannedOnlyWhenTheRegionSaysSo() throws {
        let engine = try setup.engine()
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-26,08:00,17:00\n")
        try engine.setSetting(key: "noShow", json: #"{"threshold": 1, "action": "prepay"}"#)
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, now: ten + hour)
        _ = try engine.bookings.book(setup.draft("B-2", day: "2026-11-26"), now: ten + 2 * hour)
        _ = try engine.bookings.book(setup.draft("B-3", customer: "C-2", day: "2026-11-26"), now: ten + 2 * hour)
        let options = PlanOptions(iterations: 20, now: ten + 3 * hour)
        let unpaid = try engine.planner.plan(day: "2026-11-26", options: options)
        #expect(unpaid.unassigned == [.init(id: "B-2", reason: "awaiting_prepayment")])
        try engine.setSetting(key: "noShow", json: #"{"planUnpaid": true}"#)
        #expect(try engine.planner.plan(day: "2026-11-26", options: options).unassigned.isEmpty)
        try engine.setSetting(key: "noShow", json: #"{"planUnpaid": false}"#)
        try engine.bookings.setPayment(booking: "B-2", .deposit)
        #expect(try engine.planner.plan(day: "2026-11-26", options: options).unassigned.isEmpty)
    }

    // 7. One place shows a customer's visits, no-shows and policy state.

    @Test func aCustomerShowsVisitsNoShowsAndPolicyState() throws {
        let engine = try setup.engine()
        try engine.setSetting(key: "noShow", json: #"{"threshold": 2, "windowDays": 30, "action": "block"}"#)
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        _ = try engine.bookings.book(setup.draft("B-2", window: "13:00-15:00"), now: ten - 5 * 86_400)
        _ = try engine.bookings.recordOutcome(booking: "B-1", .noShow, now: ten + hour)
        let one = try engine.bookings.customer("C-1", now: ten + 2 * hour)
        #expect(one.visits.map { "\($0.id) \($0.status.rawValue) \($0.outcome?.rawValue ?? "-")" } == ["B-1 no_show no_show", "B-2 booked -"])
        #expect(one.noShows == 1 && one.noShowsInWindow == 1 && one.policy == "2 no-shows within 30 days: block")
        #expect(one.policyState == "ok: 1 more no-show within 30 days: block" && !one.blocked)
        _ = try engine.bookings.recordOutcome(booking: "B-2", .noShow, now: ten + 5 * hour)
        let two = try engine.bookings.customer("C-1", now: ten + 6 * hour)
        #expect(two.blocked && two.policyState == "blocked (2 no-shows within 30 days)")
        #expect(two.notes.map(\.kind) == ["blocked"])
        // Thirty-one days on, the no-shows have left the window (the block stays until staff lift it).
        #expect(try engine.bookings.customer("C-1", now: ten + 31 * 86_400).noShowsInWindow == 0)
        #expect(performing: { _ = try engine.bookings.customer("C-9") }, throws: { ($0 as? FieldRouteError)?.description == "unknown customer 'C-9'" })
    }

    // 8. Slot ids must be on the grid; a slot nobody could serve says why, not "slot taken".

    @Test func slotIdsOffTheGridOrThatNobodyCouldServeSayWhy() throws {
        let engine = try setup.engine()
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-26,12:00,17:00\n")
        let now = ten - 3 * 86_400
        func book(_ id: String, _ slot: String, skills: [String] = []) -> String? {
            var d = setup.draft(id, day: "2026-11-26"); d.date = nil; d.windows = []; d.slot = slot; d.skills = skills
            return message { _ = try engine.bookings.book(d, now: now) }
        }
        let grid = "is not on the region's slot grid: windows of 120 min starting 08:00, 16:00 at the latest (see 'fieldroute slots')"
        #expect(book("B-1", "2026-11-26T10:07-10:08") == "slot '2026-11-26T10:07-10:08' \(grid)")
        #expect(book("B-1", "2026-11-26T13:00-15:00") == "slot '2026-11-26T13:00-15:00' \(grid)")
        #expect(book("B-1", "2026-11-26T06:00-08:00") == "slot '2026-11-26T06:00-08:00' \(grid)")
        #expect(book("B-1", "2026-11-26T12:00-14:00", skills: ["plumbing"])
                == "no technician with the skills plumbing works on 2026-11-26: slot 2026-11-26T12:00-14:00 cannot be booked")
        #expect(book("B-1", "2026-11-26T08:00-10:00")
                == "no technician works on 2026-11-26 during 08:00-10:00 long enough for a 30-min visit: slot 2026-11-26T08:00-10:00 cannot be booked")
        let stored = try engine.store.readDatabase { db in try BookingRecord.fetchCount(db) }
        #expect(stored == 0)
        #expect(book("B-1", "2026-11-26T12:00-14:00") == nil)
    }

    // 10. A wrong or expired link token is bad input (exit 2), as for confirm and cancel.

    @Test func trackingWithAWrongOrExpiredTokenIsBadInput() throws {
        let engine = try setup.engine()
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        let (token, expires) = try engine.bookings.link(booking: "B-1", validHours: 1, now: ten - 5 * 86_400)
        for (who, at, text) in [(Requester.customer(token: "nope"), ten - 5 * 86_400, "this link does not give access to booking B-1"),
                                (.customer(token: token), expires, "this link expired; ask for a new one")] {
            #expect(performing: { _ = try engine.promises.track(booking: "B-1", level: .eta, by: who, now: at) }, throws: { error in
                guard let e = error as? FieldRouteError else { return false }
                return e.exitCode == 2 && e.description == text
            })
        }
    }

    // 12. The smaller ones.

    @Test func aFractionForAWholeNumberSettingIsNamed() throws {
        let engine = try setup.engine()
        #expect(message { try engine.setSetting(key: "booking", json: #"{"maxDaysAhead": 1.5}"#) }
                == "setting booking: maxDaysAhead must be a whole number, got 1.5")
        #expect(try engine.setting(BookingRules.self) == BookingRules())
    }

    @Test func oneTemplateCanBeChangedAlone() throws {
        let engine = try setup.engine()
        try engine.setSetting(key: "reminders", json: #"{"templates": {"reminder": "See you {date} {window}"}}"#)
        let saved = try engine.setting(ReminderSettings.self)
        #expect(saved.templates["reminder"] == "See you {date} {window}")
        #expect(saved.templates["morning"] == ReminderSettings().templates["morning"])
    }

    @Test func aSettingSavedBeforeAFieldExistedReadsWithItsDefault() throws {
        let engine = try setup.engine()
        try engine.store.writeDatabase { db in
            try db.execute(sql: #"INSERT INTO setting (regionId, key, value) SELECT id, 'noShow', '{"threshold":3,"windowDays":90,"action":"block","paymentBeforeConfirmation":true}' FROM region"#)
        }
        let policy = try engine.setting(NoShowPolicy.self)
        #expect(policy.threshold == 3 && policy.action == .block && policy.planUnpaid == false)
    }

    @Test func theCancellationCSVHeaderNamesItsColumns() throws {
        let engine = try setup.engine()
        try engine.setSetting(key: "booking", json: #"{"changes": "any"}"#)
        _ = try engine.bookings.book(setup.draft("B-1"), now: ten - 5 * 86_400)
        _ = try engine.bookings.book(setup.draft("B-2", window: "13:00-15:00"), now: ten - 5 * 86_400)
        _ = try engine.bookings.cancel(booking: "B-1", reason: "other", note: "moving, finally", now: ten - 3 * hour)
        _ = try engine.bookings.recordOutcome(booking: "B-2", .noShow, now: ten + 4 * hour)
        let lines = try engine.bookings.cancellationReport(from: SelfServiceTests.day, to: SelfServiceTests.day).csv.split(separator: "\n")
        #expect(lines.first == "table,key,count,total,share_or_rate")
        #expect(lines.contains("reason,other,1,1,1.0"))
        #expect(lines.contains("lead_time,2-24h,1,1,1.0"))
        #expect(lines.contains("no_show_by_weekday,Wed,1,1,1.0"))
        #expect(lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 5 })
    }
}
