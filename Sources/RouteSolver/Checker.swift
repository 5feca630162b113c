/// Recomputes a solution's cost and feasibility from scratch, independently of the search's caches.
///
///     let report = Checker(problem: problem).check(solution)
///     if !report.isFeasible { print(report.violations) }
///
/// Times follow the route: leave the start at the shift start, wait for a job's first window that has
/// not closed, serve, drive on. A route's duration counts from the latest departure that does not
/// delay its end.
public struct Checker: Sendable {
    /// One broken rule.
    public enum Violation: Sendable, Equatable, CustomStringConvertible {
        case unknownJob(Int32)
        case unknownVehicle(Int32)
        case vehicleUsedTwice(vehicle: Int32)
        case duplicateJob(job: Int32)
        case missingRequiredJob(job: Int32)
        case capacity(vehicle: Int32, load: Int64, capacity: Int64)
        case lateStart(job: Int32, start: Int64, latest: Int64)
        case skill(job: Int32, vehicle: Int32)
        case pinned(job: Int32, vehicle: Int32)
        case shiftEnd(vehicle: Int32, arrival: Int64, shiftEnd: Int64)
        case maxDuration(vehicle: Int32, duration: Int64, limit: Int64)

        public var description: String {
            switch self {
            case let .unknownJob(j): "job \(j) does not exist"
            case let .unknownVehicle(v): "vehicle \(v) does not exist"
            case let .vehicleUsedTwice(v): "vehicle \(v) has two routes"
            case let .duplicateJob(j): "job \(j) is visited twice"
            case let .missingRequiredJob(j): "required job \(j) is not visited"
            case let .capacity(v, load, cap): "vehicle \(v) carries \(load), capacity \(cap)"
            case let .lateStart(j, start, latest): "job \(j) starts at \(start), window closed at \(latest)"
            case let .skill(j, v): "vehicle \(v) lacks a skill job \(j) needs"
            case let .pinned(j, v): "job \(j) is pinned to another vehicle than \(v)"
            case let .shiftEnd(v, arrival, end): "vehicle \(v) ends at \(arrival), shift ends at \(end)"
            case let .maxDuration(v, d, limit): "vehicle \(v) route lasts \(d), limit \(limit)"
            }
        }
    }

    /// What one route does.
    public struct RouteReport: Sendable, Equatable {
        public var vehicle: Int32
        public var distance: Int64
        public var travelTime: Int64
        public var duration: Int64
        public var load: Int64
        /// Arrival and service start at each job, in route order.
        public var arrivals: [Int64]
        public var starts: [Int64]
        /// Arrival at the end location.
        public var endArrival: Int64
    }

    public struct Report: Sendable, Equatable {
        /// Objective: arc costs + fixed costs + penalties of unassigned optional jobs.
        public var cost: Int64
        public var distance: Int64
        public var duration: Int64
        public var vehiclesUsed: Int
        public var routes: [RouteReport]
        public var unassigned: [Int32]
        public var violations: [Violation]
        public var isFeasible: Bool { violations.isEmpty }
    }

    public let problem: RoutingProblem
    public init(problem: RoutingProblem) { self.problem = problem }

    public func check(_ solution: Solution) -> Report {
        let p = problem
        var violations: [Violation] = []
        var seenJob = [Bool](repeating: false, count: p.jobs.count)
        var seenVehicle = [Bool](repeating: false, count: p.vehicles.count)
        var routes: [RouteReport] = []
        var cost: Int64 = 0, distance: Int64 = 0, duration: Int64 = 0

        for route in solution.routes where !route.jobs.isEmpty {
            let v = route.vehicle
            guard v >= 0, Int(v) < p.vehicles.count else { violations.append(.unknownVehicle(v)); continue }
            if seenVehicle[Int(v)] { violations.append(.vehicleUsedTwice(vehicle: v)) }
            seenVehicle[Int(v)] = true
            let vehicle = p.vehicles[Int(v)]
            var valid: [Int32] = []
            for j in route.jobs {
                guard j >= 0, Int(j) < p.jobs.count else { violations.append(.unknownJob(j)); continue }
                if seenJob[Int(j)] { violations.append(.duplicateJob(job: j)) }
                seenJob[Int(j)] = true
                valid.append(j)
            }
            let (report, found) = evaluate(vehicle: v, jobs: valid)
            violations += found
            routes.append(report)
            distance += report.distance
            duration += report.duration
            cost += self.cost(of: report, jobCount: valid.count)
        }
        var unassigned: [Int32] = []
        for (j, job) in p.jobs.enumerated() where !seenJob[j] {
            unassigned.append(Int32(j))
            if let penalty = job.unassignedPenalty { cost += penalty }
            else { violations.append(.missingRequiredJob(job: Int32(j))) }
        }
        return Report(cost: cost, distance: distance, duration: duration, vehiclesUsed: routes.count,
                      routes: routes, unassigned: unassigned, violations: violations)
    }

    /// One route on its own: its schedule and every rule it breaks (skills, pins, windows, shift,
    /// duration, capacity). Jobs and vehicle must exist.
    public func evaluate(vehicle v: Int32, jobs: [Int32]) -> (report: RouteReport, violations: [Violation]) {
        let vehicle = problem.vehicles[Int(v)]
        var violations: [Violation] = []
        for j in jobs {
            let job = problem.jobs[Int(j)]
            if let pinned = job.pinnedVehicle, pinned != v { violations.append(.pinned(job: j, vehicle: v)) }
            if !vehicle.skills.covers(job.skills) { violations.append(.skill(job: j, vehicle: v)) }
        }
        let report = simulate(vehicle: v, jobs: jobs, violations: &violations)
        if report.load > vehicle.capacity {
            violations.append(.capacity(vehicle: v, load: report.load, capacity: vehicle.capacity))
        }
        return (report, violations)
    }

    /// Objective cost of one route as ``check(_:)`` counts it (arcs and the fixed cost when used).
    public func cost(of report: RouteReport, jobCount: Int) -> Int64 {
        guard jobCount > 0 else { return 0 }
        return (problem.objective == .distance ? report.distance : report.travelTime) + problem.vehicles[Int(report.vehicle)].fixedCost
    }

    /// Service start of `job` when the vehicle arrives at `arrival`: the first window not yet closed.
    /// Returns the start and the window's end (the latest allowed start).
    static func start(of job: Job, arrival: Int64) -> (start: Int64, latest: Int64) {
        guard !job.windows.isEmpty else { return (arrival, .max) }
        for w in job.windows where arrival <= w.end { return (max(arrival, w.start), w.end) }
        let last = job.windows[job.windows.count - 1]
        return (arrival, last.end)
    }

    private func simulate(vehicle v: Int32, jobs: [Int32], violations: inout [Violation]) -> RouteReport {
        let p = problem, vehicle = p.vehicles[Int(v)]
        var time = vehicle.shift.start, at = vehicle.start
        var distance: Int64 = 0, travel: Int64 = 0, load: Int64 = 0
        var starts: [Int64] = [], arrivals: [Int64] = []
        // Slack: how much later the vehicle could have left without delaying the end (bounded by
        // every later window end); waits: total waiting, which a later departure absorbs.
        var slack = Int64.max, waited: Int64 = 0
        for j in jobs {
            let job = p.jobs[Int(j)]
            let drive = p.travel.duration(at, job.location)
            distance += p.travel.distance(at, job.location)
            travel += drive
            let arrival = time + drive
            let (start, latest) = Self.start(of: job, arrival: arrival)
            if start > latest { violations.append(.lateStart(job: j, start: start, latest: latest)) }
            let wait = start - arrival
            waited += wait
            if latest != .max { slack = min(slack, waited + max(0, latest - start)) }
            starts.append(start)
            arrivals.append(arrival)
            time = start + job.service
            load += job.demand
            at = job.location
        }
        let drive = p.travel.duration(at, vehicle.end)
        distance += p.travel.distance(at, vehicle.end)
        travel += drive
        let endArrival = time + drive
        if endArrival > vehicle.shift.end {
            violations.append(.shiftEnd(vehicle: v, arrival: endArrival, shiftEnd: vehicle.shift.end))
        }
        slack = min(slack, vehicle.shift.end == .max ? .max : max(0, vehicle.shift.end - endArrival) + waited)
        let delay = min(waited, slack)
        let duration = endArrival - (vehicle.shift.start + delay)
        if duration > vehicle.maxDuration {
            violations.append(.maxDuration(vehicle: v, duration: duration, limit: vehicle.maxDuration))
        }
        return RouteReport(vehicle: v, distance: distance, travelTime: travel, duration: duration, load: load,
                           arrivals: arrivals, starts: starts, endArrival: endArrival)
    }

    /// Why each unassigned job could not be placed.
    public func reasons(for unassigned: [Int32]) -> [Int32: UnassignedReason] {
        var result: [Int32: UnassignedReason] = [:]
        for j in unassigned where j >= 0 && Int(j) < problem.jobs.count {
            let job = problem.jobs[Int(j)]
            let able = problem.vehicles.indices.filter { problem.canServe(vehicle: $0, job: Int(j)) }
            if able.isEmpty { result[j] = .noSkilledVehicle; continue }
            let roomy = able.filter { problem.vehicles[$0].capacity >= job.demand }
            if roomy.isEmpty { result[j] = .exceedsCapacity; continue }
            let reachable = roomy.contains { v in
                var ignored: [Violation] = []
                _ = simulate(vehicle: Int32(v), jobs: [j], violations: &ignored)
                return ignored.isEmpty
            }
            result[j] = reachable ? .noRoom : .windowUnreachable
        }
        return result
    }
}
