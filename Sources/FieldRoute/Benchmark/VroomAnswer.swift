import Foundation
import RouteSolver

extension VroomProblem {
    /// The search budget when neither a time limit nor iterations are given, seconds.
    public static let defaultTimeLimit = 10.0

    /// ``solve(seed:timeLimit:iterations:progress:)``'s answer as JSON text, keys sorted: what
    /// `fieldroute solve FILE.json` prints and `POST /` on `fieldroute serve` answers. Without a time
    /// limit or iterations, ``defaultTimeLimit``.
    public func answerText(seed: UInt64, timeLimit: Double?, iterations: Int?) throws(FieldRouteError) -> String {
        try Self.text(solve(seed: seed, timeLimit: timeLimit ?? (iterations == nil ? Self.defaultTimeLimit : nil), iterations: iterations))
    }

    /// A VROOM-shaped object (an answer, or `{"code", "error"}`) as JSON text, keys sorted.
    public static func text(_ object: [String: Any]) throws(FieldRouteError) -> String {
        do { return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) }
        catch { throw .internalFailure("VROOM answer: \(error)") }
    }

    /// Solves and answers as VROOM does: `code`, `summary`, `unassigned`, `routes` with their steps
    /// (start, job, end: arrival, cumulative travel `duration`, service, waiting time, load). Times
    /// are those of the problem (vehicles leave at the start of their time window); `cost` is travel
    /// duration, as VROOM's default.
    public func solve(seed: UInt64, timeLimit: Double?, iterations: Int?,
                      progress: ((SolverProgress) -> Void)? = nil) -> [String: Any] {
        let started = ContinuousClock.now
        let result = Solver(problem: problem, options: SolverOptions(seed: seed, iterationLimit: iterations, timeLimit: timeLimit))
            .run(progress: progress)
        let solving = ContinuousClock.now - started
        let checker = Checker(problem: problem)
        var solution = result.solution
        if !checker.check(solution).isFeasible {
            // The search found no feasible answer in its budget: keep, route by route (routes do not
            // constrain each other), each job whose route stays feasible with it; the rest are
            // unassigned. An answer never breaks a rule.
            solution = Solution(routes: solution.routes.map { route in
                var jobs: [Int32] = []
                for j in route.jobs where checker.check(Solution(routes: [Solution.Route(vehicle: route.vehicle, jobs: jobs + [j])])).isFeasible {
                    jobs.append(j)
                }
                return Solution.Route(vehicle: route.vehicle, jobs: jobs)
            })
        }
        // Breaks: placed on the way in each route (the routes repaired around them).
        let rests: [Int32: EnRouteBreaks]
        (solution, rests) = placingBreaks(solution, checker)
        let report = checker.check(solution)
        let travel = problem.travel
        // VROOM's `amount` is the delivered load.
        func amount(_ x: Int64) -> [String: Any] {
            !hasCapacity ? [:] : pickups ? ["delivery": [0], "amount": [0], "pickup": [x]] : ["delivery": [x], "amount": [x], "pickup": [0]]
        }
        // Open ends (index matrixCount) are zero away from everything.
        func distance(_ a: Int32, _ b: Int32) -> Int64? {
            guard let distances else { return nil }
            return Int(a) < matrixCount && Int(b) < matrixCount ? Int64(distances[Int(a) * matrixCount + Int(b)]) : 0
        }
        // What a route costs: its legs in the costs matrix (the solver's "distance" then), else their durations.
        let costed = problem.objective == .distance

        var routes: [[String: Any]] = []
        // Cost is travel duration (VROOM's default) or the costs matrix's legs, plus fixed costs.
        var totals = (service: Int64(0), duration: Int64(0), waiting: Int64(0), priority: 0, delivery: Int64(0), distance: Int64(0),
                      cost: Int64(0))
        for (route, r) in zip(solution.routes, report.routes) where !route.jobs.isEmpty {
            let v = problem.vehicles[Int(route.vehicle)], vehicle = vehicles[Int(route.vehicle)]
            let rest = rests[route.vehicle]
            let arrivals = rest?.arrivals ?? r.arrivals, starts = rest?.starts ?? r.starts
            let load = route.jobs.reduce(Int64(0)) { $0 + problem.jobs[Int($1)].demand }
            var steps: [[String: Any]] = [], at = v.start, driven: Int64 = 0, metres: Int64 = 0, left = pickups ? 0 : load, cost = v.fixedCost
            var service: Int64 = 0, waiting: Int64 = 0, priority = 0
            func step(_ type: String, _ location: Int32?, arrival: Int64, extra: [String: Any] = [:]) {
                var s: [String: Any] = ["type": type, "arrival": arrival, "duration": driven, "setup": 0, "service": 0, "waiting_time": 0,
                                        "violations": [] as [Any]]
                if let location, Int(location) < matrixCount { s["location_index"] = Int(location) }
                if let location, let c = coordinates[Int(location)] { s["location"] = c }
                if hasCapacity { s["load"] = [left] }
                if distances != nil { s["distance"] = metres }
                steps.append(s.merging(extra) { $1 })
            }
            // The route leaves when its first arrival less the first leg says (the checker's schedule);
            // with a break, at the start of its time window (the placement's schedule).
            if vehicle.start != nil, let first = route.jobs.first, let arrival = arrivals.first {
                step("start", at, arrival: rest == nil ? arrival - travel.duration(at, problem.jobs[Int(first)].location) : v.shift.start)
            }
            // The breaks on the way to job k (k = the job count: on the way to the end).
            func restSteps(before k: Int) {
                guard let rest else { return }
                var partial: Int64 = 0
                for (placed, meta) in zip(rest.placements, vehicle.rests) where placed.after == k {
                    partial += placed.drivenBefore
                    var extra: [String: Any] = ["id": meta.id, "service": meta.length, "waiting_time": placed.waiting,
                                                "duration": driven + partial]
                    if let d = meta.description { extra["description"] = d }
                    step("break", nil, arrival: placed.start, extra: extra)
                    service += meta.length; waiting += placed.waiting
                }
            }
            for (k, j) in route.jobs.enumerated() {
                restSteps(before: k)
                let job = problem.jobs[Int(j)], meta = jobs[Int(j)]
                driven += travel.duration(at, job.location); metres += distance(at, job.location) ?? 0
                cost += costed ? travel.distance(at, job.location) : travel.duration(at, job.location)
                let wait = starts[k] - arrivals[k]
                left += pickups ? job.demand : -job.demand
                step("job", job.location, arrival: arrivals[k],
                     extra: ["id": meta.id, "job": meta.id, "service": job.service, "waiting_time": wait, "priority": meta.priority]
                        .merging(meta.description.map { ["description": $0] } ?? [:]) { $1 })
                service += job.service; waiting += wait; priority += meta.priority
                at = job.location
            }
            restSteps(before: route.jobs.count)
            driven += travel.duration(at, v.end); metres += distance(at, v.end) ?? 0
            cost += costed ? travel.distance(at, v.end) : travel.duration(at, v.end)
            if vehicle.end != nil { step("end", v.end, arrival: rest?.endArrival ?? r.endArrival) }
            var out: [String: Any] = ["vehicle": vehicle.id, "cost": cost, "setup": 0, "service": service, "duration": driven,
                                      "waiting_time": waiting, "priority": priority, "steps": steps, "violations": [] as [Any]]
            if let d = vehicle.description { out["description"] = d }
            if distances != nil { out["distance"] = metres }
            routes.append(out.merging(amount(load)) { $1 })
            totals.service += service; totals.duration += driven; totals.waiting += waiting; totals.cost += cost
            totals.priority += priority; totals.delivery += load; totals.distance += metres
        }
        let unassigned: [[String: Any]] = report.unassigned.map { j in
            let meta = jobs[Int(j)]
            var out: [String: Any] = ["id": meta.id, "location_index": meta.locationIndex, "type": "job"]
            if let c = coordinates[meta.locationIndex] { out["location"] = c }
            return out.merging(meta.description.map { ["description": $0] } ?? [:]) { $1 }
        }
        let milliseconds = Int(solving.components.seconds) * 1_000 + Int(solving.components.attoseconds / 1_000_000_000_000_000)
        var summary: [String: Any] = ["cost": totals.cost, "routes": routes.count, "unassigned": unassigned.count, "setup": 0,
                                      "service": totals.service, "duration": totals.duration, "waiting_time": totals.waiting,
                                      "priority": totals.priority, "violations": [] as [Any],
                                      "computing_times": ["loading": 0, "solving": milliseconds, "routing": 0]]
        if distances != nil { summary["distance"] = totals.distance }
        return ["code": 0, "summary": summary.merging(amount(totals.delivery)) { $1 }, "unassigned": unassigned, "routes": routes]
    }
}
