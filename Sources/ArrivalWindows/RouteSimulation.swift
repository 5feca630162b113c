#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One stop of a technician's route as the windows module sees it: the drive to it, the time on
/// site, and the earliest allowed start (a technician never starts early). Seconds; instants are
/// Unix seconds, UTC.
public struct RouteStop: Sendable, Equatable {
    public var travel: Int64
    public var service: Int64
    public var earliestStart: Int64
    /// σ of this job's service multiplier (its job type's); nil: the model's.
    public var serviceSigma: Double?

    public init(travel: Int64, service: Int64, earliestStart: Int64, serviceSigma: Double? = nil) {
        self.travel = travel; self.service = service; self.earliestStart = earliestStart; self.serviceSigma = serviceSigma
    }
}

/// How far reality strays from the plan. Multipliers are log-normal with mean 1 (heavy right tail):
/// one per leg, one per job, and one per route and day shared by all its legs (a slow day is slow
/// everywhere).
public struct UncertaintyModel: Sendable, Equatable {
    /// σ of the log of each leg's travel-time multiplier.
    public var travelSigma: Double
    /// σ of the log of each job's service-time multiplier.
    public var serviceSigma: Double
    /// σ of the log of the day factor on all travel.
    public var daySigma: Double
    /// Monte Carlo samples per route.
    public var samples: Int

    public init(travelSigma: Double = 0.25, serviceSigma: Double = 0.3, daySigma: Double = 0.1, samples: Int = 400) {
        self.travelSigma = travelSigma; self.serviceSigma = serviceSigma; self.daySigma = daySigma
        self.samples = samples
    }

    /// Simulates the route from `departure` and returns each stop's service-start distribution.
    ///
    ///     var rng = SomeSeededGenerator(seed: 7)
    ///     let starts = try model.serviceStarts(departure: shiftStart, stops: stops, using: &rng)
    ///     let window = starts[0].promisedWindow(policy: .nightBefore)
    public func serviceStarts<G: RandomNumberGenerator>(departure: Int64, stops: [RouteStop],
                                                        using rng: inout G) throws(WindowError) -> [ArrivalDistribution] {
        // The night before is the live estimate of a technician who has not left yet.
        try remainingStarts(now: departure, progress: .notStarted(departure: departure), stops: stops, using: &rng)
    }

    func logNormal<G: RandomNumberGenerator>(_ sigma: Double, _ rng: inout G) -> Double { logNormalMultiplier(sigma, using: &rng) }
}

/// A log-normal multiplier with mean 1: exp(σZ − σ²/2).
public func logNormalMultiplier<G: RandomNumberGenerator>(_ sigma: Double, using rng: inout G) -> Double {
    guard sigma > 0 else { return 1 }
    return exp(sigma * standardNormal(using: &rng) - sigma * sigma / 2)
}

/// A standard normal sample (Box–Muller); `u1` lies in (0, 1] so the log is finite. Uniforms are
/// taken straight from 53 bits of `next()`: the generic `Double.random(in:using:)` costs ten times
/// as much across module boundaries, and the Monte Carlo draws thousands per route.
public func standardNormal<G: RandomNumberGenerator>(using rng: inout G) -> Double {
    let u1 = 1 - Double(rng.next() >> 11) * 0x1.0p-53, u2 = Double(rng.next() >> 11) * 0x1.0p-53
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}
