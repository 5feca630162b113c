import RouteSolver

extension VroomProblem {
    /// `solution` with each vehicle's breaks placed on the way (``Checker/placeBreaksEnRoute(_:vehicle:jobs:shiftEnd:)``).
    /// The search saw each vehicle's window shortened by its breaks, so a route may still leave them
    /// no room:
    /// 1. its jobs come out one at a time until the breaks fit;
    /// 2. every job left out is put back where it fits with the least extra cost, in any route or an
    ///    unused vehicle, highest priority first (a job that fits nowhere stays unassigned);
    /// 3. jobs are moved one at a time to wherever the routes cost less with the breaks placed, until
    ///    no move gains or ``relocationBudget`` evaluations are spent (deterministic).
    /// Returns the routes and the breaks' placements by vehicle.
    func placingBreaks(_ solution: Solution, _ checker: Checker) -> (solution: Solution, rests: [Int32: EnRouteBreaks]) {
        guard vehicles.contains(where: { !$0.rests.isEmpty }) else { return (solution, [:]) }
        var routes = [[Int32]](repeating: [], count: vehicles.count)
        for route in solution.routes { routes[Int(route.vehicle)] = route.jobs }
        var left = Set(solution.unassigned(jobCount: problem.jobs.count))
        for v in routes.indices where !vehicles[v].rests.isEmpty && !routes[v].isEmpty {
            while !routes[v].isEmpty, evaluate(v, routes[v], checker) == nil {
                let jobs = routes[v]
                let without = jobs.indices.first { i in evaluate(v, Array(jobs[..<i] + jobs[(i + 1)...]), checker) != nil }
                left.insert(routes[v].remove(at: without ?? jobs.count - 1))
            }
        }
        for j in left.sorted(by: { (jobs[Int($0)].priority, $1) > (jobs[Int($1)].priority, $0) }) {
            if let best = bestInsertion(of: j, into: routes, checker).place { routes[best.vehicle].insert(j, at: best.at) }
        }
        relocate(&routes, checker)
        var rests: [Int32: EnRouteBreaks] = [:]
        for v in routes.indices where !routes[v].isEmpty { rests[Int32(v)] = evaluate(v, routes[v], checker)?.rests ?? nil }
        return (Solution(routes: routes.enumerated().map { Solution.Route(vehicle: Int32($0), jobs: $1) }), rests)
    }

    /// Evaluations (one route checked, breaks placed) the relocation may spend.
    static let relocationBudget = 300_000

    /// Moves one job at a time to the place where the routes cost least, while some move gains.
    private func relocate(_ routes: inout [[Int32]], _ checker: Checker) {
        var spent = 0, improved = true
        while improved, spent < Self.relocationBudget {
            improved = false
            for v in routes.indices {
                var k = 0
                while k < routes[v].count, spent < Self.relocationBudget {
                    let j = routes[v][k]
                    var others = routes
                    others[v].remove(at: k)
                    guard let now = evaluate(v, routes[v], checker), let without = evaluate(v, others[v], checker) else { k += 1; continue }
                    let (place, cost, evaluations) = bestInsertion(of: j, into: others, checker)
                    spent += evaluations + 2
                    // Both sides count the job's unassigned penalty once: the gain is the route costs alone.
                    if let place, cost < now.cost - without.cost, !(place.vehicle == v && place.at == k) {
                        routes = others
                        routes[place.vehicle].insert(j, at: place.at)
                        improved = true
                    } else {
                        k += 1
                    }
                }
            }
        }
    }

    /// Where job `j` adds least to the cost of `routes` (any route, any position, breaks placed),
    /// the extra cost, and how many evaluations that took; no place when it fits nowhere.
    private func bestInsertion(of j: Int32, into routes: [[Int32]], _ checker: Checker)
        -> (place: (vehicle: Int, at: Int)?, cost: Int64, evaluations: Int) {
        var best: (place: (vehicle: Int, at: Int)?, cost: Int64, evaluations: Int) = (nil, .max, 0)
        for v in routes.indices {
            guard let before = evaluate(v, routes[v], checker) else { continue }
            for at in 0...routes[v].count {
                var candidate = routes[v]
                candidate.insert(j, at: at)
                best.evaluations += 1
                guard let after = evaluate(v, candidate, checker) else { continue }
                if after.cost - before.cost < best.cost { best = ((v, at), after.cost - before.cost, best.evaluations) }
            }
        }
        return best
    }

    /// Vehicle `v` serving `jobs` in this order, when it can: every rule but time by the checker, and
    /// time with the breaks placed (a vehicle without breaks: every rule by the checker). Its cost is
    /// the checker's for that route alone (the same unassigned penalties for every candidate of one
    /// job, bar the route's own: only differences are compared).
    private func evaluate(_ v: Int, _ jobs: [Int32], _ checker: Checker) -> (rests: EnRouteBreaks?, cost: Int64)? {
        let report = checker.check(Solution(routes: [Solution.Route(vehicle: Int32(v), jobs: jobs)]))
        let rests = vehicles[v].rests
        guard !rests.isEmpty else { return report.isFeasible ? (nil, report.cost) : nil }
        let untimed = report.violations.allSatisfy {
            switch $0 { case .lateStart, .shiftEnd, .maxDuration: true; default: false }
        }
        guard untimed, let placed = checker.placeBreaksEnRoute(rests.map(\.rule), vehicle: Int32(v), jobs: jobs,
                                                                 shiftEnd: vehicles[v].shiftEnd) else { return nil }
        return (placed, report.cost)
    }
}
