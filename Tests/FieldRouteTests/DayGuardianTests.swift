import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Issue 13: where features meet on one day, nothing is lost, nothing driven is rewritten, and the
/// day's invariants hold after every operation (the engines here check them inside every write).
@Suite struct DayGuardianTests {
    /// 2026-11-20 10:00 Paris: four days before the day, inside every booking rule.
    static let before: Int64 = 1_795_165_200

    /// One technician, the sample customers, a shift 08:00–17:00 on 2026-11-24, three visits, planned.
    func plannedDay() throws -> Engine {
        let engine = try oneTechnicianDay(bookings: """
            B-1,C-1,2026-11-24,45.75,4.84,30,09:00-12:00
            B-2,C-2,2026-11-24,45.76,4.86,30,09:00-17:00
            B-3,C-1,2026-11-24,45.74,4.83,30,13:00-17:00

            """)
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 30, now: Self.before))
        return engine
    }

    func stopCount(_ engine: Engine, _ booking: String) throws -> Int {
        try engine.store.readDatabase { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM stop s JOIN booking b ON b.id = s.bookingId WHERE b.externalId = ?",
                             arguments: [booking]) ?? -1
        }
    }

    func status(_ engine: Engine, _ booking: String) throws -> String? {
        try engine.store.readDatabase { db in try String.fetchOne(db, sql: "SELECT status FROM booking WHERE externalId = ?", arguments: [booking]) }
    }

    /// Observation 2: a slot booked and a visit cancelled while the plan searches. Before, the plan
    /// committed what it had read: the new booking had no technician and was on no list, the
    /// cancelled visit came back into a route.
    @Test func aPlanThatReadAnOlderDayIsMadeAgainOnTheNewOne() throws {
        let engine = try plannedDay()
        var interfered = false
        let summary = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 600, now: Self.before)) { _ in
            guard !interfered else { return }
            interfered = true
            _ = try? engine.bookings.book(BookingDraft(id: "B-SLOT", customer: "C-2", lat: 45.755, lon: 4.845, durationMinutes: 30,
                                              slot: "2026-11-24T10:00-12:00"), now: Self.before)
            _ = try? engine.bookings.cancel(booking: "B-3", reason: "forgot", now: Self.before)
        }
        #expect(interfered)
        #expect(try status(engine, "B-SLOT") == "booked")
        #expect(try stopCount(engine, "B-SLOT") == 1)
        #expect(summary.technicians.flatMap(\.route).contains("B-SLOT"))
        #expect(try status(engine, "B-3") == "cancelled")
        #expect(try stopCount(engine, "B-3") == 0)
        #expect(try engine.checkInvariants() == [])
    }

    /// A day that changes under every attempt fails the plan clearly, and writes none of it.
    @Test func aDayThatKeepsChangingFailsThePlanClearly() throws {
        let engine = try plannedDay()
        let before = try fingerprint(engine.store)
        var n = 0
        do {
            _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 600, now: Self.before)) { _ in
                n += 1
                _ = try? engine.store.writeDatabase { db in
                    try db.execute(sql: "UPDATE booking SET priority = priority + 1 WHERE externalId = 'B-2'")
                }
            }
            Issue.record("the plan committed on a day that changed under it")
        } catch {
            #expect(error.description == "the day 2026-11-24 changed while planning; try again")
            #expect(error.exitCode == 1)
        }
        #expect(n >= 3)
        // Only the interfering priority changes landed.
        let after = try fingerprint(engine.store)
        #expect(after != before)
        #expect(try engine.store.readDatabase { db in try Int.fetchOne(db, sql: "SELECT priority FROM booking WHERE externalId = 'B-2'") } == 1 + n)
    }

    /// Observation 4: `demo` drives the day, then `plan` of the same day deleted the 115 completed stops
    /// and every report of them went to zero.
    @Test func replanningADrivenDayKeepsWhatWasDriven() throws {
        let engine = Engine(store: try FieldStore.inMemory(checksInvariants: true))
        _ = try engine.loadDemo()
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 50, now: Self.before))
        _ = try engine.promises.simulate(day: DemoRegion.day, seed: 1)
        let windows = try engine.promises.windowReport(from: DemoRegion.day, to: DemoRegion.day)
        let geofence = try engine.tracker.geofenceReport(day: DemoRegion.day)
        let driven = try engine.store.read { tx in try tx.drivenStops() }
        #expect(driven.count > 100)

        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 50, now: Self.before))
        #expect(try engine.promises.windowReport(from: DemoRegion.day, to: DemoRegion.day) == windows)
        #expect(try engine.tracker.geofenceReport(day: DemoRegion.day) == geofence)
        let after = try engine.store.read { tx in try tx.drivenStops() }
        #expect(DayInvariants.drivenChanges(from: driven, to: after) == [])
        #expect(after == driven)
        #expect(try engine.checkInvariants() == [])
    }

    /// Observation 5: an id with a NUL was cut at the NUL, so `cancel_job` for "B-1\0 anything" cancelled
    /// B-1 and an import stored "B-NUL\0TAIL" as "B-NUL".
    @Test func idsWithControlCharactersAreRefusedNotCut() throws {
        let engine = try plannedDay()
        let request = DispatchRequest(op: .cancelJob, date: "2026-11-24", now: String(Self.before), booking: "B-1\u{0} anything",
                                      reason: "test")
        #expect(throws: FieldRouteError.self) { try engine.dispatcher.dispatch(request) }
        do { _ = try engine.dispatcher.dispatch(request) } catch { #expect(error.exitCode == 2) }
        #expect(try status(engine, "B-1") == "booked")
        #expect(throws: FieldRouteError.self) { try engine.bookings.cancel(booking: "B-1\u{0}x", reason: "forgot", now: Self.before) }
        #expect(try status(engine, "B-1") == "booked")

        let before = try fingerprint(engine.store)
        #expect(throws: FieldRouteError.self) {
            try importText(engine, .bookings, "id,customer,date,lat,lon,duration_min,windows\nB-NUL\u{0}TAIL,C-1,2026-11-24,45.75,4.84,30,09:00-12:00\n")
        }
        #expect(throws: FieldRouteError.self) {
            try importText(engine, .customers, "id,name\nC-TAB\tX,Tab\n")
        }
        #expect(try fingerprint(engine.store) == before)
    }

    /// Observation 6: a bad row at line 6001 left the first 5,000 pings committed.
    @Test func aBadPingFileWritesNothing() throws {
        let engine = try plannedDay()
        var csv = "technician,timestamp,lat,lon\n"
        for k in 0..<5_999 { csv += "T-01,\(1_795_500_000 + Int64(k) * 5),45.76,4.84\n" }
        csv += "T-99,1795600000,45.76,4.84\n"
        let before = try fingerprint(engine.store)
        do {
            _ = try engine.tracker.ingestPings(data: Data(csv.utf8), name: "pings.csv", batchSize: 5_000)
            Issue.record("a file with an unknown technician was ingested")
        } catch {
            #expect(error.description.contains("pings.csv:6001"))
            #expect(error.description.contains("T-99"))
            #expect(error.exitCode == 2)
        }
        #expect(try fingerprint(engine.store) == before)
    }

    /// A visit booked by date on a planned day is listed unplanned until a plan or a dispatch call
    /// places it; cancelling it takes it off the list.
    @Test func aVisitBookedAfterThePlanIsListedUnplanned() throws {
        let engine = try plannedDay()
        _ = try engine.bookings.book(BookingDraft(id: "B-LATE", customer: "C-1", lat: 45.75, lon: 4.85, durationMinutes: 20, date: "2026-11-24",
                                         windows: ["14:00-16:00"]), now: Self.before)
        let reason = { try engine.store.readDatabase { db in
            try String.fetchOne(db, sql: "SELECT u.reason FROM unplanned u JOIN booking b ON b.id = u.bookingId WHERE b.externalId = 'B-LATE'")
        } }
        #expect(try reason() == "booked_after_plan")
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 30, now: Self.before))
        #expect(try reason() == nil)
        #expect(try stopCount(engine, "B-LATE") == 1)
        #expect(try engine.checkInvariants() == [])
    }
}
