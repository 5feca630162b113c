/// A vehicle-routing problem with time windows: checked once at construction, then read-only.
///
///     let problem = try RoutingProblem(jobs: jobs, vehicles: vehicles, travel: matrix)
///     let solution = Solver(problem: problem, options: .init(seed: 1, iterationLimit: 5_000)).run()
///
/// The objective is travel distance (or duration, see ``Objective``) plus the penalties of
/// unassigned jobs plus the fixed costs of used vehicles.
public struct RoutingProblem: Sendable {
    /// What the search minimises besides penalties and fixed costs.
    public enum Objective: Sendable { case distance, duration }

    public let jobs: [Job]
    public let vehicles: [Vehicle]
    public let travel: TravelMatrix
    public let objective: Objective

    public init(jobs: [Job], vehicles: [Vehicle], travel: TravelMatrix,
                objective: Objective = .distance) throws(ProblemError) {
        guard !vehicles.isEmpty else { throw .noVehicles }
        let n = travel.count
        for (k, job) in jobs.enumerated() {
            guard job.location >= 0, Int(job.location) < n else {
                throw .locationOutOfRange(what: "job \(k)", location: job.location, count: n)
            }
            guard job.service >= 0 else { throw .negativeService(job: k) }
            guard job.demand >= 0 else { throw .negativeDemand(job: k) }
            var previousEnd: Int64? = nil
            for w in job.windows {
                guard w.start <= w.end else { throw .windowOpensAfterClose(job: k) }
                if let previousEnd, w.start <= previousEnd { throw .windowsOverlap(job: k) }
                previousEnd = w.end
            }
            if let v = job.pinnedVehicle, v < 0 || Int(v) >= vehicles.count {
                throw .pinnedVehicleOutOfRange(job: k, vehicle: v)
            }
        }
        for (k, v) in vehicles.enumerated() {
            for loc in [v.start, v.end] where loc < 0 || Int(loc) >= n {
                throw .locationOutOfRange(what: "vehicle \(k)", location: loc, count: n)
            }
            guard v.shift.start <= v.shift.end else { throw .shiftEndsBeforeStart(vehicle: k) }
        }
        self.jobs = jobs
        self.vehicles = vehicles
        self.travel = travel
        self.objective = objective
    }

    /// The arc cost the objective counts between two locations.
    @inlinable public func arcCost(_ from: Int32, _ to: Int32) -> Int64 {
        objective == .distance ? travel.distance(from, to) : travel.duration(from, to)
    }

    /// True when vehicle `v` may serve job `j`: skills and pinning.
    @inlinable public func canServe(vehicle v: Int, job j: Int) -> Bool {
        let job = jobs[j]
        if let pinned = job.pinnedVehicle, Int(pinned) != v { return false }
        return vehicles[v].skills.covers(job.skills)
    }
}
