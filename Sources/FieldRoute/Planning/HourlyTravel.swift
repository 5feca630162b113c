import RouteSolver

/// Hour-of-day speeds for a search whose arcs have one duration each: solve at the average speed,
/// then give every arc the routes drive the duration of the hour it is driven in, and search again
/// from that solution; twice. In the final plan each used arc carries its own hour's speed (arcs it
/// does not use keep the average). A fully time-dependent search — durations that change with the
/// departure time inside every move evaluation — would be exact; this is the standard iterated
/// static approximation.
enum HourlyTravel {
    static func refine(_ day: inout DayProblem, result: inout SolverResult, model: TravelTimeModel, options: SolverOptions,
                       rounds: Int = 2) throws {
        guard model.speedByHour != nil else { return }
        let clock = try RegionClock(timeZone: day.region.timeZone)
        for _ in 0..<rounds {
            let p = day.problem, n = p.travel.count
            let report = Checker(problem: p).check(result.solution)
            var durations = p.travel.durations
            var changed = false
            for (route, r) in zip(result.solution.routes, report.routes) {
                let vehicle = p.vehicles[Int(route.vehicle)]
                var at = vehicle.start, leave = vehicle.shift.start
                // Each leg, home to home, with the time it is driven.
                let stops = route.jobs.map { p.jobs[Int($0)] }
                for k in 0...stops.count {
                    let to = k < stops.count ? stops[k].location : vehicle.end
                    let metres = Double(p.travel.distance(at, to))
                    let seconds = Int32(model.seconds(metres: metres, hour: clock.minuteOfDay(leave) / 60).rounded())
                    let index = Int(at) * n + Int(to)
                    if durations[index] != seconds { durations[index] = seconds; changed = true }
                    if k < stops.count { leave = r.starts[k] + stops[k].service; at = to }
                }
            }
            guard changed else { return }
            do {
                let matrix = try TravelMatrix(count: n, durations: durations, distances: p.travel.distances)
                day.problem = try RoutingProblem(jobs: p.jobs, vehicles: p.vehicles, travel: matrix, objective: p.objective)
            } catch { throw FieldRouteError.internalFailure("hour-of-day travel: \(error)") }
            var again = options
            again.initial = result.solution
            if let limit = options.iterationLimit { again.iterationLimit = max(1, limit / 5) }
            if let limit = options.timeLimit { again.timeLimit = limit / 5 }
            let previous = result
            result = Solver(problem: try day.searchProblem(), options: again).run()
            result.iterations += previous.iterations
            result.elapsedSeconds += previous.elapsedSeconds
        }
    }
}
