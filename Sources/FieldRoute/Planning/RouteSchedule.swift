import RouteSolver

/// The planned times of one route: when the technician leaves, when they reach and start each visit,
/// when they take their break and reach home. One forward pass makes every schedule the plan and
/// dispatch store, so the times written are the times the checks saw.
///
/// Two rules shape it beyond the search's order:
/// - **late departure**: the technician leaves as late as the first visit allows
///   (``leavingLate(_:vehicle:jobs:)``), arriving as it starts instead of waiting at the door;
///   no later time moves;
/// - **waiting for the promise**: a visit never starts before the window told to its customer
///   (``holding(promises:_:vehicle:jobs:shiftEnd:)``), as the Monte Carlo that made the promises assumes.
struct RouteSchedule: Sendable, Equatable {
    /// Unix seconds.
    var departure: Int64
    var arrivals: [Int64]
    var starts: [Int64]
    /// The break's rule and start, and how many visits come before it; nil without a break.
    var breakRule: BreakRule?
    var breakStart: Int64?
    var breakAfter: Int?
    var endArrival: Int64

    /// Seconds of waiting before each visit (arrived before it may start).
    var waits: [Int64] { zip(starts, arrivals).map { $0 - $1 } }
    var breakLength: Int64 { breakRule?.length ?? 0 }

    /// The schedule the solver and the break placement found: leaving at the shift start.
    static func placed(_ p: RoutingProblem, route: Solution.Route, report: Checker.RouteReport, breaks: PlannedBreaks) -> RouteSchedule {
        let (arrivals, starts) = breaks.schedule(route, report: report)
        let placed = breaks.placements[route.vehicle]
        return RouteSchedule(departure: p.vehicles[Int(route.vehicle)].shift.start, arrivals: arrivals, starts: starts,
                             breakRule: placed?.rule, breakStart: placed?.placement.start, breakAfter: placed?.placement.after,
                             endArrival: placed?.placement.endArrival ?? report.endArrival)
    }

    /// The times that follow from leaving at `departure`, each visit waiting until `notBefore[k]`,
    /// the break (if any) after the same visit as here, no earlier than its rule allows.
    func forward(_ p: RoutingProblem, vehicle v: Int32, jobs: [Int32], departure: Int64, notBefore: [Int64]) -> RouteSchedule {
        let vehicle = p.vehicles[Int(v)]
        var out = self
        out.departure = departure
        var time = departure, at = vehicle.start
        func takeBreak(_ k: Int) {
            guard breakAfter == k, let rule = breakRule else { return }
            let start = max(time, rule.earliest)
            out.breakStart = start
            time = start + breakLength
        }
        for (k, j) in jobs.enumerated() {
            takeBreak(k)
            let job = p.jobs[Int(j)]
            let arrival = time + p.travel.duration(at, job.location)
            out.arrivals[k] = arrival
            out.starts[k] = max(arrival, notBefore[k])
            time = out.starts[k] + job.service
            at = job.location
        }
        takeBreak(jobs.count)
        out.endArrival = time + p.travel.duration(at, vehicle.end)
        return out
    }

    /// Each visit's window as the plan uses it: the allowed window its start falls in.
    static func windows(_ p: RoutingProblem, jobs: [Int32], starts: [Int64]) -> [RouteSolver.TimeWindow] {
        zip(jobs, starts).map { j, start in
            let windows = p.jobs[Int(j)].windows
            return windows.last { $0.start <= start } ?? windows.first ?? .always
        }
    }

    /// The same visit times, leaving home as late as they allow: the departure moves up by the waiting
    /// at the first visit — then the technician arrives as it starts and no later time moves — or,
    /// with the break taken before leaving, up to the break's start.
    func leavingLate(_ p: RoutingProblem, vehicle v: Int32, jobs: [Int32]) -> RouteSchedule {
        guard let wait = waits.first, wait > 0 else { return self }
        let delay = breakAfter == 0 ? min(wait, (breakStart ?? departure) - departure) : wait
        guard delay > 0 else { return self }
        return forward(p, vehicle: v, jobs: jobs, departure: departure + delay,
                       notBefore: Self.windows(p, jobs: jobs, starts: starts).map(\.start))
    }

    /// The schedule with each visit waiting for its told window to open (`promises[k]`, nil: none),
    /// in route order, wherever that wait pushes no visit past its allowed window or newly past its
    /// told one, the break past its latest start and the route past `shiftEnd`; a visit that cannot
    /// wait keeps its time (its told window then opens earlier: ``ToldWindow/holding(_:_:inside:)``).
    func holding(promises: [(start: Int64, end: Int64)?], _ p: RoutingProblem, vehicle v: Int32, jobs: [Int32],
                 shiftEnd: Int64) -> RouteSchedule {
        let windows = Self.windows(p, jobs: jobs, starts: starts)
        var notBefore = windows.map(\.start), best = self
        func keeps(_ out: RouteSchedule) -> Bool {
            for k in jobs.indices {
                if out.starts[k] > windows[k].end { return false }
                if out.starts[k] > best.starts[k], out.starts[k] > promises[k]?.end ?? .max { return false }
            }
            if let rule = out.breakRule, let b = out.breakStart, b > rule.latest { return false }
            return out.endArrival <= shiftEnd
        }
        for k in jobs.indices {
            guard let promise = promises[k], promise.start > best.starts[k] else { continue }
            var tried = notBefore
            tried[k] = promise.start
            let out = forward(p, vehicle: v, jobs: jobs, departure: departure, notBefore: tried)
            if keeps(out) { notBefore = tried; best = out }
        }
        return best
    }
}
