import Foundation

/// The world a simulated day happens in, apart from the model the plan and the live estimates use
/// (the region's `uncertainty` setting): grading promises in the model's own world only grades the
/// model on its own assumptions. `fieldroute simulate --world FILE.json` reads one (any fields; the
/// rest keep these defaults, which equal the planner's priors).
///
/// Travel and service times are the plan's times times log-normal multipliers (mean 1): one per day
/// shared by all legs (`daySigma`), one per leg, one per visit. On top, a heavy tail: `slowLegShare`
/// of legs take `slowLegFactor` times as long (a jam, a closed street) and `overrunShare` of visits
/// last `overrunFactor` times as long; legs leaving in an hour of `travelFactorByHour` (local, 0–23)
/// take that factor times as long (rush hour). Each technician leaves `startOffsetMeanMinutes` ±
/// `startOffsetSigmaMinutes` (normal, per day) after the planned departure (negative: early). A
/// technician never starts service before the allowed window nor before the promised one (waits on
/// site). GPS: a fix every `minInterval`–`maxInterval` s with Gaussian noise of `gpsNoise` metres,
/// and a `gapChance` per fix of losing signal for `shortestGap`–`longestGap` seconds.
public struct SimulationWorld: ValidatedJSON {
    public var travelSigma = 0.25
    public var serviceSigma = 0.3
    public var daySigma = 0.1
    public var slowLegShare = 0.05
    public var slowLegFactor = 2.0
    public var overrunShare = 0.05
    public var overrunFactor = 1.8
    /// Local hour (0–23) → travel time factor of legs leaving in it; hours not listed: 1.
    public var travelFactorByHour: [Int: Double] = [:]
    public var startOffsetMeanMinutes = 0.0
    public var startOffsetSigmaMinutes = 0.0
    public var minInterval: Int64 = 5
    public var maxInterval: Int64 = 30
    public var gpsNoise = 8.0
    public var gapChance = 0.01
    public var shortestGap: Int64 = 60
    public var longestGap: Int64 = 300

    public init() {}

    /// A world from the JSON object `json` (of file `name`, for errors): the fields it names over the defaults.
    public static func parse(_ json: String, name: String) throws(FieldRouteError) -> SimulationWorld {
        do { return try Engine.patched(SimulationWorld.self, current: Engine.prettyJSON(SimulationWorld()), patch: json, label: "world \(name)") }
        catch .badInput(let message) where message.hasPrefix("world: ") {
            throw .badInput("world \(name): " + message.dropFirst("world: ".count))
        }
    }

    /// A world from a JSON file (at most 1 MB).
    public static func read(path: String) throws(FieldRouteError) -> SimulationWorld {
        guard let data = FileManager.default.contents(atPath: path) else { throw .badInput("world \(path): cannot read the file") }
        guard data.count <= 1_000_000, let text = String(data: data, encoding: .utf8) else {
            throw .badInput("world \(path): not a JSON object of at most 1 MB in UTF-8")
        }
        return try parse(text, name: path)
    }

    public func validate() throws(FieldRouteError) {
        func check(_ field: String, _ value: Double, _ range: ClosedRange<Double>) throws(FieldRouteError) {
            guard range.contains(value) else {
                throw .badInput("world: \(field) must be \(range.lowerBound)…\(range.upperBound), got \(value)")
            }
        }
        try check("travelSigma", travelSigma, 0...2)
        try check("serviceSigma", serviceSigma, 0...2)
        try check("daySigma", daySigma, 0...1)
        try check("slowLegShare", slowLegShare, 0...0.9)
        try check("slowLegFactor", slowLegFactor, 1...10)
        try check("overrunShare", overrunShare, 0...0.9)
        try check("overrunFactor", overrunFactor, 1...10)
        for (hour, factor) in travelFactorByHour.sorted(by: { $0.key < $1.key }) {
            guard (0...23).contains(hour) else { throw .badInput("world: travelFactorByHour wants hours 0–23, got \(hour)") }
            try check("travelFactorByHour.\(hour)", factor, 0.2...5)
        }
        try check("startOffsetMeanMinutes", startOffsetMeanMinutes, -240...240)
        try check("startOffsetSigmaMinutes", startOffsetSigmaMinutes, 0...240)
        try check("minInterval", Double(minInterval), 1...3_600)
        try check("maxInterval", Double(maxInterval), Double(minInterval)...3_600)
        try check("gpsNoise", gpsNoise, 0...500)
        try check("gapChance", gapChance, 0...0.5)
        try check("shortestGap", Double(shortestGap), 1...86_400)
        try check("longestGap", Double(longestGap), Double(shortestGap)...86_400)
    }
}
