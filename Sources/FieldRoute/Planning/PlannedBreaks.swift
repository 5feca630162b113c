import ArrivalWindows
import RouteSolver

/// Lunch breaks placed in a solved day. The search plans with each shift shortened by its break, so
/// the time exists; ``place(in:day:)`` then puts every break where it delays least
/// (``Checker/placeBreak(_:vehicle:jobs:shiftEnd:)``). When windows leave no room for it, the least
/// important visit that frees room is taken out (`break_conflict`): a break is never skipped.
struct PlannedBreaks {
    var placements: [Int32: (rule: BreakRule, placement: BreakPlacement)] = [:]
    /// Jobs taken out so a break fits.
    var conflicts: [Int32] = []

    static func place(in solution: inout Solution, day: DayProblem) -> PlannedBreaks {
        let p = day.problem, checker = Checker(problem: p)
        var out = PlannedBreaks()
        for k in solution.routes.indices {
            let v = solution.routes[k].vehicle
            guard let rule = day.breaks[Int(v)] else { continue }
            var jobs = solution.routes[k].jobs
            let end = day.shiftEnds[Int(v)]
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
