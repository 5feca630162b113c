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
    /// simulated demo day; the uncertainty an hour out spans several legs and visits.)
    public var policy: WindowPolicy {
        switch self {
        case .nightBefore, .startOfDay: .nightBefore
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
        guard samples > 0 else { throw .noSamples }
        var perStop = [[Int64]](repeating: [], count: stops.count)
        for k in perStop.indices { perStop[k].reserveCapacity(samples) }
        for _ in 0..<samples {
            let day = logNormal(daySigma, &rng)
            var t: Double
            switch progress {
            case let .notStarted(departure): t = Double(max(departure, now))
            case let .onSite(since, service, sigma):
                // `since` may lie ahead: on site early, waiting for the window to open.
                let elapsed = Double(max(0, now - since)), s = sigma ?? serviceSigma
                var total = Double(service) * logNormal(s, &rng)
                // Condition on having lasted `elapsed` already: redraw a few times, else a short tail.
                var tries = 0
                while total < elapsed, tries < 8 { total = Double(service) * logNormal(s, &rng); tries += 1 }
                t = Double(max(now, since)) + max(total - elapsed, min(300, Double(service) * 0.1))
            case let .driving(leg, fraction):
                t = Double(now) + Double(leg) * max(0, 1 - fraction) * day * logNormal(travelSigma, &rng)
            }
            for (k, stop) in stops.enumerated() {
                if k > 0 || !isDriving(progress) { t += Double(stop.travel) * day * logNormal(travelSigma, &rng) }
                t = max(t, Double(stop.earliestStart))
                perStop[k].append(Int64(t.rounded()))
                t += Double(stop.service) * logNormal(stop.serviceSigma ?? serviceSigma, &rng)
            }
        }
        var result: [ArrivalDistribution] = []
        for samples in perStop { result.append(try ArrivalDistribution(samples: samples)) }
        return result
    }

    private func isDriving(_ p: LiveProgress) -> Bool { if case .driving = p { true } else { false } }
}
