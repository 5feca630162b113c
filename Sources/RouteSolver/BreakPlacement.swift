/// A rest the technician must take: `length` long, starting between `earliest` and `latest`.
public struct BreakRule: Sendable, Equatable {
    public var earliest: Int64
    public var latest: Int64
    public var length: Int64

    public init(earliest: Int64, latest: Int64, length: Int64) {
        self.earliest = earliest; self.latest = latest; self.length = length
    }
}

/// Where a break goes in a route and the schedule that results.
public struct BreakPlacement: Sendable, Equatable {
    /// How many jobs come before it (0: before leaving the start). The break is taken where the
    /// technician is (after that job's service), then the drive to the next job follows.
    public var after: Int
    public var start: Int64
    /// Arrival and service start at each job, with the break.
    public var arrivals: [Int64]
    public var starts: [Int64]
    public var endArrival: Int64
}

extension Checker {
    /// The best place for `rule` in vehicle `v`'s route `jobs`: every gap is tried (O(n²), fine for a
    /// technician's day), the break starting as soon as the technician is free but not before
    /// `earliest`; a gap counts when the break can start by `latest`, every job still starts inside a
    /// window and the route ends by `shiftEnd`. Best: the earliest end, then the earliest gap. Nil
    /// when no gap works. (The search itself does not see breaks: the planner gives it the shift
    /// shortened by the break and places the break in the result with this.)
    public func placeBreak(_ rule: BreakRule, vehicle v: Int32, jobs: [Int32], shiftEnd: Int64) -> BreakPlacement? {
        let p = problem, vehicle = p.vehicles[Int(v)]
        var best: BreakPlacement?
        for gap in 0...jobs.count {
            var time = vehicle.shift.start, at = vehicle.start, ok = true, breakStart: Int64 = 0
            var arrivals: [Int64] = [], starts: [Int64] = []
            for (k, j) in jobs.enumerated() {
                if k == gap {
                    breakStart = max(time, rule.earliest)
                    if breakStart > rule.latest { ok = false; break }
                    time = breakStart + rule.length
                }
                let job = p.jobs[Int(j)]
                let arrival = time + p.travel.duration(at, job.location)
                let (start, latest) = Self.start(of: job, arrival: arrival)
                if start > latest { ok = false; break }
                arrivals.append(arrival); starts.append(start)
                time = start + job.service
                at = job.location
            }
            guard ok else { continue }
            if gap == jobs.count {
                breakStart = max(time, rule.earliest)
                if breakStart > rule.latest { continue }
                time = breakStart + rule.length
            }
            let end = time + p.travel.duration(at, vehicle.end)
            guard end <= shiftEnd else { continue }
            if best.map({ end < $0.endArrival }) ?? true {
                best = BreakPlacement(after: gap, start: breakStart, arrivals: arrivals, starts: starts, endArrival: end)
            }
        }
        return best
    }
}

/// A break taken on the way, as VROOM takes one: the vehicle drives as much of the leg as the wait
/// for the break's window allows, rests, then drives the rest of the leg.
public struct EnRouteBreak: Sendable, Equatable {
    /// How many jobs come before it (0: on the way to the first).
    public var after: Int
    public var start: Int64
    /// Seconds of the leg driven before it.
    public var drivenBefore: Int64
    /// Waiting for its window beyond what driving used up.
    public var waiting: Int64
    public var arrivals: [Int64]
    public var starts: [Int64]
    public var endArrival: Int64
}

extension Checker {
    /// The best place for a break of `length` that may start in any of `windows` (sorted) in
    /// vehicle `v`'s route `jobs`, taken on the way (``EnRouteBreak``): every gap is tried, the break
    /// starting in the first window not yet closed; a gap counts when every job still starts inside
    /// a window and the route ends by `shiftEnd`. Best: the earliest end, then the earliest gap. Nil
    /// when no gap works.
    public func placeBreakEnRoute(windows: [TimeWindow], length: Int64, vehicle v: Int32, jobs: [Int32],
                                  shiftEnd: Int64) -> EnRouteBreak? {
        let p = problem, vehicle = p.vehicles[Int(v)]
        var best: EnRouteBreak?
        for gap in 0...jobs.count {
            var time = vehicle.shift.start, at = vehicle.start, ok = true
            var placed = (start: Int64(0), before: Int64(0), waiting: Int64(0))
            var arrivals: [Int64] = [], starts: [Int64] = []
            // The leg from `at` to `to`, with the break on it when this is the gap.
            func drive(to: Int32, breakHere: Bool) -> Int64? {
                let leg = p.travel.duration(at, to)
                guard breakHere else { return time + leg }
                guard let window = windows.first(where: { time <= $0.end }) else { return nil }
                let start = max(time, window.start)
                let before = min(leg, start - time)
                placed = (start, before, start - time - before)
                return start + length + (leg - before)
            }
            for (k, j) in jobs.enumerated() {
                let job = p.jobs[Int(j)]
                guard let arrival = drive(to: job.location, breakHere: k == gap) else { ok = false; break }
                let (start, latest) = Self.start(of: job, arrival: arrival)
                if start > latest { ok = false; break }
                arrivals.append(arrival); starts.append(start)
                time = start + job.service
                at = job.location
            }
            guard ok, let end = drive(to: vehicle.end, breakHere: gap == jobs.count), end <= shiftEnd else { continue }
            if best.map({ end < $0.endArrival }) ?? true {
                best = EnRouteBreak(after: gap, start: placed.start, drivenBefore: placed.before, waiting: placed.waiting,
                                    arrivals: arrivals, starts: starts, endArrival: end)
            }
        }
        return best
    }
}
