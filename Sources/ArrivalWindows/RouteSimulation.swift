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
    /// When the allowed window closes: a promise never runs past it. Nil: open.
    public var latestStart: Int64?

    public init(travel: Int64, service: Int64, earliestStart: Int64, serviceSigma: Double? = nil, latestStart: Int64? = nil) {
        self.travel = travel; self.service = service; self.earliestStart = earliestStart; self.serviceSigma = serviceSigma
        self.latestStart = latestStart
    }
}

/// A share of legs or visits that take `factor` times as long on top of their log-normal spread:
/// the jam, the closed street, the boiler that turns out to need a part. A log-normal alone fitted to
/// the everyday spread puts too little weight out there, and the 90 % windows of the stops after
/// such a leg miss.
public struct HeavyTail: Sendable, Equatable, Codable {
    /// In [0, 1).
    public var share: Double
    /// At least 1.
    public var factor: Double

    public init(share: Double, factor: Double) { self.share = share; self.factor = factor }

    public static let none = HeavyTail(share: 0, factor: 1)

    /// `multiplier`, times `factor` with probability `share`.
    func apply<G: RandomNumberGenerator>(_ multiplier: Double, _ rng: inout G) -> Double {
        guard share > 0 else { return multiplier }
        return Double(rng.next() >> 11) * 0x1.0p-53 < share ? multiplier * factor : multiplier
    }
}

/// How far reality strays from the plan. Multipliers are log-normal with mean 1 (heavy right tail):
/// one per leg, one per job, and one per route and day shared by all its legs (a slow day is slow
/// everywhere); on top, a share of slow legs and of overrunning visits (``HeavyTail``).
public struct UncertaintyModel: Sendable, Equatable {
    /// σ of the log of each leg's travel-time multiplier.
    public var travelSigma: Double
    /// σ of the log of each job's service-time multiplier.
    public var serviceSigma: Double
    /// σ of the log of the day factor on all travel.
    public var daySigma: Double
    /// Legs that take several times as long.
    public var slowLegs: HeavyTail
    /// Visits that overrun by a factor.
    public var overruns: HeavyTail
    /// Monte Carlo samples per route. The narrowest window holding 90 % of its own samples is a little
    /// optimistic about fresh days: cut from 400, the demo's night-before windows kept 89.3 % over 30
    /// simulated days; from 1 600, 90.1 %.
    public var samples: Int

    public init(travelSigma: Double = 0.25, serviceSigma: Double = 0.3, daySigma: Double = 0.1,
                slowLegs: HeavyTail = .none, overruns: HeavyTail = .none, samples: Int = 1_600) {
        self.travelSigma = travelSigma; self.serviceSigma = serviceSigma; self.daySigma = daySigma
        self.slowLegs = slowLegs; self.overruns = overruns; self.samples = samples
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
