import FieldRoute
import FieldStore
import GRDB
import Testing

@Suite struct PlanTests {
    func engineWithDay() throws -> Engine {
        let engine = try engineWithPeople()
        try importText(engine, .bookings, """
        id,customer,date,lat,lon,duration_min,windows,skills,priority,technician
        B-1,C-1,2026-11-24,45.75,4.84,30,09:00-11:00,gas,1,
        B-2,C-2,2026-11-24,45.72,4.82,45,08:00-10:00;14:00-16:00,,2,
        B-3,C-1,2026-11-24,45.74,4.86,20,10:00-12:00,electric,1,
        B-4,C-2,2026-11-24,45.73,4.83,20,13:00-15:00,,1,T-02
        B-5,C-1,2026-11-24,45.76,4.85,20,09:00-17:00,roofing,1,

        """)
        return engine
    }

    @Test func plansStoresAndPromisesNarrowWindows() throws {
        let engine = try engineWithDay()
        let summary = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 50))
        #expect(summary.feasible)
        #expect(summary.assigned == 4)
        #expect(summary.unassigned == [.init(id: "B-5", reason: "no_skilled_vehicle")])
        let routes = Dictionary(uniqueKeysWithValues: summary.technicians.map { ($0.id, Set($0.route)) })
        #expect(routes["T-02"]?.isSuperset(of: ["B-3", "B-4"]) == true)  // electric, and the pinned visit
        #expect(routes["T-01"]?.contains("B-1") == true)                 // only T-01 does gas
        let stops = try engine.store.readDatabase { db in try StopRecord.fetchAll(db) }
        #expect(stops.count == 4)
        for stop in stops {
            let start = try #require(stop.promisedStart), end = try #require(stop.promisedEnd)
            #expect(end - start <= 3_600)
            #expect(start % 300 == 0 && end % 300 == 0)
            #expect(stop.plannedStart >= stop.plannedArrival)
        }
        // Each planned start lies in one of the booking's allowed windows.
        let bookings = try engine.store.readDatabase { db in try BookingRecord.fetchAll(db) }
        for stop in stops {
            let booking = try #require(bookings.first { $0.id == stop.bookingId })
            #expect(booking.timeWindows.contains { $0.start <= stop.plannedStart && stop.plannedStart <= $0.end })
        }
        let listed = try engine.bookings.list(day: "2026-11-24")
        #expect(listed.filter { $0.promised != nil }.count == 4)
    }

    @Test func replanningReplacesTheDay() throws {
        let engine = try engineWithDay()
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 20))
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 20, seed: 2))
        let (plans, stops) = try engine.store.readDatabase { db in (try PlanRecord.fetchCount(db), try StopRecord.fetchCount(db)) }
        #expect(plans == 1)
        #expect(stops == 4)
    }

    @Test func visitsPinnedToAnAbsentTechnicianSaySo() throws {
        let engine = try engineWithPeople()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-09,Off,45.7,4.8\n")
        try importText(engine, .bookings, """
        id,customer,date,lat,lon,duration_min,windows,technician
        B-1,C-1,2026-11-24,45.75,4.84,30,09:00-11:00,T-09

        """)
        let summary = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 10))
        #expect(summary.unassigned == [.init(id: "B-1", reason: "pinned_technician_absent")])
    }

    @Test func refusesDaysWithoutShifts() throws {
        let engine = try engineWithDay()
        #expect(throws: FieldRouteError.self) { try engine.planner.plan(day: "2026-11-25", options: PlanOptions(iterations: 5)) }
        #expect(throws: FieldRouteError.self) { try engine.planner.plan(day: "24/11/2026") }
    }
}

@Suite struct LunchBreakTests {
    @Test func everyRouteTakesItsBreakInsideItsWindowWithoutTouchingAVisit() throws {
        let engine = try makeEngine()
        _ = try engine.loadDemo()
        let summary = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 30))
        #expect(summary.feasible)
        let (routes, stops) = try engine.store.readDatabase { db in (try RouteRecord.fetchAll(db), try StopRecord.fetchAll(db)) }
        let noon: Int64 = 1_795_518_000, halfPastOne: Int64 = 1_795_523_400  // 12:00 and 13:30 in Paris
        #expect(!routes.isEmpty)
        for route in routes {
            let start = try #require(route.breakStart), end = try #require(route.breakEnd)
            #expect(start >= noon && start <= halfPastOne && end - start == 30 * 60)
            for stop in stops where stop.routeId == route.id {
                #expect(stop.plannedEnd <= start || stop.plannedStart >= end, "stop \(stop.bookingId) overlaps the break")
            }
        }
        #expect(summary.technicians.allSatisfy { $0.lunchBreak != nil })
    }

    @Test func aBreakThatCollidesWithAVisitTakesTheVisitOutAndSaysSo() throws {
        // The break must start at exactly 12:00 and last an hour; B-1 must start by 12:30.
        let engine = try oneTechnicianDay(shift: "11:30,17:00,12:00,12:00,60", bookings: """
            B-1,C-1,2026-11-24,45.75,4.84,30,12:00-12:30
            B-2,C-2,2026-11-24,45.76,4.85,30,13:00-16:00

            """)
        let summary = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 20))
        #expect(summary.unassigned == [PlanSummary.Unassigned(id: "B-1", reason: "break_conflict")])
        #expect(summary.technicians.first?.route == ["B-2"])
        #expect(summary.technicians.first?.lunchBreak == "12:00-13:00")
    }
}

@Suite struct HourlySpeedTests {
    @Test func eachLegIsDrivenAtTheSpeedOfItsHour() throws {
        let engine = try oneTechnicianDay(bookings: """
            B-1,C-1,2026-11-24,45.75,4.84,120,08:00-08:30
            B-2,C-2,2026-11-24,45.77,4.85,10,10:00-16:00

            """)
        // Rush hour from 07:00 to 09:59 at 10 km/h, 40 km/h the rest of the day.
        let speeds = (0..<24).map { (7...9).contains($0) ? 10.0 : 40.0 }
        try engine.setSetting(key: "travel", json: "{\"speedByHour\": \(speeds)}")
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "travel", json: #"{"speedByHour": [20, 30]}"#) }
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 20))
        let stops = try engine.store.readDatabase { db in try StopRecord.order(Column("sequence")).fetchAll(db) }
        try #require(stops.count == 2)
        let model = TravelTimeModel()
        // The plan keeps road metres to the metre.
        let first = model.leg(from: (45.76, 4.84), to: (45.75, 4.84)).metres.rounded()
        let second = model.leg(from: (45.75, 4.84), to: (45.77, 4.85)).metres.rounded()
        let eight: Int64 = 1_795_503_600
        // Home → B-1 leaves at 08:00 (10 km/h); B-1 → B-2 leaves at about 10:1x (40 km/h).
        #expect(stops[0].plannedArrival == eight + Int64((first / (10 / 3.6)).rounded()))
        #expect(stops[1].plannedArrival == stops[0].plannedEnd + Int64((second / (40 / 3.6)).rounded()))
    }
}
