/// The distribution of one stop's arrival time (Unix seconds, UTC), held as sorted samples.
///
///     let arrivals = try ArrivalDistribution(samples: simulated)
///     let window = arrivals.promisedWindow(policy: .nightBefore)  // e.g. 10:15–10:45
public struct ArrivalDistribution: Sendable, Equatable {
    /// Sorted ascending.
    public let samples: [Int64]

    public init(samples: [Int64]) throws(WindowError) {
        guard !samples.isEmpty else { throw .noSamples }
        self.samples = samples.sorted()
    }

    /// The `q`-quantile, `q` in [0, 1] (nearest rank).
    public func quantile(_ q: Double) -> Int64 {
        let rank = Int((q * Double(samples.count - 1)).rounded())
        return samples[min(max(rank, 0), samples.count - 1)]
    }

    /// Share of samples inside `[start, end]`.
    public func coverage(start: Int64, end: Int64) -> Double {
        let inside = samples.lazy.filter { $0 >= start && $0 <= end }.count
        return Double(inside) / Double(samples.count)
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
