@testable import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Issue 21 (1): time-limited holds and offers. A slot held for one customer is promised to no one
/// else until the hold expires; an expired hold or offer is never honoured.
@Suite struct OfferHoldTests {
    let setup = SelfServiceTests()
    var now: Int64 { SelfServiceTests.ten - 3 * 86_400 }
    static let slot = "2026-11-26T08:00-10:00"

    /// One slot on 2026-11-26 (08:00–10:00, T-01 works exactly then): one 90-minute visit fills it.
    func engine() throws -> Engine {
        let engine = try setup.engine()
        try engine.setSetting(key: "booking", json: #"{"slotsFrom": "08:00", "slotsUntil": "08:00", "changes": "any"}"#)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-26,08:00,10:00\n")
        return engine
    }

    func draft(_ id: String, customer: String) -> BookingDraft {
        BookingDraft(id: id, customer: customer, lat: 45.75, lon: 4.84, durationMinutes: 90, slot: Self.slot)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? FieldRouteError)?.description ?? "\(error)" }
    }

    func freeSlots(_ engine: Engine, customer: String? = nil, at t: Int64) throws -> [String] {
        try engine.bookings.slots(site: (45.75, 4.84), durationMinutes: 90, from: "2026-11-26", days: 1, customer: customer, now: t).map(\.id)
    }

    @Test func aHeldSlotIsPromisedToNoOneElseUntilTheHoldExpires() throws {
        let engine = try engine()
        let hold = try engine.bookings.hold(slot: Self.slot, customer: "C-1", site: (45.75, 4.84), durationMinutes: 90, minutes: 15, now: now)
        #expect(hold.kind == "hold" && hold.status == .open && hold.expiresAt == now + 900)
        #expect(try freeSlots(engine, at: now + 60).isEmpty)
        #expect(try freeSlots(engine, customer: "C-1", at: now + 60) == [Self.slot])
        #expect(message { _ = try engine.bookings.book(draft("B-2", customer: "C-2"), now: now + 60) }
                == "slot taken: \(Self.slot) is held for another customer; ask for slots again")
        #expect(message { _ = try engine.bookings.hold(slot: Self.slot, customer: "C-2", site: (45.75, 4.84), durationMinutes: 90, minutes: 5, now: now + 60) }
                == "slot taken: \(Self.slot) is no longer free; ask for slots again")
        // Expired: free for everyone, and the hold is never honoured.
        #expect(try freeSlots(engine, at: now + 900) == [Self.slot])
        #expect(try engine.bookings.book(draft("B-2", customer: "C-2"), now: now + 901).technician == "T-01")
        #expect(message { _ = try engine.bookings.book(draft("B-1", customer: "C-1"), now: now + 902) }?.hasPrefix("slot taken") == true)
        let status = try engine.store.readDatabase { db in try String.fetchOne(db, sql: "SELECT status FROM slotHold") }
        #expect(status == "expired")
    }

    @Test func aDispatcherInsertDoesNotTakeHeldRoomEither() throws {
        let engine = try engine()
        _ = try engine.bookings.hold(slot: Self.slot, customer: "C-1", site: (45.75, 4.84), durationMinutes: 90, minutes: 15, now: now)
        let job = DispatchRequest.NewJob(id: "B-9", customer: "C-2", lat: 45.75, lon: 4.84, durationMin: 90, windows: ["08:00-10:00"])
        let ask = DispatchRequest(op: .insertJob, date: "2026-11-26", now: String(now + 60), job: job)
        #expect(performing: { _ = try engine.dispatcher.dispatch(ask) }, throws: { error in
            guard case let .refused(r) = error as? FieldRouteError else { return false }
            return r.code == "held" && (error as? FieldRouteError)?.exitCode == 3
        })
        // A what-if says the same (it is checked against the day as written, then rolled back).
        var whatIf = ask
        whatIf.commit = false
        #expect(performing: { _ = try engine.dispatcher.dispatch(whatIf) }, throws: { error in
            guard case let .refused(r) = error as? FieldRouteError else { return false }
            return r.code == "held"
        })
        let stored = try engine.store.readDatabase { db in try BookingRecord.fetchCount(db) }
        #expect(stored == 0)
        // Once the hold has expired the same call goes in.
        let later = DispatchRequest(op: .insertJob, date: "2026-11-26", now: String(now + 901), job: job)
        #expect(try engine.dispatcher.dispatch(later).chosen?.technician == "T-01")
    }

    @Test func theHolderBooksTheHeldSlotAndTheHoldIsTaken() throws {
        let engine = try engine()
        let hold = try engine.bookings.hold(slot: Self.slot, customer: "C-1", site: (45.75, 4.84), durationMinutes: 90, minutes: 15, now: now)
        #expect(try engine.bookings.book(draft("B-1", customer: "C-1"), now: now + 600).technician == "T-01")
        #expect(message { _ = try engine.bookings.releaseHold(hold.id, now: now + 700) } == "hold \(hold.id) is taken already")
    }

    @Test func anOfferIsSentHeldAndHonouredOnlyWithinItsTime() throws {
        let engine = try engine()
        _ = try engine.bookings.book(setup.draft("B-1", day: "2026-11-27"), now: now - 86_400)
        let offer = try engine.bookings.offer(booking: "B-1", slot: Self.slot, validMinutes: 30, note: "Freed by a cancellation.", now: now)
        #expect(offer.kind == "offer" && offer.booking == "B-1" && offer.customer == "C-1")
        #expect(try freeSlots(engine, at: now + 60).isEmpty)
        // Sent through the outbox, with an accept link written in when handed out.
        let sent = try #require(try engine.messages.dueMessages(now: now + 60).first { $0.template == "offer" })
        let base = ReminderSettings().linkBase
        #expect(sent.body.hasPrefix("Hello Léa, another time is free for your visit: 2026-11-26, 08:00–10:00. Freed by a cancellation. "
                                    + "It is kept for you until 2026-11-22 10:30. Accept: \(base)"))
        #expect(sent.body.hasSuffix("/accept"))
        // Too late: refused, nothing moves, and the offer message is no longer handed out.
        #expect(message { _ = try engine.bookings.acceptOffer(booking: "B-1", now: now + 1_800) }
                == "the offer of \(Self.slot) to B-1 is expired; it cannot be accepted")
        #expect(try engine.messages.dueMessages(now: now + 1_800).allSatisfy { $0.template != "offer" })
        let stillThere = try engine.store.readDatabase { db in try BookingRecord.fetch(externalId: "B-1", in: db).status }
        #expect(stillThere == .booked)
        // A new offer, accepted in time with the customer's link: the visit moves into the slot.
        _ = try engine.bookings.offer(booking: "B-1", slot: Self.slot, validMinutes: 30, now: now + 1_900)
        let (token, _) = try engine.bookings.link(booking: "B-1", now: now + 1_900)
        let moved = try engine.bookings.acceptOffer(booking: "B-1", by: .customer(token: token), now: now + 2_000)
        #expect(moved.booking == "B-1-R1" && moved.day == "2026-11-26" && moved.windows == ["08:00-10:00"] && moved.technician == "T-01")
        let statuses = try engine.store.readDatabase { db in try String.fetchAll(db, sql: "SELECT status FROM slotHold ORDER BY id") }
        #expect(statuses == ["expired", "taken"])
    }

    @Test func holdsAndOffersRangeCheckTheirInput() throws {
        let engine = try engine()
        _ = try engine.bookings.book(setup.draft("B-1", day: "2026-11-27"), now: now - 86_400)
        #expect(message { _ = try engine.bookings.hold(slot: Self.slot, customer: "C-1", site: (45.75, 4.84), durationMinutes: 90, minutes: 0, now: now) }
                == "--minutes must be 1–1440, got 0")
        #expect(message { _ = try engine.bookings.offer(booking: "B-1", slot: Self.slot, validMinutes: 20_000, now: now) }
                == "--valid-minutes must be 1–10080 (a week), got 20000")
        #expect(message { _ = try engine.bookings.offer(booking: "B-1", slot: "2026-11-26T08:05-10:05", validMinutes: 20, now: now) }?
                    .contains("is not on the region's slot grid") == true)
        #expect(message { _ = try engine.bookings.acceptOffer(booking: "B-1", now: now) } == "B-1 has no offer to accept")
    }
}
