import ArrivalWindows

/// The region's model of how far reality strays from the plan (log-normal multipliers, σ of the
/// log): written by `fieldroute learn` from planned-versus-actual history, used by plans, dispatch
/// and live windows. Defaults are the priors used when history is thin.
public struct UncertaintySettings: RegionSetting {
    public static let key = "uncertainty"
    public var travelSigma: Double = 0.25
    public var serviceSigma: Double = 0.3
    public var daySigma: Double = 0.1
    /// Share of legs that take `factor` times as long (prior: 1 in 20 legs twice as long).
    public var slowLegs = HeavyTail(share: 0.05, factor: 2)
    /// Share of visits that overrun by `factor` (prior: 1 in 20 visits 80 % longer).
    public var overruns = HeavyTail(share: 0.05, factor: 1.8)
    /// Service σ by job type (a visit's first required skill, "general" without one), where history
    /// had at least 20 visits of the type; other types use `serviceSigma`.
    public var serviceSigmaByJobType: [String: Double] = [:]
    /// Drives leaving at a local hour (0–23) take this many times the planned time, against the
    /// day's average (rush hour), where history had at least 20 drives leaving in that hour.
    public var travelFactorByHour: [Int: Double] = [:]
    /// Legs and visits the last `learn` fitted on (0: priors only).
    public var legs: Int = 0
    public var visits: Int = 0

    public init() {}

    /// Fields missing from a stored value (saved before they existed) keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = UncertaintySettings()
        travelSigma = try c.decodeIfPresent(Double.self, forKey: .travelSigma) ?? d.travelSigma
        serviceSigma = try c.decodeIfPresent(Double.self, forKey: .serviceSigma) ?? d.serviceSigma
        daySigma = try c.decodeIfPresent(Double.self, forKey: .daySigma) ?? d.daySigma
        slowLegs = try c.decodeIfPresent(HeavyTail.self, forKey: .slowLegs) ?? d.slowLegs
        overruns = try c.decodeIfPresent(HeavyTail.self, forKey: .overruns) ?? d.overruns
        serviceSigmaByJobType = try c.decodeIfPresent([String: Double].self, forKey: .serviceSigmaByJobType) ?? [:]
        travelFactorByHour = try c.decodeIfPresent([Int: Double].self, forKey: .travelFactorByHour) ?? [:]
        legs = try c.decodeIfPresent(Int.self, forKey: .legs) ?? 0
        visits = try c.decodeIfPresent(Int.self, forKey: .visits) ?? 0
    }

    public func validate() throws(FieldRouteError) {
        for (name, v) in [("travelSigma", travelSigma), ("serviceSigma", serviceSigma), ("daySigma", daySigma)]
        where !(0...2).contains(v) {
            throw .badInput("uncertainty.\(name) must be 0–2, got \(v)")
        }
        for (name, tail) in [("slowLegs", slowLegs), ("overruns", overruns)]
        where !(0..<0.5).contains(tail.share) || !(1...5).contains(tail.factor) {
            throw .badInput("uncertainty.\(name) needs share in [0, 0.5) and factor in 1–5, got \(tail.share) and \(tail.factor)")
        }
        for (hour, v) in travelFactorByHour where !(0...23).contains(hour) || !(0.5...3).contains(v) {
            throw .badInput("uncertainty.travelFactorByHour needs hours 0–23 and factors 0.5–3, got \(hour): \(v)")
        }
        for (type, v) in serviceSigmaByJobType where !(0...2).contains(v) {
            throw .badInput("uncertainty.serviceSigmaByJobType.\(type) must be 0–2, got \(v)")
        }
    }

    public var model: UncertaintyModel {
        UncertaintyModel(travelSigma: travelSigma, serviceSigma: serviceSigma, daySigma: daySigma, slowLegs: slowLegs, overruns: overruns)
    }

    /// The multiplier learnt for a drive leaving at `instant` (1 where its hour has none).
    func travelFactor(leaving instant: Int64, clock: RegionClock) -> Double {
        travelFactorByHour[clock.minuteOfDay(instant) / 60] ?? 1
    }

    /// The job type of a visit: its first required skill, or "general".
    static func jobType(_ skills: [String]) -> String { skills.first ?? "general" }

    /// The service σ for a visit needing `skills`, when its type has its own.
    func serviceSigma(for skills: [String]) -> Double? { serviceSigmaByJobType[Self.jobType(skills)] }
}
