import ArrivalWindows
import FieldStore
import Foundation
import RouteSolver

/// How the nightly plan searches and what it promises.
public struct PlanOptions: Sendable {
    /// Seconds the solver may search.
    public var timeLimit: Double
    /// Iterations instead of a time limit: reproducible for a seed.
    public var iterations: Int?
    public var seed: UInt64
    /// Overrides the region's travel estimate (its `travel` setting) where it has no imported matrix.
    public var travel: TravelTimeModel?
    public var policy: WindowPolicy
    /// Nil: the region's learned model (`fieldroute learn`), else its priors.
    public var uncertainty: UncertaintyModel?
    /// When the plan is made (Unix seconds): reminders and the morning message already past are not
    /// queued. Nil: the clock.
    public var now: Int64?
    /// Seconds the search keeps clear before each allowed window closes (at most half the window),
    /// so visits are not planned where any delay breaks the booking. 30 minutes: on 10 simulated demo
    /// days × 3 plans, night-before windows kept over every visit due rose from 83.6 % to 87.5 % for
    /// 4 % more driving (45 min: 89.7 % for 17 % more; README, "Windows that stay honest").
    public var lateMargin: Int64 = 30 * 60

    /// A night-before window policy: `coverage` of simulated arrivals, at most `maxMinutes` wide.
    public static func windowPolicy(coverage: Double, maxMinutes: Int) throws(FieldRouteError) -> WindowPolicy {
        do { return try WindowPolicy(coverage: coverage, maxWidth: Int64(maxMinutes) * 60) } catch { throw .window(error) }
    }

    public init(timeLimit: Double = 10, iterations: Int? = nil, seed: UInt64 = 1, travel: TravelTimeModel? = nil,
                policy: WindowPolicy = .nightBefore, uncertainty: UncertaintyModel? = nil, now: Int64? = nil) {
        self.timeLimit = timeLimit; self.iterations = iterations; self.seed = seed; self.travel = travel
        self.policy = policy; self.uncertainty = uncertainty; self.now = now
    }
}

/// What `plan` decided, for people and machines.
public struct PlanSummary: Sendable, Codable, Equatable {
    public struct TechnicianDay: Sendable, Codable, Equatable {
        public var id: String
        /// Booking ids in visiting order.
        public var route: [String]
        public var kilometres: Double
        public var driveHours: Double
        public var serviceHours: Double
        public var shiftHours: Double
        /// (drive + service) / (shift − break).
        public var utilisation: Double
        /// The planned lunch break, local "HH:MM-HH:MM"; nil when the shift has none.
        public var lunchBreak: String?
        /// Local "HH:MM" the technician leaves home: as late as the first visit allows.
        public var leaves: String
        /// Minutes planned waiting at doors for windows to open, in all and before the first visit.
        public var waitMinutes: Double
        public var firstVisitWaitMinutes: Double
    }

    public struct Unassigned: Sendable, Codable, Equatable {
        public var id: String
        /// no_skilled_vehicle, window_unreachable, no_room, pinned_technician_absent, awaiting_prepayment,
        /// break_conflict.
        public var reason: String
        public init(id: String, reason: String) { self.id = id; self.reason = reason }
    }

    public var region: String
    public var day: String
    public var assigned: Int
    public var technicians: [TechnicianDay]
    public var unassigned: [Unassigned]
    public var feasible: Bool
    /// The objective: seconds of driving plus the penalty of every unplanned visit.
    public var cost: Int64
    public var iterations: Int
    public var seconds: Double
    /// Median promised-window width, minutes.
    public var medianWindowMinutes: Double
}

extension Planner {
    /// The nightly batch: builds the day's routing problem from the store, solves it, computes
    /// promised windows, queues the reminders (once each) and the morning-of message with the window,
    /// and writes the day's plan in one transaction. Re-planning a day plans only what is not yet
    /// driven: driven stops (en route, arrived, completed, no-show), their actual times, events and
    /// window estimates stay as they were, and each technician goes on from the last of them. Visits
    /// left out are stored as unplanned with their reason.
    ///
    /// The search runs outside any transaction; the plan is written only if the day has not changed
    /// since it was read (another process booked, cancelled or dispatched meanwhile). Then the plan is
    /// made again on the new state, up to three times in all, before failing with
    /// ``StoreError/dayChanged(day:operation:)``.
    ///
    ///     let summary = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(timeLimit: 5))
    ///
    /// - parameters:
    ///   - region: region name; may be omitted when the database has one region.
    public func plan(day: String, region: String? = nil, options: PlanOptions = PlanOptions(),
                     progress: ((SolverProgress) -> Void)? = nil) throws(FieldRouteError) -> PlanSummary {
        guard let summary = try plan(day: day, region: region, options: options, onlyIfUnplanned: false, progress: progress) else {
            throw .internalFailure("plan of \(day) was skipped")
        }
        return summary
    }

    /// ``plan(day:region:options:progress:)``; with `onlyIfUnplanned`, nil when the day has a plan by
    /// the time this one would be written (another process planned it first).
    func plan(day: String, region: String?, options: PlanOptions, onlyIfUnplanned: Bool,
              progress: ((SolverProgress) -> Void)?) throws(FieldRouteError) -> PlanSummary? {
        guard RegionClock.parseDay(day) != nil else { throw .badInput("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'") }
        var attempt = 1
        while true {
            do { return try planOnce(day: day, region: region, options: options, onlyIfUnplanned: onlyIfUnplanned, progress: progress) }
            catch .store(.dayChanged(_, _)) where attempt < Self.planAttempts { attempt += 1 }
        }
    }

    /// How many times a plan is computed before a day that keeps changing fails it.
    static let planAttempts = 3

    private func planOnce(day: String, region: String?, options: PlanOptions, onlyIfUnplanned: Bool,
                          progress: ((SolverProgress) -> Void)?) throws(FieldRouteError) -> PlanSummary? {
        let started = ContinuousClock.now
        var dayProblem: DayProblem
        let travel: TravelSource, driven: DrivenPart, key: DayKey, version: Int64
        do {
            (dayProblem, travel, driven, key, version) = try store.snapshot { db in
                let regionRecord = try Engine.region(named: region, db)
                let key = DayKey(regionId: regionRecord.id ?? 0, day: day)
                let travel = try Engine.travelSource(for: regionRecord, override: options.travel, db)
                let driven = try DrivenPart.load(db, regionId: key.regionId, day: day)
                return (try DayProblem.load(db, region: regionRecord, day: day, travel: travel, driven: driven), travel, driven, key,
                        try db.dayVersion(key))
            }
        } catch { throw FieldRouteError(wrapping: error) }
        if onlyIfUnplanned, driven.planId != nil { return nil }
        dayProblem.lateMargin = options.lateMargin

        // The time limit covers the whole plan: what loading took, and about 5 % kept for breaks, windows
        // and storing; hour-of-day travel searches 1.4 times (two refinements of a fifth each).
        let loaded = ContinuousClock.now - started
        let left = max(0.1, options.timeLimit - Double(loaded.components.seconds) - Double(loaded.components.attoseconds) * 1e-18)
        let hourly: Bool = if case let .estimate(model) = travel { model.speedByHour != nil } else { false }
        let solverOptions = SolverOptions(seed: options.seed, iterationLimit: options.iterations,
                                          timeLimit: options.iterations == nil ? left * 0.95 / (hourly ? 1.4 : 1) : nil)
        var result = Solver(problem: try dayProblem.searchProblem(), options: solverOptions).run(progress: progress)
        if case let .estimate(model) = travel {
            do { try HourlyTravel.refine(&dayProblem, result: &result, model: model, options: solverOptions) }
            catch { throw FieldRouteError(wrapping: error) }
        }
        dayProblem.placeLeftOut(&result.solution)
        let breaks = PlannedBreaks.place(in: &result.solution, day: dayProblem)
        let checker = Checker(problem: dayProblem.problem)
        let report = checker.check(result.solution)
        var rng = SeededGenerator(seed: options.seed)
        let clock: RegionClock
        do { clock = try RegionClock(timeZone: dayProblem.region.timeZone) } catch { throw FieldRouteError(wrapping: error) }
        let travelFactor = { [uncertainty = dayProblem.uncertainty] (t: Int64) in uncertainty.travelFactor(leaving: t, clock: clock) }
        let bookingIds = dayProblem.bookings.map { $0.id ?? -1 }
        let leaving = Self.schedules(dayProblem.problem, solution: result.solution, report: report, breaks: breaks)
        var windows = try Self.promisedWindows(dayProblem.problem, bookingIds: bookingIds, solution: result.solution, schedules: leaving,
                                               policy: options.policy, uncertainty: options.uncertainty ?? dayProblem.uncertainty.model,
                                               serviceSigmas: dayProblem.bookings.map { dayProblem.uncertainty.serviceSigma(for: $0.requiredSkills) },
                                               breaks: breaks, travelFactor: travelFactor, rng: &rng)
        let schedules = Self.holdingPromises(leaving, dayProblem.problem, solution: result.solution, bookingIds: bookingIds,
                                             promises: &windows,
                                             shiftEnd: { dayProblem.shiftEnds[Int($0)] })
        let summary = summary(dayProblem, result: result, report: report, windows: windows, breaks: breaks, schedules: schedules)
        let now = options.now ?? Int64(Date().timeIntervalSince1970)
        do {
            // The version check covers `onlyIfUnplanned`: a plan written meanwhile changed the day.
            try store.writeDay(key, expecting: version, operation: "planning") { db in
                let tracking = try Engine.setting(TrackingSettings.self, regionId: key.regionId, db)
                try Engine.keepRouterLegs(travel, db)
                let planId = try Self.replacePlan(of: key, keeping: driven, cost: report.cost, unassigned: report.unassigned.count,
                                                  now: now, db)
                var kept = Set(driven.tails.keys)
                for (route, (routeReport, schedule)) in zip(result.solution.routes, zip(report.routes, schedules)) {
                    let tech = dayProblem.technicians[Int(route.vehicle)], techId = tech.id ?? 0, tail = driven.tails[techId]
                    let lunch = breaks.placements[route.vehicle]
                    var record = driven.routes[techId]
                        ?? RouteRecord(planId: planId, technicianId: techId, distance: 0, travelTime: 0)
                    record.planId = planId
                    record.distance = routeReport.distance; record.travelTime = routeReport.travelTime
                    if lunch != nil || tail == nil {
                        record.breakStart = schedule.breakStart
                        record.breakEnd = lunch.flatMap { l in schedule.breakStart.map { $0 + l.rule.length } }
                    }
                    // A technician who has driven part of the day left home already.
                    if tail == nil { record.departure = schedule.departure }
                    try db.save(&record)
                    kept.insert(techId)
                    try Messages.tellHolds(technician: techId, day: day, jobs: route.jobs.map { dayProblem.bookings[Int($0)] }, schedule: schedule,
                                           clock: clock, now: now, db)
                    let (arrivals, starts) = (schedule.arrivals, schedule.starts)
                    for (k, j) in route.jobs.enumerated() {
                        let booking = dayProblem.bookings[Int(j)]
                        let start = starts[k]
                        let window = windows[booking.id ?? -1]
                        var stop = StopRecord(routeId: record.id ?? 0, bookingId: booking.id ?? 0, sequence: (tail?.lastSequence ?? 0) + k + 1,
                                              plannedArrival: arrivals[k], plannedStart: start,
                                              plannedEnd: start + booking.serviceDuration, promisedStart: window?.start,
                                              promisedEnd: window?.end, estimateStart: window?.start, estimateEnd: window?.end)
                        try db.insert(&stop)
                        try Self.upsertFences(for: booking, technician: techId, tracking, db)
                        try Messages.queueReminders(for: booking, now: now, db)
                        if let window {
                            try Messages.queueMorningMessage(for: booking, window: (window.start, window.end), now: now, db)
                            var estimate = WindowEstimateRecord(bookingId: booking.id ?? 0, horizon: Horizon.nightBefore.rawValue,
                                                                start: window.start, end: window.end, at: now)
                            try db.save(&estimate)
                        }
                    }
                }
                // Routes of technicians with nothing driven and nothing planned now go.
                for (techId, route) in driven.routes where !kept.contains(techId) { try db.delete(route) }
                // `summary.unassigned` lists `report.unassigned` in order, each with its reason.
                for (j, left) in zip(report.unassigned, summary.unassigned) {
                    var unplanned = UnplannedRecord(bookingId: dayProblem.bookings[Int(j)].id ?? 0, planId: planId, reason: left.reason, at: now)
                    try db.save(&unplanned)
                }
            }
            return summary
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// The day's plan record, new or kept (then with its stops still to come and its unplanned list
    /// removed, its driven stops untouched); returns its id.
    private static func replacePlan(of key: DayKey, keeping driven: DrivenPart, cost: Int64, unassigned: Int, now: Int64,
                                    _ db: StoreTransaction) throws -> Int64 {
        guard let planId = driven.planId, var plan = try db.fetch(PlanRecord.self, id: planId) else {
            var plan = PlanRecord(regionId: key.regionId, day: key.day, createdAt: now, cost: cost, unassignedCount: unassigned)
            try db.insert(&plan)
            return plan.id ?? 0
        }
        plan.createdAt = now; plan.cost = cost; plan.unassignedCount = unassigned
        try db.update(plan)
        try db.deleteStops(routeIds: driven.routes.values.compactMap(\.id), keeping: driven.stopIds)
        try db.deleteUnplanned(planId: planId)
        return planId
    }

    /// The fences of a planned visit: `site-<booking>` (the booking's radius, else the region's) for
    /// arrived / completed, and `approach-<booking>`, owned by the planned technician, for "arriving
    /// in N min". Updated in place (never replaced) so their events survive re-plans.
    static func upsertFences(for booking: BookingRecord, technician: Int64, _ tracking: TrackingSettings,
                             _ db: StoreTransaction) throws {
        try db.upsertFence(externalId: "site-\(booking.externalId)", kind: "site", bookingId: booking.id, lat: booking.lat, lon: booking.lon,
                           radius: booking.siteRadius ?? tracking.siteRadius, technicianId: nil)
        try db.upsertFence(externalId: "approach-\(booking.externalId)", kind: "approach", bookingId: booking.id, lat: booking.lat,
                           lon: booking.lon, radius: tracking.approachRadius, technicianId: technician)
    }

    /// Monte Carlo over each route's travel and service times, cut to promises the technician keeps
    /// by waiting for a window to open (``UncertaintyModel/promises(departure:stops:policy:using:)``)
    /// and to the allowed window each planned start falls in; by booking id (`bookingIds[j]` is job
    /// `j`'s booking). Route `k` leaves at `schedules[k].departure`; each drive takes `travelFactor`
    /// of its leaving instant times the planned time (the hour-of-day factor `learn` fits).
    static func promisedWindows(_ p: RoutingProblem, bookingIds: [Int64], solution: Solution, schedules: [RouteSchedule],
                                policy: WindowPolicy, uncertainty: UncertaintyModel, serviceSigmas: [Double?] = [],
                                breaks: PlannedBreaks = PlannedBreaks(), travelFactor: (Int64) -> Double = { _ in 1 },
                                rng: inout SeededGenerator) throws(FieldRouteError) -> [Int64: PromisedWindow] {
        var out: [Int64: PromisedWindow] = [:]
        for (route, schedule) in zip(solution.routes, schedules) {
            let vehicle = p.vehicles[Int(route.vehicle)]
            var at = vehicle.start, leave = schedule.departure
            var stops: [RouteStop] = []
            let windows = RouteSchedule.windows(p, jobs: route.jobs, starts: schedule.starts)
            for (k, j) in route.jobs.enumerated() {
                let job = p.jobs[Int(j)]
                let drive = (Double(p.travel.duration(at, job.location)) * travelFactor(leave)).rounded()
                stops.append(RouteStop(travel: Int64(drive), service: job.service, earliestStart: windows[k].start,
                                       serviceSigma: Int(j) < serviceSigmas.count ? serviceSigmas[Int(j)] : nil,
                                       latestStart: windows[k].end == .max ? nil : windows[k].end))
                at = job.location; leave = schedule.starts[k] + job.service
            }
            breaks.adjust(&stops, vehicle: route.vehicle, departure: schedule.departure)
            do {
                let windows = try uncertainty.promises(departure: schedule.departure, stops: stops, policy: policy, using: &rng)
                for (j, window) in zip(route.jobs, windows) { out[bookingIds[Int(j)]] = window }
            } catch { throw .window(error) }
        }
        return out
    }

    /// Each route's times as stored: the placed schedule leaving as late as its first visit allows,
    /// then (once promises are made) waiting for each told window to open.
    static func schedules(_ p: RoutingProblem, solution: Solution, report: Checker.Report, breaks: PlannedBreaks) -> [RouteSchedule] {
        zip(solution.routes, report.routes).map { route, routeReport in
            RouteSchedule.placed(p, route: route, report: routeReport, breaks: breaks)
                .leavingLate(p, vehicle: route.vehicle, jobs: route.jobs)
        }
    }

    /// `schedules` with visits waiting for their promises (``RouteSchedule/holding(promises:_:vehicle:jobs:shiftEnd:)``);
    /// a promise a visit cannot wait for opens earlier to hold its start, inside the allowed window.
    static func holdingPromises(_ schedules: [RouteSchedule], _ p: RoutingProblem, solution: Solution, bookingIds: [Int64],
                                promises: inout [Int64: PromisedWindow], shiftEnd: (Int32) -> Int64) -> [RouteSchedule] {
        zip(solution.routes, schedules).map { route, schedule in
            let held = schedule.holding(promises: route.jobs.map { j in promises[bookingIds[Int(j)]].map { ($0.start, $0.end) } }, p,
                                        vehicle: route.vehicle, jobs: route.jobs, shiftEnd: shiftEnd(route.vehicle))
            let windows = RouteSchedule.windows(p, jobs: route.jobs, starts: held.starts)
            for (k, j) in route.jobs.enumerated() {
                guard let promise = promises[bookingIds[Int(j)]] else { continue }
                let told = ToldWindow.holding(held.starts[k], (promise.start, promise.end), inside: (windows[k].start, windows[k].end))
                promises[bookingIds[Int(j)]]?.start = told.start
                promises[bookingIds[Int(j)]]?.end = told.end
            }
            return held
        }
    }

    private func summary(_ day: DayProblem, result: SolverResult, report: Checker.Report,
                         windows: [Int64: PromisedWindow], breaks: PlannedBreaks, schedules: [RouteSchedule]) -> PlanSummary {
        let clock = try? RegionClock(timeZone: day.region.timeZone)
        let p = day.problem
        var technicians: [PlanSummary.TechnicianDay] = []
        for (route, (r, schedule)) in zip(result.solution.routes, zip(report.routes, schedules)) {
            let v = Int(route.vehicle)
            let waits = schedule.waits
            let service = route.jobs.reduce(Int64(0)) { $0 + p.jobs[Int($1)].service }
            let shift = day.shifts[v]
            // Utilisation counts working time: the shift without its break.
            let shiftSeconds = Double(shift.end - shift.start - shift.breakLength)
            let lunch = schedule.breakStart.map { b in
                clock.map { "\($0.clockTime(b))-\($0.clockTime(b + schedule.breakLength))" } ?? ""
            }
            technicians.append(PlanSummary.TechnicianDay(
                id: day.technicians[v].externalId, route: route.jobs.map { day.bookings[Int($0)].externalId },
                kilometres: (Double(r.distance) / 100).rounded() / 10, driveHours: (Double(r.travelTime) / 36).rounded() / 100,
                serviceHours: (Double(service) / 36).rounded() / 100,
                shiftHours: (shiftSeconds / 36).rounded() / 100,
                utilisation: shiftSeconds > 0 ? (Double(r.travelTime + service) / shiftSeconds * 100).rounded() / 100 : 0,
                lunchBreak: lunch, leaves: clock?.clockTime(schedule.departure) ?? "",
                waitMinutes: Double(waits.reduce(0, +)) / 60, firstVisitWaitMinutes: Double(waits.first ?? 0) / 60))
        }
        let reasons = Checker(problem: p).reasons(for: report.unassigned)
        let unassigned = report.unassigned.map { j -> PlanSummary.Unassigned in
            let booking = day.bookings[Int(j)]
            let reason = day.unservable[booking.id ?? -1] ?? (breaks.conflicts.contains(j) ? "break_conflict"
                : reasons[j]?.rawValue ?? UnassignedReason.noRoom.rawValue)
            return PlanSummary.Unassigned(id: booking.externalId, reason: reason)
        }
        let widths = windows.values.map { Double($0.width) / 60 }
        return PlanSummary(region: day.region.name, day: day.day, assigned: day.bookings.count - unassigned.count,
                           technicians: technicians.sorted { $0.id < $1.id }, unassigned: unassigned, feasible: report.isFeasible,
                           cost: report.cost,
                           iterations: result.iterations, seconds: (result.elapsedSeconds * 100).rounded() / 100,
                           medianWindowMinutes: quantile(widths, 0.5))
    }
}
