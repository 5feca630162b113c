/// One place a job could go: into `vehicle`'s route before the job now at `position` (or last).
public struct InsertionOption: Sendable, Equatable {
    public var vehicle: Int32
    /// 0-based index in the route's job list.
    public var position: Int
    /// Change of the objective (arc costs, plus the fixed cost when the route was empty).
    public var costDelta: Int64
    /// Rules the route would break with the job there; empty when feasible.
    public var violations: [Checker.Violation]
    /// The route's schedule with the job there.
    public var report: Checker.RouteReport

    public var isFeasible: Bool { violations.isEmpty }
}

extension Checker {
    /// Every position of `job` in every vehicle's route of `solution`, exactly evaluated (O(route
    /// length) each): the dispatcher's "where could this urgent job go?" and the slot finder's
    /// "which windows can we still offer?". Feasible options first, cheapest first; then the rest,
    /// least broken first. Vehicles without a route in `solution` are tried as empty routes.
    public func insertions(of job: Int32, into solution: Solution) -> [InsertionOption] {
        var byVehicle: [Int32: [Int32]] = [:]
        for route in solution.routes { byVehicle[route.vehicle] = route.jobs.filter { $0 != job } }
        var options: [InsertionOption] = []
        for v in problem.vehicles.indices.map(Int32.init) {
            let jobs = byVehicle[v] ?? []
            let (before, _) = evaluate(vehicle: v, jobs: jobs)
            let base = cost(of: before, jobCount: jobs.count)
            for position in 0...jobs.count {
                var with = jobs
                with.insert(job, at: position)
                let (report, violations) = evaluate(vehicle: v, jobs: with)
                options.append(InsertionOption(vehicle: v, position: position, costDelta: cost(of: report, jobCount: with.count) - base,
                                               violations: violations, report: report))
            }
        }
        options.sort { a, b in
            if a.isFeasible != b.isFeasible { return a.isFeasible }
            if !a.isFeasible, a.violations.count != b.violations.count { return a.violations.count < b.violations.count }
            return (a.costDelta, a.vehicle, a.position) < (b.costDelta, b.vehicle, b.position)
        }
        return options
    }
}
