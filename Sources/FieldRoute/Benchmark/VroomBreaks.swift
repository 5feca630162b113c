import RouteSolver

extension VroomProblem {
    /// `solution` with each vehicle's breaks placed on the way (``Checker/placeBreaksEnRoute(_:vehicle:jobs:shiftEnd:)``):
    /// the search saw the vehicle's window shortened by them, so a route may still leave them no room;
    /// its jobs come out one at a time until it fits. Then every job left out is put back where it
    /// fits with the least extra cost, in any route or an unused vehicle, highest priority first; a
    /// job that fits nowhere stays unassigned. Returns the routes and the breaks' placements by vehicle.
    func placingBreaks(_ solution: Solution, _ checker: Checker) -> (solution: Solution, rests: [Int32: EnRouteBreaks]) {
        guard vehicles.contains(where: { !$0.rests.isEmpty }) else { return (solution, [:]) }
        var routes = [[Int32]](repeating: [], count: vehicles.count)
        for route in solution.routes { routes[Int(route.vehicle)] = route.jobs }
        var rests: [Int32: EnRouteBreaks] = [:]
        var left = Set(solution.unassigned(jobCount: problem.jobs.count))
        for v in routes.indices where !vehicles[v].rests.isEmpty && !routes[v].isEmpty {
            while !routes[v].isEmpty, fit(Int32(v), routes[v], checker) == nil {
                let jobs = routes[v]
                let without = jobs.indices.first { i in fit(Int32(v), Array(jobs[..<i] + jobs[(i + 1)...]), checker) != nil }
                left.insert(routes[v].remove(at: without ?? jobs.count - 1))
            }
        }
        // Put back what came out, and what the search left out, where it fits best.
        for j in left.sorted(by: { (jobs[Int($0)].priority, $1) > (jobs[Int($1)].priority, $0) }) {
            var best: (cost: Int64, vehicle: Int, at: Int)?
            for v in routes.indices {
                let before = cost(Int32(v), routes[v], checker)
                for at in 0...routes[v].count {
                    var candidate = routes[v]
                    candidate.insert(j, at: at)
                    guard let after = fit(Int32(v), candidate, checker).map({ _ in cost(Int32(v), candidate, checker) }) else { continue }
                    if best.map({ after - before < $0.cost }) ?? true { best = (after - before, v, at) }
                }
            }
            if let best { routes[best.vehicle].insert(j, at: best.at) }
        }
        for v in routes.indices where !vehicles[v].rests.isEmpty && !routes[v].isEmpty { rests[Int32(v)] = fit(Int32(v), routes[v], checker) ?? nil }
        return (Solution(routes: routes.enumerated().map { Solution.Route(vehicle: Int32($0), jobs: $1) }), rests)
    }

    /// Whether vehicle `v` can serve `jobs` in this order: every rule but time by the checker, and
    /// time with the break placed (a vehicle without one: every rule by the checker). The outer
    /// optional is "fits"; the inner, the breaks' placements when the vehicle has any.
    private func fit(_ v: Int32, _ jobs: [Int32], _ checker: Checker) -> EnRouteBreaks?? {
        let report = checker.check(Solution(routes: [Solution.Route(vehicle: v, jobs: jobs)]))
        let rests = vehicles[Int(v)].rests
        guard !rests.isEmpty else { return report.isFeasible ? .some(nil) : nil }
        let untimed = report.violations.allSatisfy {
            switch $0 { case .lateStart, .shiftEnd, .maxDuration: true; default: false }
        }
        guard untimed, let placed = checker.placeBreaksEnRoute(rests.map(\.rule), vehicle: v, jobs: jobs,
                                                                 shiftEnd: vehicles[Int(v)].shiftEnd) else { return nil }
        return .some(placed)
    }

    /// The checker's cost of vehicle `v` serving `jobs` alone (the same for every candidate of one
    /// job, bar the route's own: only differences are compared).
    private func cost(_ v: Int32, _ jobs: [Int32], _ checker: Checker) -> Int64 {
        checker.check(Solution(routes: [Solution.Route(vehicle: v, jobs: jobs)])).cost
    }
}
