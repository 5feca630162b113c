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

/// A rest to take on the way: `length` long, starting in one of `windows` (sorted, disjoint).
public struct RestRule: Sendable, Equatable {
    public var windows: [TimeWindow]
    public var length: Int64

    public init(windows: [TimeWindow], length: Int64) { self.windows = windows; self.length = length }
}

/// Breaks taken on the way, as VROOM takes them: the vehicle drives as much of the leg as the wait
/// for a break's window allows, rests, then drives the rest of the leg.
public struct EnRouteBreaks: Sendable, Equatable {
    public struct Placement: Sendable, Equatable {
        /// How many jobs come before it (0: on the way to the first).
        public var after: Int
        public var start: Int64
        /// Seconds of the leg driven before it (since the job or break before it).
        public var drivenBefore: Int64
        /// Waiting for its window beyond what driving used up.
        public var waiting: Int64
    }

    /// One per rule, in the rules' order.
    public var placements: [Placement]
    public var arrivals: [Int64]
    public var starts: [Int64]
    public var endArrival: Int64
}

extension Checker {
    /// The earliest-ending way to take `rests`, in their order, in vehicle `v`'s route `jobs`, each
    /// on the way (``EnRouteBreaks``), every job still starting inside a window and the route ending
    /// by `shiftEnd`; nil when there is none. Being free earlier is never worse (windows can be
    /// waited for), so the earliest time after each job with each count of breaks taken decides: a
    /// dynamic programme over jobs × breaks, O(jobs × breaks²).
    public func placeBreaksEnRoute(_ rests: [RestRule], vehicle v: Int32, jobs: [Int32], shiftEnd: Int64) -> EnRouteBreaks? {
        let p = problem, vehicle = p.vehicles[Int(v)], k = rests.count, n = jobs.count
        struct State { var time: Int64; var from: Int; var taken: [EnRouteBreaks.Placement]; var arrival: Int64; var start: Int64 }
        // best[j][b]: free after j jobs (0: at the start) with b breaks taken.
        var best = [[State?]](repeating: [State?](repeating: nil, count: k + 1), count: n + 2)
        best[0][0] = State(time: vehicle.shift.start, from: -1, taken: [], arrival: 0, start: 0)
        for j in 0...n {
            let from = j == 0 ? vehicle.start : p.jobs[Int(jobs[j - 1])].location
            let to = j < n ? p.jobs[Int(jobs[j])].location : vehicle.end
            let leg = p.travel.duration(from, to)
            for b in 0...k {
                guard let state = best[j][b] else { continue }
                // Take breaks b..<b + m on this leg, for every m the remaining rules allow.
                var time = state.time, remaining = leg, taken: [EnRouteBreaks.Placement] = []
                for m in 0...(k - b) {
                    if m > 0 {
                        let rule = rests[b + m - 1]
                        guard let window = rule.windows.first(where: { time <= $0.end }) else { break }
                        let start = max(time, window.start), before = min(remaining, start - time)
                        taken.append(.init(after: j, start: start, drivenBefore: before, waiting: start - time - before))
                        remaining -= before
                        time = start + rule.length
                    }
                    let arrival = time + remaining
                    let free: Int64, start: Int64
                    if j < n {
                        let job = p.jobs[Int(jobs[j])]
                        let (s, latest) = Self.start(of: job, arrival: arrival)
                        if s > latest { continue }
                        start = s; free = s + job.service
                    } else {
                        if arrival > shiftEnd { continue }
                        start = arrival; free = arrival
                    }
                    if best[j + 1][b + m].map({ free < $0.time }) ?? true {
                        best[j + 1][b + m] = State(time: free, from: b, taken: taken, arrival: arrival, start: start)
                    }
                }
            }
        }
        guard best[n + 1][k] != nil else { return nil }
        // Back from the end: which breaks each leg took, and each job's arrival and start.
        var placements: [EnRouteBreaks.Placement] = [], arrivals = [Int64](repeating: 0, count: n), starts = arrivals
        var b = k, endArrival: Int64 = 0
        for j in stride(from: n + 1, to: 0, by: -1) {
            guard let state = best[j][b] else { return nil }
            if j == n + 1 { endArrival = state.arrival } else { arrivals[j - 1] = state.arrival; starts[j - 1] = state.start }
            placements = state.taken + placements
            b = state.from
        }
        return EnRouteBreaks(placements: placements, arrivals: arrivals, starts: starts, endArrival: endArrival)
    }
}
