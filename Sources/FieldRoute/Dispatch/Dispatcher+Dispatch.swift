import ArrivalWindows
import FieldStore
import Foundation
import RouteSolver

extension Dispatcher {
    /// Runs one dispatcher call on a planned day: `insert_job`, `cancel_job`, `technician_unavailable`,
    /// `reoptimize` or `move_job` (see ``DispatchRequest``). The driven part of the day never moves;
    /// windows already told to customers are hard unless the request says `may_break_promises`; with
    /// `commit: false` nothing is written. Everything happens in one transaction; a what-if insert in
    /// a read snapshot instead (it never waits for a writer), from ``DayRecordsCache`` when the engine keeps days.
    ///
    /// - Throws: ``FieldRouteError/badInput(_:)`` for a malformed request, ``FieldRouteError/refused(_:)``
    ///   when it cannot be done (the job fits nowhere: the refusal says why per technician).
    public func dispatch(_ request: DispatchRequest) throws(FieldRouteError) -> DispatchAnswer {
        guard RegionClock.parseDay(request.date) != nil else { throw .badInput("request: date wants yyyy-mm-dd, got '\(request.date)'") }
        let now = try Engine.instant(request.now, name: "request: now")
        do {
            for (field, value) in [("booking", request.booking), ("technician", request.technician), ("job.id", request.job?.id),
                                   ("job.customer", request.job?.customer)] {
                if let value { try ExternalId.check(value, field: "request: \(field)") }
            }
        } catch { throw .store(error) }
        let commit = request.commit ?? true
        if !commit, request.op == .insertJob {
            // A what-if insert writes nothing: it is answered in a read snapshot, concurrently with
            // other reads, from the day kept in memory when this dispatcher has a cache.
            do {
                let version = try cache?.version()
                return try store.snapshot { db in
                    let live = if let cache, let version {
                        try LiveDay.build(try cache.records(db, region: request.region, day: request.date, version: version), now: now, db)
                    } else {
                        try LiveDay.load(db, region: request.region, day: request.date, now: now)
                    }
                    var run = DispatchRun(db: db, request: request, now: now, live: live, dryRun: true)
                    return try run.perform()
                }
            } catch is DispatchRun.NeedsTransaction {
                // Holds of other customers are checked against the day as written: the rolled-back way below.
            } catch { throw FieldRouteError(wrapping: error) }
        }
        struct WhatIf: Error { var answer: DispatchAnswer }
        do {
            return try store.write { db in
                var run = DispatchRun(db: db, request: request, now: now,
                                      live: try LiveDay.load(db, region: request.region, day: request.date, now: now), dryRun: false)
                var answer = try run.perform()
                answer.committed = commit
                if !commit { throw WhatIf(answer: answer) }
                return answer
            }
        } catch let whatIf as WhatIf { return whatIf.answer } catch { throw FieldRouteError(wrapping: error) }
    }
}

/// One dispatcher call inside its transaction, or (`dryRun`) in a read snapshot: then it computes
/// the answer the call would give and writes nothing.
struct DispatchRun {
    /// A dry run met something only a write transaction can answer (holds to check against the day as written).
    struct NeedsTransaction: Error {}

    let db: StoreTransaction
    let request: DispatchRequest
    let now: Int64
    let mayBreak: Bool
    let dryRun: Bool
    var live: LiveDay

    init(db: StoreTransaction, request: DispatchRequest, now: Int64, live: LiveDay, dryRun: Bool) {
        self.db = db; self.request = request; self.now = now; self.live = live; self.dryRun = dryRun
        mayBreak = request.mayBreakPromises ?? false
    }

    mutating func perform() throws -> DispatchAnswer {
        let answer: DispatchAnswer
        switch request.op {
        case .insertJob: answer = try insertJob()
        case .cancelJob: answer = try cancelJob()
        case .technicianUnavailable: answer = try technicianUnavailable()
        case .reoptimize: answer = try reoptimize()
        case .moveJob: answer = try moveJob()
        }
        // What the region's OSRM server answered for this call, kept for the next (a dry run keeps it in memory).
        if !dryRun { try Engine.keepRouterLegs(live.travel, db) }
        return answer
    }

    // MARK: Operations

    private mutating func insertJob() throws -> DispatchAnswer {
        guard let spec = request.job else { throw FieldRouteError.badInput("request: insert_job needs a job") }
        let booking = try addBooking(spec)
        // Slots held for other customers (holds, offers) stay theirs: the insert must leave room for every hold that fits now.
        let others = try db.openHolds(regionId: live.region.id ?? 0, day: request.date, now: now).filter { $0.customerId != booking.customerId }
        if dryRun, !others.isEmpty { throw DispatchRun.NeedsTransaction() }
        // Only the new job moves: the matrix needs the routes' own arcs and the arcs touching it.
        let lp = try live.problem(extra: [booking], mayBreakPromises: mayBreak, around: [])
        let checker = Checker(problem: lp.problem)
        let j = Int32(lp.bookings.count - 1)
        let options = checker.insertions(of: j, into: lp.current)
        // The answer lists the best few: the break is placed (O(route²)) only until they are found.
        let wanted = max(1, request.topK ?? 3)
        var feasible: [InsertionOption] = []
        for o in options where o.isFeasible && breakFits(vehicle: Int(o.vehicle), jobs: inserted(o, j, lp.current), checker) {
            feasible.append(o)
            if feasible.count == wanted { break }
        }
        guard let best = feasible.first else {
            throw FieldRouteError.refused(DispatchRefusal(code: "cannot_fit", message: "\(booking.externalId) fits in no route today",
                                                          whyNot: whyNot(options, lp)))
        }
        var answer = DispatchAnswer(op: request.op, committed: false)
        answer.booking = booking.externalId
        answer.options = feasible.map { option(view: $0, job: j, lp, checker) }
        answer.driveMinutesDelta = minutes(best.costDelta)
        var jobs = lp.jobs(of: Int(best.vehicle))
        jobs.insert(j, at: best.position)
        let heldBefore = others.isEmpty ? 0 : try Bookings.holdsFitting(others, in: live)
        try write([Int(best.vehicle): jobs], lp, &answer, newBookings: [booking.id ?? 0])
        if !others.isEmpty, try Bookings.holdsFitting(others, in: try LiveDay.load(db, region: request.region, day: request.date, now: now)) < heldBefore {
            throw FieldRouteError.refused(DispatchRefusal(code: "held", message: "\(booking.externalId) would take room held for another customer "
                                                          + "(fieldroute hold, offer) until it expires", whyNot: []))
        }
        // The chosen option says what was stored (the visit may wait for its window, the break moves).
        if let stored = answer.changedRoutes.first?.stops.first(where: { $0.booking == booking.externalId }) {
            answer.options?[0].start = stored.plannedStart
        }
        answer.chosen = answer.options?.first
        return answer
    }

    private mutating func cancelJob() throws -> DispatchAnswer {
        let booking = try requireVisit(), id = booking.externalId
        if let driven = live.technicians.first(where: { $0.frozen.contains { $0.booking.id == booking.id } }) {
            throw FieldRouteError.refused(DispatchRefusal(
                code: "already_driven", message: "\(id) is \(booking.status.rawValue) with \(driven.record.externalId): too late to cancel it here",
                whyNot: []))
        }
        let lp = try live.problem(mayBreakPromises: mayBreak, around: [booking.id ?? -1])
        let checker = Checker(problem: lp.problem)
        guard let reason = request.reason else {
            throw FieldRouteError.badInput("request: cancel_job needs a reason from the region's list (free text goes in note)")
        }
        let text = try Bookings.cancellationReason(reason, note: request.note, regionId: booking.regionId, db)
        let cancelled = try db.moveBooking(id, to: .cancelled, at: now, reason: text)
        // As a customer's cancel does: the place freed, pending messages withdrawn, the technician told.
        try Bookings.release(cancelled, change: "cancelled", now: now, db)
        var answer = DispatchAnswer(op: request.op, committed: false)
        answer.booking = id
        answer.earlierOffers = []
        guard let j = lp.job(of: booking.id), let k = lp.current.routes.first(where: { $0.jobs.contains(j) })?.vehicle else {
            return answer  // not on today's routes: only the status changes
        }
        let old = lp.jobs(of: Int(k)), jobs = old.filter { $0 != j }
        let before = checker.evaluate(vehicle: k, jobs: old).report, after = checker.evaluate(vehicle: k, jobs: jobs).report
        answer.driveMinutesDelta = minutes(checker.cost(of: after, jobCount: jobs.count) - checker.cost(of: before, jobCount: old.count))
        for (n, job) in jobs.enumerated() {
            let b = lp.bookings[Int(job)], stop = lp.stops[b.id ?? 0]
            let earlier = (stop?.plannedStart ?? after.starts[n]) - after.starts[n]
            if earlier >= 15 * 60 {
                answer.earlierOffers?.append(.init(booking: b.externalId, promised: live.window(stop?.promisedStart, stop?.promisedEnd),
                                                   couldStart: live.time(after.starts[n]), minutesEarlier: Int(earlier / 60)))
            }
        }
        try write([Int(k): jobs], lp, &answer, dropped: [booking.id ?? 0])
        return answer
    }

    private mutating func technicianUnavailable() throws -> DispatchAnswer {
        let k = try requireTechnician()
        // The absent technician's visits may move inside their allowed windows: their customers are told.
        let releasing = Set(live.technicians[k].open.map { $0.booking.id ?? 0 })
        let lp = try live.problem(mayBreakPromises: mayBreak, releasing: releasing, around: releasing)
        let checker = Checker(problem: lp.problem)
        var routes = Dictionary(uniqueKeysWithValues: lp.current.routes.map { (Int($0.vehicle), $0.jobs) })
        let orphans = (routes[k] ?? []).sorted { a, b in
            let x = lp.bookings[Int(a)], y = lp.bookings[Int(b)]
            let xe = lp.problem.jobs[Int(a)].envelope.end, ye = lp.problem.jobs[Int(b)].envelope.end
            return (-x.priority, xe, x.externalId) < (-y.priority, ye, y.externalId)
        }
        routes[k] = []
        var answer = DispatchAnswer(op: request.op, committed: false)
        answer.unplaced = []
        var changed: [Int: [Int32]] = [k: []], dropped: [Int64] = []
        for j in orphans {
            let solution = Solution(routes: routes.map { Solution.Route(vehicle: Int32($0.key), jobs: $0.value) })
            let options = checker.insertions(of: j, into: solution).filter { Int($0.vehicle) != k }
            if let best = options.first(where: { $0.isFeasible && breakFits(vehicle: Int($0.vehicle), jobs: inserted($0, j, solution), checker) }) {
                routes[Int(best.vehicle), default: []].insert(j, at: best.position)
                changed[Int(best.vehicle)] = routes[Int(best.vehicle)]
            } else {
                // The nearest miss: a route it fits but for the break, else the cheapest one's first broken rule.
                let why = (options.first(where: \.isFeasible) ?? options.first).map { reason(for: $0, lp) }
                answer.unplaced?.append(.init(booking: lp.bookings[Int(j)].externalId, reason: why ?? "no other technician works today"))
                dropped.append(lp.bookings[Int(j)].id ?? 0)
            }
        }
        answer.driveMinutesDelta = minutes(cost(routes, checker) - cost(lp.current, checker))
        try write(changed, lp, &answer, dropped: dropped, releasing: releasing)
        // The shift ends now, so later calls (a reoptimize) do not hand the work back.
        let shift = live.technicians[k].shift
        try db.endShift(id: shift.id ?? 0, at: max(now, shift.start + 60))
        return answer
    }

    /// A new order for the rest of the day that keeps every visit placed, every window and every
    /// pending break. The search does not see breaks: it plans with each shift shortened by the break
    /// still to take, then breaks are placed exactly. When that leaves a visit out, each route is
    /// reordered on its own instead (a route whose new order misses its break keeps the old one); when
    /// nothing drives less, the day stays as it is and the answer's note says so.
    private mutating func reoptimize() throws -> DispatchAnswer {
        let lp = try live.problem(mayBreakPromises: mayBreak)
        let checker = Checker(problem: lp.problem)
        let old = Dictionary(uniqueKeysWithValues: lp.current.routes.map { (Int($0.vehicle), $0.jobs) })
        var routes = try searched(lp, checker, pinning: false)
        var note: String?
        if routes == nil {
            routes = try searched(lp, checker, pinning: true)
            note = "each technician's visits reordered on their own route: moving visits between routes left a visit or a break out"
        }
        var answer = DispatchAnswer(op: request.op, committed: false)
        answer.unplaced = []
        let better = routes ?? old
        let delta = cost(better, checker) - cost(lp.current, checker)
        guard delta < 0 || (mayBreak && better != old) else {
            answer.note = "kept the day as it is: no order found that keeps every visit, window and break drives less"
            answer.driveMinutesDelta = 0
            return answer
        }
        answer.note = note
        var changed: [Int: [Int32]] = [:]
        for k in live.technicians.indices where (better[k] ?? []) != (old[k] ?? []) { changed[k] = better[k] ?? [] }
        answer.driveMinutesDelta = minutes(delta)
        try write(changed, lp, &answer)
        return answer
    }

    /// The routes a search finds from the current ones, breaks placed exactly, every visit kept; nil
    /// when it leaves one out. `pinning`: each visit stays on its route, and a route whose new order
    /// breaks a rule keeps its old one.
    private func searched(_ lp: LiveProblem, _ checker: Checker, pinning: Bool) throws -> [Int: [Int32]]? {
        let search = try live.problem(mayBreakPromises: mayBreak, reservingBreaks: true, pinningOpen: pinning, travel: lp.problem.travel)
        let options = SolverOptions(seed: request.seed ?? 1, iterationLimit: request.iterations,
                                    timeLimit: request.iterations == nil ? (request.timeLimit ?? 2) : nil, initial: lp.current)
        var solution = Solver(problem: search.problem, options: options).run().solution
        if pinning {
            // Routes are independent: each keeps the better of its old and new order that holds exactly.
            var routes = Dictionary(uniqueKeysWithValues: lp.current.routes.map { (Int($0.vehicle), $0.jobs) })
            for route in solution.routes {
                let k = Int(route.vehicle), jobs = route.jobs, was = routes[k] ?? []
                guard Set(jobs) == Set(was), checker.evaluate(vehicle: route.vehicle, jobs: jobs).violations.isEmpty,
                      breakFits(vehicle: k, jobs: jobs, checker), cost([k: jobs], checker) < cost([k: was], checker) else { continue }
                routes[k] = jobs
            }
            return routes
        }
        // Breaks placed exactly; a visit in the way of one goes to another route where it fits.
        _ = PlannedBreaks.place(in: &solution, problem: lp.problem, breaks: live.technicians.map(\.pendingBreak),
                                shiftEnds: live.technicians.map(\.shift.end))
        guard solution.unassigned(jobCount: lp.problem.jobs.count).isEmpty else { return nil }
        let routes = Dictionary(uniqueKeysWithValues: solution.routes.map { (Int($0.vehicle), $0.jobs) })
        // Every route must hold exactly: its windows, its shift, its break.
        let holds = routes.allSatisfy { k, jobs in
            checker.evaluate(vehicle: Int32(k), jobs: jobs).violations.isEmpty && breakFits(vehicle: k, jobs: jobs, checker)
        }
        return holds ? routes : nil
    }

    private mutating func moveJob() throws -> DispatchAnswer {
        let visit = try requireVisit(), id = visit.externalId, k = try requireTechnician()
        let lp = try live.problem(mayBreakPromises: mayBreak, around: [visit.id ?? -1])
        let checker = Checker(problem: lp.problem)
        guard let booking = lp.bookings.first(where: { $0.externalId == id }), let j = lp.job(of: booking.id) else {
            throw FieldRouteError.refused(DispatchRefusal(code: "not_open", message: "\(id) is not among today's remaining stops", whyNot: []))
        }
        var routes = Dictionary(uniqueKeysWithValues: lp.current.routes.map { (Int($0.vehicle), $0.jobs) })
        let from = routes.first { $0.value.contains(j) }?.key
        if let from { routes[from]?.removeAll { $0 == j } }
        var target = routes[k] ?? []
        if let position = request.position {
            guard position >= 1, position <= target.count + 1 else {
                throw FieldRouteError.badInput("request: position must be 1…\(target.count + 1) for \(live.technicians[k].record.externalId)")
            }
            target.insert(j, at: position - 1)
        } else {
            let solution = Solution(routes: routes.map { Solution.Route(vehicle: Int32($0.key), jobs: $0.value) })
            let best = checker.insertions(of: j, into: solution).first { Int($0.vehicle) == k }
            target.insert(j, at: best?.position ?? target.count)
        }
        routes[k] = target
        var changed: [Int: [Int32]] = [k: target]
        if let from, from != k { changed[from] = routes[from] }
        var answer = DispatchAnswer(op: request.op, committed: false)
        answer.booking = id
        answer.consequences = changed.keys.sorted().flatMap { v in
            checker.evaluate(vehicle: Int32(v), jobs: changed[v] ?? []).violations.map { describe($0, lp) }
        }
        answer.driveMinutesDelta = minutes(cost(routes, checker) - cost(lp.current, checker))
        try write(changed, lp, &answer)
        return answer
    }

    // MARK: Writing

    /// One changed route as the call leaves it.
    private struct RouteChange {
        var vehicle: Int
        var jobs: [Int32]
        /// Nil when nothing is left to do today.
        var schedule: RouteSchedule?
        /// Each visit's told window: kept, new, or moved as allowed.
        var promises: [(start: Int64, end: Int64)?]
        /// Told windows that move; the customer is told.
        var moved: [(booking: BookingRecord, from: (start: Int64, end: Int64), to: (start: Int64, end: Int64), reason: String)]
    }

    /// Stores the changed routes (open part only: frozen stops keep their places), their planned
    /// times and promises, fills the answer's routes and window changes, and queues a "window changed"
    /// message per moved promise. `dropped` bookings lose their stop and stay unplanned. A dry run
    /// fills the answer alone.
    private func write(_ changed: [Int: [Int32]], _ lp: LiveProblem, _ answer: inout DispatchAnswer,
                       newBookings: [Int64] = [], dropped: [Int64] = [], releasing: Set<Int64> = []) throws {
        let changes = try routeChanges(changed, lp, &answer, newBookings: newBookings, releasing: releasing)
        if !dryRun { try store(changes, lp, answer, dropped: dropped) }
    }

    /// What `changed` makes of each route: schedules, promises (new ones simulated), moved windows;
    /// the answer's routes and window changes. Reads settings, writes nothing.
    private func routeChanges(_ changed: [Int: [Int32]], _ lp: LiveProblem, _ answer: inout DispatchAnswer,
                              newBookings: [Int64], releasing: Set<Int64>) throws -> [RouteChange] {
        let checker = Checker(problem: lp.problem)
        let solution = Solution(routes: changed.keys.sorted().map { Solution.Route(vehicle: Int32($0), jobs: changed[$0] ?? []) })
        let report = checker.check(solution)
        // A pending lunch break stays in each changed route, placed as the plan places it.
        var breaks = PlannedBreaks()
        for (k, jobs) in changed where !jobs.isEmpty {
            if let rule = live.technicians[k].pendingBreak,
               let placed = checker.placeBreak(rule, vehicle: Int32(k), jobs: jobs, shiftEnd: live.technicians[k].shift.end) {
                breaks.placements[Int32(k)] = (rule, placed)
            }
        }
        // Promises: kept, except a new booking's (made now) and, when allowed, ones the new times break.
        var rng = SeededGenerator(seed: request.seed ?? 1)
        let uncertainty = try Engine.setting(UncertaintySettings.self, regionId: live.region.id ?? 0, db)
        let leaving = Planner.schedules(lp.problem, solution: solution, report: report, breaks: breaks)
        // Only the promises this call makes are simulated: each route up to its last visit that gets
        // one (a visit's arrival depends only on the visits before it). The Monte Carlo is most of a
        // call's time, and a cancel or an insert keeps nearly every told window.
        var needed: [Solution.Route] = [], neededSchedules: [RouteSchedule] = []
        for (route, schedule) in zip(solution.routes, leaving) {
            let change = { (n: Int) in self.promiseChange(lp.bookings[Int(route.jobs[n])], start: schedule.starts[n], lp,
                                                          newBookings: newBookings, releasing: releasing) }
            guard let last = route.jobs.indices.last(where: { change($0) != .keep }) else { continue }
            needed.append(Solution.Route(vehicle: route.vehicle, jobs: Array(route.jobs[...last])))
            neededSchedules.append(schedule)
        }
        let clock = live.clock
        let simulated = try Planner.promisedWindows(lp.problem, bookingIds: lp.bookings.map { $0.id ?? 0 }, solution: Solution(routes: needed),
                                                   schedules: neededSchedules, policy: .nightBefore, uncertainty: uncertainty.model,
                                                   serviceSigmas: lp.bookings.map { uncertainty.serviceSigma(for: $0.requiredSkills) },
                                                   breaks: breaks, travelFactor: { uncertainty.travelFactor(leaving: $0, clock: clock) },
                                                   rng: &rng)
        let scheduleOf = Dictionary(uniqueKeysWithValues: zip(solution.routes.map { Int($0.vehicle) }, leaving))
        var changes: [RouteChange] = []
        for k in changed.keys.sorted() {
            let t = live.technicians[k], jobs = changed[k] ?? []
            guard let leaves = scheduleOf[k] else {
                answer.changedRoutes.append(.init(technician: t.record.externalId, stops: []))
                changes.append(RouteChange(vehicle: k, jobs: jobs, schedule: nil, promises: [], moved: []))
                continue
            }
            var change = RouteChange(vehicle: k, jobs: jobs, schedule: nil, promises: [], moved: [])
            // First each visit's told window (kept, new, or moved as allowed), then the times that wait for it.
            for (n, j) in jobs.enumerated() {
                let b = lp.bookings[Int(j)], id = b.id ?? 0
                var promise = lp.stops[id].flatMap { s in s.promisedStart.map { (start: $0, end: s.promisedEnd ?? $0) } }
                let start = leaves.starts[n]
                // Even a forced move keeps a visit inside the windows the customer booked.
                guard let allowed = b.timeWindows.first(where: { $0.start <= start && start <= $0.end }) else {
                    throw FieldRouteError.refused(DispatchRefusal(
                        code: "breaks_allowed_window",
                        message: "\(b.externalId) would start at \(live.time(start)), outside its booked windows "
                            + b.timeWindows.map { "\(live.time($0.start))-\(live.time($0.end))" }.joined(separator: ", "),
                        whyNot: []))
                }
                if let simulatedWindow = simulated[id] {
                    let new = ToldWindow.holding(start, (simulatedWindow.start, simulatedWindow.end), inside: (allowed.start, allowed.end))
                    let how = promiseChange(b, start: start, lp, newBookings: newBookings, releasing: releasing)
                    if how == .make {
                        promise = new
                    } else if how == .move, let old = promise {
                        // A forced move, a visit whose technician is gone, or a call allowed to break
                        // promises: the told window moves, and the customer is told.
                        promise = new
                        let reason = start > old.end ? "running late" : "running early"
                        answer.changedWindows.append(.init(booking: b.externalId, old: live.window(old.start, old.end) ?? "",
                                                           new: live.window(new.start, new.end) ?? "", reason: reason))
                        change.moved.append((b, old, new, reason))
                    }
                }
                change.promises.append(promise)
            }
            let schedule = leaves.holding(promises: change.promises, lp.problem, vehicle: Int32(k), jobs: jobs, shiftEnd: t.shift.end)
            change.schedule = schedule
            answer.changedRoutes.append(.init(technician: t.record.externalId, stops: jobs.enumerated().map { n, j in
                .init(booking: lp.bookings[Int(j)].externalId, plannedStart: live.time(schedule.starts[n]),
                      promised: live.window(change.promises[n]?.start, change.promises[n]?.end))
            }))
            changes.append(change)
        }
        return changes
    }

    /// Writes what ``routeChanges(_:_:_:newBookings:releasing:)`` decided: stops, fences, breaks,
    /// departures and totals; the customers' and technicians' messages; the dropped visits' unplanned rows.
    private func store(_ changes: [RouteChange], _ lp: LiveProblem, _ answer: DispatchAnswer, dropped: [Int64]) throws {
        let tracking = try Engine.setting(TrackingSettings.self, regionId: live.region.id ?? 0, db)
        let moving = Set(changes.flatMap { $0.jobs.map { lp.bookings[Int($0)].id ?? 0 } } + dropped
            + changes.flatMap { c in live.technicians[c.vehicle].open.map { $0.booking.id ?? 0 } })
        if !moving.isEmpty {
            let frozenIds = live.technicians.flatMap { $0.frozen.compactMap(\.record.id) }
            try db.deleteStops(bookingIds: Array(moving), keeping: frozenIds)
        }
        // A visit taken off every route is listed unplanned with the reason the answer gives.
        let reasons = Dictionary((answer.unplaced ?? []).map { ($0.booking, $0.reason) }, uniquingKeysWith: { a, _ in a })
        for id in dropped {
            guard let b = try db.booking(id: id), [.booked, .confirmed].contains(b.status) else { continue }
            // Off every route: its morning message ("… will arrive between …") no longer holds.
            try db.withdrawPending(dedupeKey: Messages.morningKey(b), reason: "taken off every route by dispatch")
            var unplanned = UnplannedRecord(bookingId: id, planId: live.planId, reason: reasons[b.externalId] ?? "dropped_by_dispatch", at: now)
            try db.save(&unplanned)
        }
        for change in changes {
            let k = change.vehicle, t = live.technicians[k], jobs = change.jobs
            var routeId = t.routeId
            if routeId == nil {
                var route = RouteRecord(planId: live.planId, technicianId: t.record.id ?? 0, distance: 0, travelTime: 0)
                try db.insert(&route)
                routeId = route.id
            }
            guard let schedule = change.schedule else {
                // Nothing left to do today: no break still to take either.
                if t.pendingBreak != nil { try db.clearRouteBreak(routeId: routeId ?? 0) }
                continue
            }
            for m in change.moved {
                try Outbox.tellWindowChange(m.booking, from: m.from, to: m.to, reason: m.reason,
                                            body: "Your visit window has changed: the technician now arrives between "
                                                + "\(live.window(m.to.start, m.to.end) ?? "") (was \(live.window(m.from.start, m.from.end) ?? "")).",
                                            at: now, db)
            }
            let base = t.frozen.map(\.record.sequence).max() ?? 0
            for (n, j) in jobs.enumerated() {
                let b = lp.bookings[Int(j)], id = b.id ?? 0, old = lp.stops[id], promise = change.promises[n]
                let start = schedule.starts[n]
                var stop = StopRecord(routeId: routeId ?? 0, bookingId: id, sequence: base + n + 1, plannedArrival: schedule.arrivals[n],
                                      plannedStart: start, plannedEnd: start + b.serviceDuration, promisedStart: promise?.start,
                                      promisedEnd: promise?.end, estimateStart: promise?.start, estimateEnd: promise?.end)
                try db.insert(&stop)
                try Planner.upsertFences(for: b, technician: t.record.id ?? 0, tracking, db)
                // A visit that changed technician, or got a new promise: its pending morning message is rewritten.
                if let (s, e) = promise, old?.routeId != routeId || old?.promisedStart != s || old?.promisedEnd != e {
                    try Messages.queueMorningMessage(for: b, window: (s, e), now: now, db)
                }
            }
            try updateTotals(routeId: routeId ?? 0, technician: t, jobs: jobs, lp)
            if let b = schedule.breakStart { try db.setRouteBreak(routeId: routeId ?? 0, start: b, end: b + schedule.breakLength) }
            // A technician still at home leaves as late as their first visit allows.
            if t.frozen.isEmpty { try db.setRouteDeparture(routeId: routeId ?? 0, at: schedule.departure) }
            try Messages.tellHolds(technician: t.record.id ?? 0, day: live.day, jobs: jobs.map { lp.bookings[Int($0)] }, schedule: schedule,
                                   from: t.frozen.last.map { "after \($0.booking.externalId)" } ?? "at home", clock: live.clock,
                                   now: now, db)
        }
    }

    /// What a call does to a visit's told window when the visit would start at `start`.
    private enum PromiseChange { case keep, make, move }

    /// `make`: a new booking, or a visit never told; `move`: a forced move, a visit whose technician is
    /// gone, or a call allowed to break promises, when `start` falls outside the told window.
    private func promiseChange(_ b: BookingRecord, start: Int64, _ lp: LiveProblem, newBookings: [Int64],
                               releasing: Set<Int64>) -> PromiseChange {
        let id = b.id ?? 0
        guard let stop = lp.stops[id], let s = stop.promisedStart, !newBookings.contains(id) else { return .make }
        let e = stop.promisedEnd ?? s
        return (mayBreak || request.op == .moveJob || releasing.contains(id)) && (start < s || start > e) ? .move : .keep
    }

    /// A route's kilometres and driving time, from home through every stop (driven and to come) home.
    private func updateTotals(routeId: Int64, technician t: LiveDay.Technician, jobs: [Int32], _ lp: LiveProblem) throws {
        var at = (lat: t.record.startLat, lon: t.record.startLon), metres = 0.0, seconds = 0.0
        let sites = t.frozen.map { ($0.booking.lat, $0.booking.lon) } + jobs.map { (lp.bookings[Int($0)].lat, lp.bookings[Int($0)].lon) }
        for site in sites + [(t.record.endLat, t.record.endLon)] {
            let leg = live.travel.leg(from: at, to: site)
            metres += leg.metres; seconds += leg.seconds
            at = site
        }
        try db.setRouteTotals(routeId: routeId, distance: Int64(metres.rounded()), travelTime: Int64(seconds.rounded()))
    }

    // MARK: Helpers

    private func addBooking(_ spec: DispatchRequest.NewJob) throws -> BookingRecord {
        try Bookings.draftBooking(BookingDraft(id: spec.id, customer: spec.customer, lat: spec.lat, lon: spec.lon,
                                             durationMinutes: spec.durationMin, windows: spec.windows, skills: spec.skills ?? [],
                                             priority: spec.priority, address: spec.address),
                                day: request.date, region: request.region, now: now, insert: !dryRun, db)
    }

    /// True when the technician's pending lunch break still fits with `jobs` as their remaining day.
    private func breakFits(vehicle k: Int, jobs: [Int32], _ checker: Checker) -> Bool {
        guard let rule = live.technicians[k].pendingBreak else { return true }
        return checker.placeBreak(rule, vehicle: Int32(k), jobs: jobs, shiftEnd: live.technicians[k].shift.end) != nil
    }

    /// The vehicle's jobs with `j` placed as `option` says.
    private func inserted(_ option: InsertionOption, _ j: Int32, _ solution: Solution) -> [Int32] {
        var jobs = solution.routes.first { $0.vehicle == option.vehicle }?.jobs ?? []
        jobs.insert(j, at: option.position)
        return jobs
    }

    /// The request's booking: it must exist (else bad input, exit 2) and be a visit of the request's day.
    private func requireVisit() throws -> BookingRecord {
        guard let id = request.booking else { throw FieldRouteError.badInput("request: \(request.op.rawValue) needs a booking") }
        let booking = try db.booking(externalId: id)
        guard booking.day == request.date, booking.regionId == live.region.id else {
            throw FieldRouteError.badInput("request: \(id) is a visit of \(booking.day), not of \(request.date): send the call for its day")
        }
        return booking
    }

    private func requireTechnician() throws -> Int {
        guard let id = request.technician else { throw FieldRouteError.badInput("request: \(request.op.rawValue) needs a technician") }
        guard let k = live.technicians.firstIndex(where: { $0.record.externalId == id }) else {
            throw FieldRouteError.badInput("request: technician \(id) has no shift on \(request.date)")
        }
        return k
    }

    /// Service starts of vehicle `k`'s `jobs` with its pending break placed, as `write` will store them
    /// before waiting for told windows; the plain schedule when no break is pending or none fits.
    private func starts(vehicle k: Int, jobs: [Int32], _ checker: Checker) -> [Int64] {
        if let rule = live.technicians[k].pendingBreak,
           let placed = checker.placeBreak(rule, vehicle: Int32(k), jobs: jobs, shiftEnd: live.technicians[k].shift.end) {
            return placed.starts
        }
        return checker.evaluate(vehicle: Int32(k), jobs: jobs).report.starts
    }

    private func option(view o: InsertionOption, job: Int32, _ lp: LiveProblem, _ checker: Checker) -> DispatchAnswer.Option {
        let jobs = lp.jobs(of: Int(o.vehicle))
        let k = o.position
        var with = jobs
        with.insert(job, at: k)
        let times = starts(vehicle: Int(o.vehicle), jobs: with, checker)
        // A visit planned before its told window waits for it; only one that would start after it breaks it.
        var breaks: [String] = []
        for (n, j) in with.enumerated() where j != job {
            if let stop = lp.stops[lp.bookings[Int(j)].id ?? 0], let e = stop.promisedEnd, times[n] > e {
                breaks.append(lp.bookings[Int(j)].externalId)
            }
        }
        return .init(technician: live.technicians[Int(o.vehicle)].record.externalId, position: k + 1,
                     after: k > 0 ? lp.bookings[Int(jobs[k - 1])].externalId : nil,
                     before: k < jobs.count ? lp.bookings[Int(jobs[k])].externalId : nil,
                     extraDriveMinutes: minutes(o.costDelta), start: live.time(times[k]), breaksWindows: breaks)
    }

    /// Per technician, what stands in the way of its least bad option.
    private func whyNot(_ options: [InsertionOption], _ lp: LiveProblem) -> [DispatchRefusal.Reason] {
        var seen = Set<Int32>(), out: [DispatchRefusal.Reason] = []
        for o in options where seen.insert(o.vehicle).inserted {
            out.append(.init(technician: live.technicians[Int(o.vehicle)].record.externalId, reason: reason(for: o, lp)))
        }
        return out.sorted { $0.technician < $1.technician }
    }

    /// Why `option` does not work: its first broken rule, or the pending break it leaves no room for.
    private func reason(for option: InsertionOption, _ lp: LiveProblem) -> String {
        if option.isFeasible, let rule = live.technicians[Int(option.vehicle)].pendingBreak {
            return "leaves no room for the \(rule.length / 60)-min break (to start \(live.time(rule.earliest))-\(live.time(rule.latest)))"
        }
        return describe(option.violations.first, lp)
    }

    /// A violation in words, with bookings and local times.
    private func describe(_ violation: Checker.Violation?, _ lp: LiveProblem) -> String {
        guard let violation else { return "fits" }
        let name = { (j: Int32) in Int(j) < lp.bookings.count ? lp.bookings[Int(j)].externalId : "job \(j)" }
        switch violation {
        case let .skill(j, _): return "lacks a skill \(name(j)) needs (\(lp.bookings[Int(j)].requiredSkills.joined(separator: ", ")))"
        case let .pinned(j, _): return "\(name(j)) is pinned to another technician"
        case let .lateStart(j, start, latest):
            let told = lp.stops[lp.bookings[Int(j)].id ?? 0]?.promisedEnd == latest ? "its promised window" : "its window"
            return "\(name(j)) would start at \(live.time(start)), after \(told) closes at \(live.time(latest))"
        case let .shiftEnd(_, arrival, end): return "would end the day at \(live.time(arrival)), after the shift ends at \(live.time(end))"
        case let .maxDuration(_, d, limit): return "route would last \(d / 60) min, limit \(limit / 60) min"
        case let .capacity(_, load, cap): return "load \(load) over capacity \(cap)"
        default: return violation.description
        }
    }

    private func cost(_ routes: [Int: [Int32]], _ checker: Checker) -> Int64 {
        routes.reduce(0) { sum, r in sum + checker.cost(of: checker.evaluate(vehicle: Int32(r.key), jobs: r.value).report, jobCount: r.value.count) }
    }

    private func cost(_ solution: Solution, _ checker: Checker) -> Int64 {
        cost(Dictionary(uniqueKeysWithValues: solution.routes.map { (Int($0.vehicle), $0.jobs) }), checker)
    }

    private func minutes(_ seconds: Int64) -> Double { (Double(seconds) / 6).rounded() / 10 }
}
