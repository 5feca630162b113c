import ArrivalWindows
import Foundation
import Testing

/// SplitMix64: a seeded generator for this target's tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct SpreadFitTests {
    /// Log ratios of a log-normal spread σ with `share` of them `factor` times as long.
    private func logs(_ n: Int, sigma: Double, share: Double, factor: Double, seed: UInt64) -> [Double] {
        var rng = SplitMix(state: seed)
        return (0..<n).map { _ in
            let m = HeavyTail(share: share, factor: factor)
            let tail = Double(rng.next() >> 11) * 0x1.0p-53 < m.share ? log(m.factor) : 0
            return log(logNormalMultiplier(sigma, using: &rng)) + tail
        }
    }

    @Test func recoversTheEverydaySpreadAndTheTail() throws {
        let fit = try #require(fitSpread(logs(5_000, sigma: 0.25, share: 0.05, factor: 2, seed: 1), prior: HeavyTail(share: 0.1, factor: 1.5)))
        #expect(abs(fit.sigma - 0.25) < 0.02, "σ \(fit.sigma)")
        #expect(abs(fit.tail.share - 0.05) < 0.015, "share \(fit.tail.share)")
        #expect(abs(fit.tail.factor - 2) < 0.2, "factor \(fit.tail.factor)")
        #expect(fit.count == 5_000)
    }

    @Test func aPlainLogNormalHasNoTailWorthTheName() throws {
        let fit = try #require(fitSpread(logs(5_000, sigma: 0.3, share: 0, factor: 1, seed: 2), prior: HeavyTail(share: 0.05, factor: 2)))
        #expect(abs(fit.sigma - 0.3) < 0.03, "σ \(fit.sigma)")
        // Whatever tail is left moves less than a twentieth of the mass by less than 2×.
        #expect(fit.tail.share < 0.05 && fit.tail.factor < 2, "\(fit.tail)")
    }

    @Test func aFewTailEventsKeepThePriorsFactor() throws {
        // 200 values, 10 expected tail events: the factor stays the prior's, the share is fitted.
        let fit = try #require(fitSpread(logs(200, sigma: 0.25, share: 0.05, factor: 3, seed: 4), prior: HeavyTail(share: 0.05, factor: 2)))
        #expect(abs(fit.tail.factor - 2) < 1e-9 || fit.tail == .none, "\(fit.tail)")
        #expect(abs(fit.sigma - 0.25) < 0.06, "σ \(fit.sigma)")
    }

    @Test func needsTwoValues() {
        #expect(fitSpread([0.1], prior: .none) == nil)
    }

    @Test func theModelDrawsItsTail() throws {
        // No everyday spread: every leg takes 600 s or, for half of them, 1 200 s.
        var rng = SplitMix(state: 3)
        let model = UncertaintyModel(travelSigma: 0, serviceSigma: 0, daySigma: 0, slowLegs: HeavyTail(share: 0.5, factor: 2), samples: 2_000)
        let starts = try model.serviceStarts(departure: 0, stops: [RouteStop(travel: 600, service: 0, earliestStart: 0)], using: &rng)
        #expect(Set(starts[0].samples) == [600, 1_200])
        #expect(abs(starts[0].coverage(start: 0, end: 600) - 0.5) < 0.05)
    }
}

@Suite struct RouteWindowTests {
    /// A route of one easy stop (arrivals spread over 20 minutes) and one hard one (over 3 hours).
    private func route() throws -> [ArrivalDistribution] {
        let easy = (0..<1_000).map { Int64(36_000 + $0 * 12 / 10) }
        let hard = (0..<1_000).map { Int64(43_200 + $0 * 108 / 10) }
        return [try ArrivalDistribution(samples: easy), try ArrivalDistribution(samples: hard)]
    }

    @Test func theRouteKeepsTheTargetOnAverageWhereEachStopAloneCannot() throws {
        let stops = try route()
        let alone = stops.map { $0.promisedWindow(policy: .nightBefore) }
        // The hard stop's 60-minute cap holds a third of its arrivals: alone, the route keeps 67 %.
        #expect(alone[1].width == 3_600 && abs(alone[1].coverage - 1.0 / 3.0) < 0.01)
        let windows = ArrivalDistribution.promisedWindows(stops, policy: .nightBefore)
        #expect(windows.allSatisfy { $0.width <= 3_600 && $0.start % 300 == 0 && $0.end % 300 == 0 })
        // The easy stop takes all its arrivals; the hard one cannot do better than the cap.
        #expect(windows[0].coverage == 1 && windows[1].width == 3_600)
        for (w, d) in zip(windows, stops) { #expect(w.coverage == d.coverage(start: w.start, end: w.end)) }
    }

    @Test func reachesTheTargetWithLessWidthThanEveryStopAtTheTarget() throws {
        // Two stops that can both reach 90 %: the route's mean is met, for no more total width.
        let a = try ArrivalDistribution(samples: (0..<1_000).map { Int64(36_000 + $0 * 24 / 10) })   // 40 min uniform
        var tight = (0..<950).map { Int64(43_200 + $0 / 2) }                                        // 95 % within 8 min
        tight += (0..<50).map { Int64(45_000 + $0 * 36) }                                             // 5 % spread later
        let b = try ArrivalDistribution(samples: tight)
        let each = [a, b].map { $0.promisedWindow(policy: .nightBefore) }
        let shared = ArrivalDistribution.promisedWindows([a, b], policy: .nightBefore)
        #expect((shared[0].coverage + shared[1].coverage) / 2 >= 0.9)
        #expect(shared.allSatisfy { $0.coverage >= 0.8 })
        #expect(shared.reduce(0) { $0 + $1.width } <= each.reduce(0) { $0 + $1.width })
    }
}
