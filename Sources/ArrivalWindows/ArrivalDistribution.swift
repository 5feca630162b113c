/// The distribution of one stop's arrival time (Unix seconds, UTC), held as sorted samples.
///
///     let arrivals = try ArrivalDistribution(samples: simulated)
///     let window = arrivals.promisedWindow(policy: .nightBefore)  // e.g. 10:15–10:45
public struct ArrivalDistribution: Sendable, Equatable {
    /// Sorted ascending.
    public let samples: [Int64]

    public init(samples: [Int64]) throws(WindowError) {
        guard !samples.isEmpty else { throw .noSamples }
        self.samples = radixSorted(samples)
    }

    /// Every sample raised to at least `floor`: already in order, since `max` keeps it.
    func raised(to floor: Int64) -> ArrivalDistribution {
        ArrivalDistribution(sorted: samples.map { max($0, floor) })
    }

    private init(sorted: [Int64]) { samples = sorted }

    /// The `q`-quantile, `q` in [0, 1] (nearest rank).
    public func quantile(_ q: Double) -> Int64 {
        let rank = Int((q * Double(samples.count - 1)).rounded())
        return samples[min(max(rank, 0), samples.count - 1)]
    }

    /// Share of samples inside `[start, end]`.
    public func coverage(start: Int64, end: Int64) -> Double {
        guard end >= start else { return 0 }
        return Double(firstIndex(after: end) - firstIndex(notBelow: start)) / Double(samples.count)
    }

    /// Index of the first sample ≥ `t` (binary search).
    private func firstIndex(notBelow t: Int64) -> Int {
        var lo = 0, hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func firstIndex(after t: Int64) -> Int { t == .max ? samples.count : firstIndex(notBelow: t + 1) }

    /// Windows for a set of stops (a route's, at the start of the day) that keep, on average over the set,
    /// `policy.coverage` of arrivals for the least total width: each stop starts from its narrowest
    /// window holding `floor` of its arrivals (default: 10 points under the target), then windows
    /// grow a snap step at a time, each step where it buys the most coverage, until the mean reaches
    /// the target or no window may grow (the width cap). A stop that is easy to predict gets a narrow,
    /// safe window; one that is hard gets what the cap allows, never less than the floor where the cap
    /// allows that.
    public static func promisedWindows(_ stops: [ArrivalDistribution], policy: WindowPolicy,
                                       floor: Double? = nil) -> [PromisedWindow] {
        var start = policy
        start.coverage = min(policy.coverage, max(0.01, floor ?? policy.coverage - 0.1))
        var windows = stops.map { $0.promisedWindow(policy: start) }
        let target = policy.coverage * Double(windows.count)
        var total = windows.reduce(0) { $0 + $1.coverage }
        // Each stop's best next step, recomputed only for the stop that grew.
        func step(_ i: Int) -> (window: PromisedWindow, gain: Double)? {
            let w = windows[i]
            guard w.width + policy.snap <= policy.maxWidth else { return nil }
            let earlier = stops[i].coverage(start: w.start - policy.snap, end: w.end)
            let later = stops[i].coverage(start: w.start, end: w.end + policy.snap)
            let grown = earlier > later ? PromisedWindow(start: w.start - policy.snap, end: w.end, coverage: earlier)
                                        : PromisedWindow(start: w.start, end: w.end + policy.snap, coverage: later)
            return grown.coverage > w.coverage ? (grown, grown.coverage - w.coverage) : nil
        }
        var steps = windows.indices.map(step)
        while total < target - 1e-9 {
            var best = -1, gain = 0.0
            for (i, s) in steps.enumerated() where (s?.gain ?? 0) > gain { best = i; gain = s?.gain ?? 0 }
            guard best >= 0, let grown = steps[best] else { break }
            windows[best] = grown.window
            total += gain
            steps[best] = step(best)
        }
        return windows
    }

    /// The narrowest snapped window holding at least `policy.coverage` of the samples (widened at its
    /// end to `policy.minWidth`), or, when that is wider than `policy.maxWidth`, the `maxWidth`
    /// window holding the most samples.
    public func promisedWindow(policy: WindowPolicy) -> PromisedWindow {
        let n = samples.count
        let need = max(1, Int((policy.coverage * Double(n)).rounded(.up)))
        // Shortest raw interval containing `need` consecutive samples.
        var bestStart = samples[0], bestEnd = samples[need - 1]
        for i in 0...(n - need) where samples[i + need - 1] - samples[i] < bestEnd - bestStart {
            bestStart = samples[i]; bestEnd = samples[i + need - 1]
        }
        let start = floorSnap(bestStart, policy.snap)
        let end = max(ceilSnap(bestEnd, policy.snap), ceilSnap(start + policy.minWidth, policy.snap))
        if end - start <= policy.maxWidth {
            return PromisedWindow(start: start, end: end, coverage: coverage(start: start, end: end))
        }
        // Too wide: slide a maxWidth window over snapped starts and keep the one covering most.
        var best = PromisedWindow(start: start, end: start + policy.maxWidth, coverage: -1)
        var s = start
        while s + policy.maxWidth <= end {
            let c = coverage(start: s, end: s + policy.maxWidth)
            if c > best.coverage { best = PromisedWindow(start: s, end: s + policy.maxWidth, coverage: c) }
            s += policy.snap
        }
        return best
    }

    /// The window to promise when an early technician waits for it to open, so that only a late start
    /// breaks it: it ends at the `policy.coverage` quantile, opens at the opposite one (the
    /// technician waits on the earliest `1 − coverage` of days), `minWidth` to `maxWidth` wide; too
    /// narrow, it ends later; capped, it keeps its end and opens later. `coverage` is the share of
    /// starts at or before the end (those before the opening wait for it).
    ///
    /// With `opens` and `closes` (the allowed window), the promise lies inside it: it opens no earlier
    /// than `opens` and ends no later than `closes` (cut there; a narrow result opens earlier, down to
    /// `opens`, rather than end past it).
    public func promise(policy: WindowPolicy, within opens: Int64? = nil, _ closes: Int64? = nil) -> PromisedWindow {
        var end = ceilSnap(quantile(policy.coverage), policy.snap)
        var start = floorSnap(quantile(1 - policy.coverage), policy.snap)
        // Too narrow: later end (never an opening before the starts, e.g. before the job's window).
        if end - start < policy.minWidth { end = ceilSnap(start + policy.minWidth, policy.snap) }
        if end - start > policy.maxWidth { start = floorSnap(end - policy.maxWidth, policy.snap) }
        if let closes, end > closes {
            end = closes
            start = min(start, floorSnap(end - policy.minWidth, policy.snap))
        }
        if let opens { start = max(start, opens) }
        start = min(start, end)
        return PromisedWindow(start: start, end: end, coverage: Double(firstIndex(after: end)) / Double(samples.count))
    }

    private func floorSnap(_ t: Int64, _ step: Int64) -> Int64 { t - ((t % step) + step) % step }
    private func ceilSnap(_ t: Int64, _ step: Int64) -> Int64 { -floorSnap(-t, step) }
}

/// A window promised to a customer, Unix seconds UTC, with the share of simulated arrivals inside it.
public struct PromisedWindow: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    public var coverage: Double
    public var width: Int64 { end - start }
}
