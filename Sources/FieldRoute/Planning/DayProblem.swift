import ArrivalWindows
import FieldStore
import RouteSolver

/// A region's day translated into a routing problem: vehicle `k` is `technicians[k]` on `shifts[k]`,
/// job `j` is `bookings[j]`. Locations: each vehicle's start and end, then each booking's site.
struct DayProblem {
    var region: RegionRecord
    var day: String
    var technicians: [TechnicianRecord]
    var shifts: [ShiftRecord]
    var bookings: [BookingRecord]
    var problem: RoutingProblem
    /// Bookings nobody may serve this day, by booking id, with the reason the plan gives:
    /// pinned to a technician who has no shift (`pinned_technician_absent`), or a customer who must
    /// prepay has not paid nor confirmed (`awaiting_prepayment`, unless `noShow.planUnpaid`).
    var unservable: [Int64: String]
    /// Per vehicle: its lunch break, if any. The search sees the shift shortened by the break's
    /// length; the break is placed in the solved route afterwards (``PlannedBreaks``).
    var breaks: [BreakRule?]
    /// Per vehicle: the real end of the shift.
    var shiftEnds: [Int64]
    /// The region's model of travel and service times.
    var uncertainty: UncertaintySettings
    /// Seconds the search keeps clear before each allowed window closes (``searchProblem()``).
    var lateMargin: Int64 = 0

    /// The problem the search solves: `problem` with every allowed window of a job closing
    /// `lateMargin` earlier (at most half the window, so none vanishes). A visit planned right at the
    /// end of its window has no room to be late: its promise is cut at the window's end and broke on
    /// a third of simulated days. The answer is feasible in `problem`, which times, promises and
    /// checks everything after the search.
    func searchProblem() throws(FieldRouteError) -> RoutingProblem {
        guard lateMargin > 0 else { return problem }
        let jobs = problem.jobs.map { job in
            var job = job
            job.windows = job.windows.map { w in
                w.end == .max ? w : RouteSolver.TimeWindow(w.start, w.end - min(lateMargin, (w.end - w.start) / 2))
            }
            return job
        }
        do { return try RoutingProblem(jobs: jobs, vehicles: problem.vehicles, travel: problem.travel, objective: problem.objective) }
        catch { throw .problem(error) }
    }

    /// The visits the margin left out that fit the real windows, each put in its cheapest feasible
    /// place (in job order, nothing else moved): a margin may move visits, never drop one.
    func placeLeftOut(_ solution: inout Solution) {
        guard lateMargin > 0 else { return }
        let checker = Checker(problem: problem)
        for job in solution.unassigned(jobCount: problem.jobs.count) {
            guard let option = checker.insertions(of: job, into: solution).first, option.isFeasible else { continue }
            var routes = solution.routes
            if let k = routes.firstIndex(where: { $0.vehicle == option.vehicle }) {
                routes[k].jobs.insert(job, at: option.position)
            } else {
                routes.append(Solution.Route(vehicle: option.vehicle, jobs: [job]))
            }
            solution = Solution(routes: routes)
        }
    }

    /// Cost (seconds) of leaving a booking unplanned: three hours of driving per priority step, so the
    /// planner drops a visit only when it cannot be made or would cost more than that.
    static func penalty(priority: Int) -> Int64 { Int64(1 + max(0, priority)) * 3 * 3_600 }

    /// The day still to plan: the visits not yet driven; a technician with driven stops (``DrivenPart``)
    /// leaves from the last of them once free, and takes no break that has begun by then.
    static func load(_ db: StoreTransaction, region: RegionRecord, day: String, travel: TravelSource,
                     driven: DrivenPart = DrivenPart()) throws -> DayProblem {
        let techs = try db.technicians(regionId: region.id ?? 0)
        let shiftsByTech = try Dictionary(grouping: db.shifts(day: day), by: \.technicianId)
        var technicians: [TechnicianRecord] = [], shifts: [ShiftRecord] = []
        for t in techs { if let s = shiftsByTech[t.id ?? -1]?.first { technicians.append(t); shifts.append(s) } }
        let bookings = try db.bookings(regionId: region.id ?? 0, day: day, statuses: [.booked, .confirmed, .enRoute])
            .filter { !$0.status.isDriven && !driven.bookings.contains($0.id ?? -1) }
        // A break is still to take unless the technician's driven part has run past its planned start.
        let breakTaken = { (t: TechnicianRecord) -> Bool in
            guard let tail = driven.tails[t.id ?? -1] else { return false }
            return (driven.routes[t.id ?? -1]?.breakStart).map { $0 < tail.free } ?? false
        }

        var skillBits = SkillBits(region: region.name)
        func bits(_ names: [String]) throws -> SkillSet { try skillBits.set(names) }
        var points: [(lat: Double, lon: Double)] = [], names: [String] = []
        var vehicles: [Vehicle] = []
        for (t, s) in zip(technicians, shifts) {
            let start = Int32(points.count), tail = driven.tails[t.id ?? -1]
            points.append(tail?.at ?? (t.startLat, t.startLon)); points.append((t.endLat, t.endLon))
            names.append("technician \(t.externalId)'s " + (tail == nil ? "start" : "last driven stop"))
            names.append("technician \(t.externalId)'s end")
            let end = s.end - (breakTaken(t) ? 0 : s.breakLength)
            vehicles.append(Vehicle(start: start, end: start + 1, shift: RouteSolver.TimeWindow(min(end, max(s.start, tail?.free ?? s.start)), end),
                                    skills: try bits(t.skills)))
        }
        let vehicleOf = Dictionary(uniqueKeysWithValues: technicians.enumerated().map { ($1.id ?? -1, Int32($0)) })
        let planUnpaid = try Engine.setting(NoShowPolicy.self, regionId: region.id ?? 0, db).planUnpaid
        var jobs: [Job] = [], unservable: [Int64: String] = [:]
        for b in bookings {
            let location = Int32(points.count)
            points.append((b.lat, b.lon))
            names.append("booking \(b.externalId)")
            var pinned: Int32? = nil
            if let techId = b.pinnedTechnicianId {
                if let v = vehicleOf[techId] { pinned = v } else { unservable[b.id ?? -1] = "pinned_technician_absent" }
            }
            if !planUnpaid, b.paymentStatus == .none, b.status != .confirmed,
               try db.customer(id: b.customerId)?.prepaymentRequired == true {
                unservable[b.id ?? -1] = "awaiting_prepayment"
            }
            var skills = try bits(b.requiredSkills)
            if unservable[b.id ?? -1] != nil { skills.bits = .max }  // nobody may serve it
            jobs.append(Job(location: location, service: b.serviceDuration,
                            windows: b.timeWindows.map { RouteSolver.TimeWindow($0.start, $0.end) }, skills: skills,
                            unassignedPenalty: penalty(priority: b.priority), pinnedVehicle: pinned))
        }
        guard !vehicles.isEmpty else {
            throw FieldRouteError.badInput("no technician in region \(region.name) has a shift on \(day): import shifts first")
        }
        let matrix = try travel.matrix(points: points, names: names)
        let problem: RoutingProblem
        do {
            problem = try RoutingProblem(jobs: jobs, vehicles: vehicles, travel: matrix, objective: .duration)
        } catch { throw FieldRouteError.problem(error) }
        let breaks = zip(technicians, shifts).map { t, s -> BreakRule? in
            guard s.breakLength > 0, !breakTaken(t), let earliest = s.breakEarliest, let latest = s.breakLatest else { return nil }
            return BreakRule(earliest: earliest, latest: latest, length: s.breakLength)
        }
        return DayProblem(region: region, day: day, technicians: technicians, shifts: shifts, bookings: bookings,
                          problem: problem, unservable: unservable, breaks: breaks, shiftEnds: shifts.map(\.end),
                          uncertainty: try Engine.setting(UncertaintySettings.self, regionId: region.id ?? 0, db))
    }
}

/// Skill names to solver bits, one bit per distinct name in order of first use (64 at most).
struct SkillBits {
    let region: String
    private var bits: [String: UInt64] = [:]

    init(region: String) { self.region = region }

    mutating func set(_ names: [String]) throws(FieldRouteError) -> SkillSet {
        var set = SkillSet()
        for name in names {
            if bits[name] == nil {
                guard bits.count < 64 else { throw .badInput("more than 64 distinct skills in region \(region)") }
                bits[name] = 1 << UInt64(bits.count)
            }
            set.bits |= bits[name] ?? 0
        }
        return set
    }
}
