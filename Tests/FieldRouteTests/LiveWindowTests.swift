import ArrivalWindows
import FieldRoute
import FieldStore
import Foundation
import GRDB
import RouteSolver
import Testing

@Suite struct LiveWindowTests {
    static let day = "2026-11-24"
    static let eight: Int64 = 1_795_503_600  // 08:00 Paris

    /// One technician, three 20-minute visits along a north-south line, windows 08:00–17:00, planned.
    func plannedDay() throws -> Engine {
        // Home in the south, ending the day in the north: the visiting order is B-1, B-2, B-3.
        let engine = try oneTechnicianDay(day: Self.day, home: "45.70,4.84", end: "45.78,4.84", bookings: """
            B-1,C-1,\(Self.day),45.72,4.84,20,08:00-17:00
            B-2,C-2,\(Self.day),45.74,4.84,20,08:00-17:00
            B-3,C-1,\(Self.day),45.76,4.84,20,08:00-17:00

            """)
        _ = try engine.plan(day: Self.day, options: PlanOptions(iterations: 5))
        return engine
    }

    /// The planned day driven exactly, but leaving home `late` seconds after the shift starts.
    func pings(_ engine: Engine, late: Int64) throws -> [String] {
        let stops = try engine.store.read { db in try StopRecord.order(Column("sequence")).fetchAll(db) }
        let sites = [45.72, 45.74, 45.76]
        var rows: [String] = [], t = Self.eight, lat = 45.70
        while t < Self.eight + late { rows.append("T-01,\(t),\(lat),4.84,8"); t += 10 }
        for (k, stop) in stops.enumerated() {
            let drive = stop.plannedArrival - (k == 0 ? Self.eight : stops[k - 1].plannedEnd)
            let from = lat, start = t
            while t < start + drive { lat = from + (sites[k] - from) * Double(t - start) / Double(drive); rows.append("T-01,\(t),\(lat),4.84,8"); t += 10 }
            lat = sites[k]
            let leave = t + 20 * 60
            while t < leave { rows.append("T-01,\(t),\(lat),4.84,8"); t += 10 }
        }
        for _ in 0..<60 { lat -= 0.0005; rows.append("T-01,\(t),\(lat),4.84,8"); t += 10 }
        return rows
    }

    func ingest(_ engine: Engine, _ rows: [String]) throws {
        try engine.ingestPings(data: Data(("technician,timestamp,lat,lon,accuracy\n" + rows.joined(separator: "\n") + "\n").utf8), name: "p.csv")
    }

    @Test func aLateTechnicianChangesEachToldWindowOnceAndSaysSo() throws {
        let engine = try plannedDay()
        try ingest(engine, try pings(engine, late: 90 * 60))
        let changes = try engine.store.read { db in try WindowChangeRecord.fetchAll(db) }
        #expect(Dictionary(grouping: changes, by: \.bookingId).values.map(\.count).sorted() == [1, 1, 1])
        #expect(changes.allSatisfy { $0.reason == "running late" && $0.newStart > $0.oldEnd - 3_600 })
        let messages = try engine.store.read { db in try OutboxMessageRecord.filter(Column("template") == "window_changed").fetchCount(db) }
        #expect(messages == 3)
        #expect(try engine.windows(day: Self.day).map(\.changes) == [1, 1, 1])
        // The told window is now the new one, and the visit started inside it.
        let stops = try engine.store.read { db in try StopRecord.fetchAll(db) }
        for stop in stops { #expect(stop.promisedStart.map { $0 <= (stop.actualArrival ?? 0) } == true) }
    }

    @Test func onTimeDaysChangeNothing() throws {
        let engine = try plannedDay()
        try ingest(engine, try pings(engine, late: 0))
        #expect(try engine.store.read { db in try WindowChangeRecord.fetchCount(db) } == 0)
        let horizons = try engine.store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT horizon FROM windowEstimate ORDER BY horizon") }
        #expect(horizons == ["en_route", "hour_before", "night_before", "start_of_day"])
    }

    @Test func duplicatedAndOutOfOrderPingsDoNotChangeTheEstimates() throws {
        let clean = try plannedDay(), messy = try plannedDay()
        let rows = try pings(clean, late: 30 * 60)
        try ingest(clean, rows)
        var shuffled: [String] = []
        for (k, row) in rows.enumerated() {
            shuffled.append(row)
            if k % 5 == 0 { shuffled.append(row) }
            if k > 20, k % 7 == 0 { shuffled.append(rows[k - 20]) }
        }
        try ingest(messy, shuffled)
        let state = { (e: Engine) in
            try e.store.read { db in
                try String.fetchAll(db, sql: "SELECT bookingId || horizon || start || '-' || end FROM windowEstimate ORDER BY 1")
                    + String.fetchAll(db, sql: "SELECT bookingId || ' ' || IFNULL(estimateStart, 0) || ' ' || IFNULL(promisedStart, 0) FROM stop ORDER BY 1")
            }
        }
        #expect(try state(clean) == state(messy))
    }

    @Test func eachLevelShowsExactlyItsFieldsAndNoOtherCustomer() throws {
        let engine = try plannedDay()
        let rows = try pings(engine, late: 0)
        try ingest(engine, Array(rows.prefix(30)))  // on the way to the first visit
        let first = try engine.store.read { db in
            try String.fetchOne(db, sql: "SELECT b.externalId FROM stop s JOIN booking b ON b.id = s.bookingId ORDER BY s.sequence LIMIT 1") ?? ""
        }
        let now = Self.eight + 300
        let queue = try engine.track(booking: "B-3", level: .queue, now: now)
        #expect(queue.queuePosition == 2 && queue.window == nil && queue.technicianLat == nil && queue.path == nil)
        let eta = try engine.track(booking: "B-3", level: .eta, now: now)
        #expect(eta.window != nil && eta.technicianLat == nil && eta.path == nil)
        let location = try engine.track(booking: "B-3", level: .location, now: now)
        #expect(location.technicianLat != nil && location.path == nil)
        // Route: B-3 is not next, so no path (it would pass other customers).
        #expect(try engine.track(booking: "B-3", level: .route, now: now).path == nil)
        let next = try engine.track(booking: first, level: .route, now: now)
        let site = try engine.store.read { db in try BookingRecord.fetch(externalId: first, in: db) }
        #expect(next.path?.count == 2 && next.path?.last == [site.lat, site.lon])
        // The encoded view names no other booking.
        let json = String(decoding: try JSONEncoder().encode(location), as: UTF8.self)
        #expect(!json.contains("B-1") && !json.contains("B-2") && !json.contains("Léa") && !json.contains("Max"))
        // A customer's token shows only their own visit.
        let (token, _) = try engine.link(booking: "B-3")
        #expect(throws: FieldRouteError.self) { try engine.track(booking: "B-2", level: .queue, by: .customer(token: token), now: now) }
        #expect(try engine.track(booking: "B-3", level: .queue, by: .customer(token: token), now: now).queuePosition == 2)
    }

    @Test func learningGivesJobTypesWithEnoughHistoryTheirOwnSpread() throws {
        let engine = try makeEngine()
        try engine.loadDemo()
        _ = try engine.plan(day: DemoRegion.day, options: PlanOptions(iterations: 20))
        _ = try engine.simulate(day: DemoRegion.day, seed: 4)
        let learned = try engine.learn().after
        // The demo's 120 visits need electric, gas, heating or plumbing: each type has 20+ visits.
        #expect(learned.serviceSigmaByJobType.keys.sorted() == ["electric", "gas", "heating", "plumbing"])
        #expect(learned.serviceSigmaByJobType.values.allSatisfy { $0 > 0 && $0 < 2 })
    }

    @Test func simulatedDaysAreReproducibleAndFeedLearning() throws {
        let a = try plannedDay(), b = try plannedDay()
        let sa = try a.simulate(day: Self.day, seed: 9), sb = try b.simulate(day: Self.day, seed: 9)
        #expect(sa == sb && sa.visits == 3 && sa.arrived == 3)
        let report = try a.windowReport(from: Self.day, to: Self.day)
        #expect(report.horizons.first { $0.horizon == "night_before" }?.visits == 3)
        let fresh = try makeEngine()
        #expect(try fresh.learn().after.travelSigma == UncertaintySettings().travelSigma)  // no history: priors
        let learned = try a.learn().after
        #expect(learned.legs == 2 && learned.visits == 3)
        #expect(learned != UncertaintySettings())
    }
}

@Suite struct RemainingStartsTests {
    @Test func withoutNoiseTheRestOfTheRouteIsExact() throws {
        var rng = SeededGenerator(seed: 1)
        let model = UncertaintyModel(travelSigma: 0, serviceSigma: 0, daySigma: 0, samples: 10)
        let stops = [RouteStop(travel: 600, service: 1_200, earliestStart: 0), RouteStop(travel: 300, service: 600, earliestStart: 10_000)]
        // Half-way along a 600 s leg at t = 1 000: arrive at 1 300, serve to 2 500, drive 300 s, wait for 10 000.
        let d = try model.remainingStarts(now: 1_000, progress: .driving(leg: 600, fractionDone: 0.5), stops: stops, using: &rng)
        #expect(d.map { $0.quantile(0.5) } == [1_300, 10_000])
        // On site 15 minutes into a 20-minute job at t = 5 000: done at 5 300, next start 5 600 ... then 10 000.
        let s = try model.remainingStarts(now: 5_000, progress: .onSite(since: 4_100, service: 1_200), stops: [stops[1]], using: &rng)
        #expect(s.map { $0.quantile(0.5) } == [10_000])
        let s2 = try model.remainingStarts(now: 5_000, progress: .onSite(since: 4_100, service: 1_200),
                                           stops: [RouteStop(travel: 300, service: 600, earliestStart: 0)], using: &rng)
        #expect(s2.map { $0.quantile(0.5) } == [5_600])
    }

    @Test func windowsHoldTheirCoverageOnTheModelsOwnDays() throws {
        var rng = SeededGenerator(seed: 5)
        let model = UncertaintyModel(samples: 400)
        let stops = (0..<6).map { _ in RouteStop(travel: 900, service: 1_800, earliestStart: 0) }
        let estimate = try model.remainingStarts(now: 0, progress: .notStarted(departure: 0), stops: stops, using: &rng)
        let windows = estimate.map { $0.promisedWindow(policy: .nightBefore) }
        // Fresh days from the same model: the share inside each uncapped window is 90 % within sampling error.
        let fresh = try model.remainingStarts(now: 0, progress: .notStarted(departure: 0), stops: stops, using: &rng)
        for (w, days) in zip(windows, fresh) where w.width < 3_600 {
            // The snapped window holds at least 90 % of its own samples, and as much of fresh days
            // within sampling error (4 σ of a binomial share over 400 days).
            let kept = days.coverage(start: w.start, end: w.end)
            #expect(w.coverage >= 0.9)
            #expect(abs(kept - w.coverage) < 0.06, "kept \(kept) of fresh days, \(w.coverage) of its own")
        }
    }

    @Test func aJobTypesOwnServiceSpreadIsUsed() throws {
        var rng = SeededGenerator(seed: 2)
        let model = UncertaintyModel(travelSigma: 0, serviceSigma: 0, daySigma: 0, samples: 200)
        let first = RouteStop(travel: 600, service: 3_600, earliestStart: 0)
        let second = RouteStop(travel: 600, service: 600, earliestStart: 0)
        let plain = try model.serviceStarts(departure: 0, stops: [first, second], using: &rng)
        #expect(plain[1].quantile(0.05) == plain[1].quantile(0.95))
        var typed = first
        typed.serviceSigma = 0.4
        let spread = try model.serviceStarts(departure: 0, stops: [typed, second], using: &rng)
        #expect(spread[1].quantile(0.95) - spread[1].quantile(0.05) > 1_800)
    }
}
