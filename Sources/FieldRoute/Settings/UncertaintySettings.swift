import ArrivalWindows

/// The region's model of how far reality strays from the plan (log-normal multipliers, σ of the
/// log): written by `fieldroute learn` from planned-versus-actual history, used by plans, dispatch
/// and live windows. Defaults are the priors used when history is thin.
public struct UncertaintySettings: RegionSetting {
    public static let key = "uncertainty"
    public var travelSigma: Double = 0.25
    public var serviceSigma: Double = 0.3
    public var daySigma: Double = 0.1
    /// Service σ by job type (a visit's first required skill, "general" without one), where history
    /// had at least 20 visits of the type; other types use `serviceSigma`.
    public var serviceSigmaByJobType: [String: Double] = [:]
    /// Legs and visits the last `learn` fitted on (0: priors only).
    public var legs: Int = 0
    public var visits: Int = 0

    public init() {}

    public func validate() throws(FieldRouteError) {
        for (name, v) in [("travelSigma", travelSigma), ("serviceSigma", serviceSigma), ("daySigma", daySigma)]
        where !(0...2).contains(v) {
            throw .badInput("uncertainty.\(name) must be 0–2, got \(v)")
        }
        for (type, v) in serviceSigmaByJobType where !(0...2).contains(v) {
            throw .badInput("uncertainty.serviceSigmaByJobType.\(type) must be 0–2, got \(v)")
        }
    }

    public var model: UncertaintyModel { UncertaintyModel(travelSigma: travelSigma, serviceSigma: serviceSigma, daySigma: daySigma) }

    /// The job type of a visit: its first required skill, or "general".
    static func jobType(_ skills: [String]) -> String { skills.first ?? "general" }

    /// The service σ for a visit needing `skills`, when its type has its own.
    func serviceSigma(for skills: [String]) -> Double? { serviceSigmaByJobType[Self.jobType(skills)] }
}
