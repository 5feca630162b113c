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
