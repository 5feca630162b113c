import ArrivalWindows
import RouteSolver

/// Lunch breaks placed in a solved day. The search plans with each shift shortened by its break, so
/// the time exists; ``place(in:day:)`` then puts every break where it delays least
/// (``Checker/placeBreak(_:vehicle:jobs:shiftEnd:)``). When windows leave no room for it, the least
/// important visit that frees room is taken out and offered to every other route; only a visit no
/// route can take stays out (`break_conflict`): a break is never skipped.
struct PlannedBreaks {
    var placements: [Int32: (rule: BreakRule, placement: BreakPlacement)] = [:]
    /// Jobs taken out so a break fits.
    var conflicts: [Int32] = []

    static func place(in solution: inout Solution, day: DayProblem) -> PlannedBreaks {
        place(in: &solution, problem: day.problem, breaks: day.breaks, shiftEnds: day.shiftEnds)
    }

    /// Vehicle `v` takes `breaks[v]` (nil: none) and ends by `shiftEnds[v]`, `problem` holding the
    /// shifts the search saw (shortened by the break).
    static func place(in solution: inout Solution, problem p: RoutingProblem, breaks: [BreakRule?], shiftEnds: [Int64]) -> PlannedBreaks {
        let checker = Checker(problem: p)
        var out = PlannedBreaks()
        for k in solution.routes.indices {
            let v = solution.routes[k].vehicle
            guard let rule = breaks[Int(v)] else { continue }
            var jobs = solution.routes[k].jobs
            let end = shiftEnds[Int(v)]
            var placement = checker.placeBreak(rule, vehicle: v, jobs: jobs, shiftEnd: end)
            while placement == nil, !jobs.isEmpty {
                // Least important first; among equals the one whose removal ends the day earliest.
                let order = jobs.indices.sorted { a, b in
                    (p.jobs[Int(jobs[a])].unassignedPenalty ?? .max, a) < (p.jobs[Int(jobs[b])].unassignedPenalty ?? .max, b)
                }
                var removed = order[0]
                for i in order {
                    var fewer = jobs
                    fewer.remove(at: i)
                    if let fits = checker.placeBreak(rule, vehicle: v, jobs: fewer, shiftEnd: end) {
                        removed = i; placement = fits
                        break
                    }
                }
                out.conflicts.append(jobs.remove(at: removed))
                if placement == nil { placement = checker.placeBreak(rule, vehicle: v, jobs: jobs, shiftEnd: end) }
            }
            solution.routes[k].jobs = jobs
            if let placement { out.placements[v] = (rule, placement) }
        }
        // Give the visits taken out a second chance elsewhere: the cheapest exact insertion whose
        // route still fits its own break (most important first).
        let order = out.conflicts.sorted { (p.jobs[Int($0)].unassignedPenalty ?? .max, $1) > (p.jobs[Int($1)].unassignedPenalty ?? .max, $0) }
        for j in order {
            let options = checker.insertions(of: j, into: Solution(routes: solution.routes))
            for option in options where option.isFeasible {
                let v = option.vehicle
                var jobs = solution.routes.first { $0.vehicle == v }?.jobs ?? []
                jobs.insert(j, at: option.position)
                var placed: BreakPlacement?
                if let rule = breaks[Int(v)] {
                    guard let fits = checker.placeBreak(rule, vehicle: v, jobs: jobs, shiftEnd: shiftEnds[Int(v)]) else { continue }
                    placed = fits
                }
                if let k = solution.routes.firstIndex(where: { $0.vehicle == v }) { solution.routes[k].jobs = jobs }
                else { solution.routes.append(Solution.Route(vehicle: v, jobs: jobs)) }
                if let placed, let rule = breaks[Int(v)] { out.placements[v] = (rule, placed) }
                out.conflicts.removeAll { $0 == j }
                break
            }
        }
        solution = Solution(routes: solution.routes)
        return out
    }

    /// Arrival and start of each job of `route`: with its break when it has one, else as `report` says.
    func schedule(_ route: Solution.Route, report: Checker.RouteReport) -> (arrivals: [Int64], starts: [Int64]) {
        guard let (_, placement) = placements[route.vehicle] else { return (report.arrivals, report.starts) }
        return (placement.arrivals, placement.starts)
    }

    /// Folds vehicle `v`'s break into the Monte Carlo stops: the job before it serves `length` longer
    /// and the job after it cannot start before the break ends plus the drive.
    func adjust(_ stops: inout [RouteStop], vehicle v: Int32, departure: Int64) {
        guard let (rule, placement) = placements[v], !stops.isEmpty else { return }
        let g = placement.after
        guard g < stops.count else { return }  // after the last visit: no visit waits for it
        let resume = (g == 0 ? max(departure, rule.earliest) : rule.earliest) + rule.length
        if g > 0 { stops[g - 1].service += rule.length }
        stops[g].earliestStart = max(stops[g].earliestStart, resume + stops[g].travel)
    }
}
