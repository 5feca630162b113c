#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A spread fitted from history: the σ of the everyday log-normal part and the heavy tail on top.
public struct SpreadFit: Sendable, Equatable {
    public var sigma: Double
    public var tail: HeavyTail
    /// Observations fitted.
    public var count: Int
}

/// Fits log ratios (log(actual / planned)) as a mixture of two normals with one σ: the everyday
/// spread around μ, and a `share` of them shifted by log(`factor`) (the slow legs, the overruns).
/// Expectation–maximisation from `prior`; a plain σ would read the tail as a wider everyday spread
/// and widen every window instead of the few that need it. The tail's factor is fitted only when
/// the prior expects at least 30 tail events among the values; with fewer, it stays the prior's and
/// only the share and σ are fitted (five overruns cannot tell 1.5× from 2×). Returns nil for fewer
/// than 2 values.
///
///     let fit = fitSpread(logs, prior: HeavyTail(share: 0.05, factor: 2))  // σ ≈ 0.25, tail 5 % × 2
public func fitSpread(_ logs: [Double], prior: HeavyTail, iterations: Int = 200) -> SpreadFit? {
    let n = logs.count
    guard n >= 2 else { return nil }
    let sorted = logs.sorted()
    var mu = sorted[n / 2]
    var deviations = sorted.map { abs($0 - mu) }
    deviations.sort()
    // Median absolute deviation: the everyday σ, untouched by a few huge values.
    var sigma = max(1.4826 * deviations[n / 2], 0.01)
    var share = prior.share > 0 ? prior.share : 0.05
    let fitFactor = Double(n) * prior.share >= 30 || prior.factor <= 1
    var shift = log(prior.factor > 1 ? prior.factor : 2)
    var weights = [Double](repeating: 0, count: n)
    for _ in 0..<iterations {
        // E: the chance each value belongs to the tail.
        let a = (1 - share), b = share
        for (i, x) in logs.enumerated() {
            let z0 = (x - mu) / sigma, z1 = (x - mu - shift) / sigma
            let core = a * exp(-z0 * z0 / 2), tail = b * exp(-z1 * z1 / 2)
            weights[i] = core + tail > 0 ? tail / (core + tail) : (z1 * z1 < z0 * z0 ? 1 : 0)
        }
        // M: share, the two means (the tail's never below the core's), one σ.
        let tailWeight = weights.reduce(0, +)
        share = min(tailWeight / Double(n), 0.49)
        var coreSum = 0.0, tailSum = 0.0
        for (x, w) in zip(logs, weights) { coreSum += (1 - w) * x; tailSum += w * x }
        mu = coreSum / max(Double(n) - tailWeight, 1e-9)
        if fitFactor { shift = tailWeight > 1e-9 ? max(0, tailSum / tailWeight - mu) : 0 }
        var ss = 0.0
        for (x, w) in zip(logs, weights) {
            ss += (1 - w) * (x - mu) * (x - mu) + w * (x - mu - shift) * (x - mu - shift)
        }
        sigma = max((ss / Double(n)).squareRoot(), 0.01)
        if share < 1e-4 || shift < 1e-3 { break }
    }
    // A tail that sits inside the everyday spread is the everyday spread.
    let tail = share >= 1e-3 && shift >= sigma ? HeavyTail(share: share, factor: exp(shift)) : .none
    return SpreadFit(sigma: sigma, tail: tail, count: n)
}
