#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a technician stands at `now`, for re-estimating the rest of the route.
public enum LiveProgress: Sendable, Equatable {
    /// Not left yet: leaves at `departure` (the shift start, or later).
    case notStarted(departure: Int64)
    /// On site, service begun (or beginning, when waiting for the window) at `since`, for a job
    /// planned to last `service` seconds (with its job type's σ, or the model's).
    case onSite(since: Int64, service: Int64, sigma: Double? = nil)
    /// Driving to the next stop: `fractionDone` of a leg planned at `leg` seconds.
    case driving(leg: Int64, fractionDone: Double)
}

/// The horizons at which windows are told and measured.
public enum Horizon: String, Sendable, Codable, CaseIterable {
    case nightBefore = "night_before"
    case startOfDay = "start_of_day"
    case hourBefore = "hour_before"
    case enRoute = "en_route"

    /// The widest window worth telling at this horizon: an hour until the technician is on the way,
    /// then 20 minutes. (Capping the hour-ahead window at 30 minutes kept only 75 % of arrivals on the
    /// simulated demo day; the uncertainty an hour out spans several legs and visits.) At the start of
    /// the day the route's windows aim at 93 %: at 90 % they kept 89.4 % of 30 simulated demo days with
    /// a learned model (`Benchmarks/window_quality.py`); the night before is a promise the technician
    /// waits for (``ArrivalDistribution/promise(policy:)``), which needs no such margin.
    public var policy: WindowPolicy {
        switch self {
        case .nightBefore: .nightBefore
        case .startOfDay: (try? WindowPolicy(coverage: 0.93, maxWidth: 3_600, snap: 300, minWidth: 600)) ?? .nightBefore
        case .hourBefore: (try? WindowPolicy(coverage: 0.97, maxWidth: 3_600, snap: 300, minWidth: 600)) ?? .nightBefore
        case .enRoute: (try? WindowPolicy(coverage: 0.9, maxWidth: 1_200, snap: 300, minWidth: 600)) ?? .nightBefore
        }
    }
}

extension UncertaintyModel {
    /// Service-start distributions of the remaining `stops` given the technician's `progress` at `now`.
    /// On site, the visit has already lasted `now − since`: its remaining time is drawn conditionally
    /// (a job that has overrun is expected to overrun further). Driving, only the rest of the leg is
    /// left. Stops keep their earliest starts (a technician never starts early), so windows narrow as
    /// the horizon shortens.
    public func remainingStarts<G: RandomNumberGenerator>(now: Int64, progress: LiveProgress, stops: [RouteStop],
                                                         using rng: inout G) throws(WindowError) -> [ArrivalDistribution] {
        try simulate(now: now, progress: progress, stops: stops, using: &rng) { _, _ in nil }
    }

    /// Promised windows for a route not yet started, made so that the technician keeps them: an
    /// early technician waits for the promised window to open (as for the job's own window), so
    /// only a late arrival breaks a promise. Each stop's window ends at the `policy.coverage`
    /// quantile of its start and opens at the opposite quantile (at 90 %: waits on 1 day in 10),
    /// `policy.minWidth` to `policy.maxWidth` wide; where the spread is wider than the cap, the
    /// window opens later and the technician waits more rather than arriving late more. Each stop's
    /// wait is part of the simulated route, so later stops see it. A promise lies inside the allowed
    /// window: it opens no earlier than `earliestStart` and is cut at `latestStart`, never pushed past it.
    ///
    ///     let windows = try model.promises(departure: shiftStart, stops: stops, policy: .nightBefore, using: &rng)
    public func promises<G: RandomNumberGenerator>(departure: Int64, stops: [RouteStop], policy: WindowPolicy,
                                                   using rng: inout G) throws(WindowError) -> [PromisedWindow] {
        var windows: [PromisedWindow] = []
        _ = try simulate(now: departure, progress: .notStarted(departure: departure), stops: stops, using: &rng) { k, starts in
            let window = starts.promise(policy: policy, within: stops[k].earliestStart, stops[k].latestStart)
            windows.append(window)
            return window.start
        }
        return windows
    }

    /// The Monte Carlo, one stop at a time over all sampled days: after each stop's starts are known,
    /// `waitUntil(k, starts)` may name an instant the technician waits for before starting stop `k`.
    private func simulate<G: RandomNumberGenerator>(now: Int64, progress: LiveProgress, stops: [RouteStop], using rng: inout G,
                                                    waitUntil: (Int, ArrivalDistribution) -> Int64?) throws(WindowError)
        -> [ArrivalDistribution] {
        guard samples > 0 else { throw .noSamples }
        var day = [Double](repeating: 1, count: samples), t = [Double](repeating: 0, count: samples)
        for i in 0..<samples {
            day[i] = logNormal(daySigma, &rng)
            switch progress {
            case let .notStarted(departure): t[i] = Double(max(departure, now))
            case let .onSite(since, service, sigma):
                // `since` may lie ahead: on site early, waiting for the window to open.
                let elapsed = Double(max(0, now - since)), s = sigma ?? serviceSigma
                var total = Double(service) * overruns.apply(logNormal(s, &rng), &rng)
                // Condition on having lasted `elapsed` already: redraw a few times, else a short tail.
                var tries = 0
                while total < elapsed, tries < 8 { total = Double(service) * overruns.apply(logNormal(s, &rng), &rng); tries += 1 }
                t[i] = Double(max(now, since)) + max(total - elapsed, min(300, Double(service) * 0.1))
            case let .driving(leg, fraction):
                t[i] = Double(now) + Double(leg) * max(0, 1 - fraction) * day[i] * slowLegs.apply(logNormal(travelSigma, &rng), &rng)
            }
        }
        var result: [ArrivalDistribution] = []
        result.reserveCapacity(stops.count)
        var starts = [Int64](repeating: 0, count: samples)
        for (k, stop) in stops.enumerated() {
            let drives = k > 0 || !isDriving(progress)
            for i in 0..<samples {
                if drives { t[i] += Double(stop.travel) * day[i] * slowLegs.apply(logNormal(travelSigma, &rng), &rng) }
                t[i] = max(t[i], Double(stop.earliestStart))
                starts[i] = Int64(t[i].rounded())
            }
            var distribution = try ArrivalDistribution(samples: starts)
            if let wait = waitUntil(k, distribution) {
                for i in 0..<samples { t[i] = max(t[i], Double(wait)) }
                distribution = distribution.raised(to: wait)
            }
            result.append(distribution)
            let sigma = stop.serviceSigma ?? serviceSigma
            for i in 0..<samples { t[i] += Double(stop.service) * overruns.apply(logNormal(sigma, &rng), &rng) }
        }
        return result
    }

    private func isDriving(_ p: LiveProgress) -> Bool { if case .driving = p { true } else { false } }
}
