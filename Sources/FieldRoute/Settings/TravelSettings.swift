/// How a region's travel is estimated from coordinates when it has no imported matrix
/// (`fieldroute settings set travel '{"speedByHour": [...24 km/h values...]}'`).
public struct TravelSettings: RegionSetting {
    public static let key = "travel"
    /// Road distance over straight-line distance (1–3).
    public var detourFactor: Double = 1.3
    /// Average door-to-door speed, km/h (5–130).
    public var speedKmh: Double = 25
    /// Speed by local hour of departure, 24 values in km/h (5–130); nil: `speedKmh` all day.
    public var speedByHour: [Double]?

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard (1...3).contains(detourFactor) else { throw .badInput("travel.detourFactor must be 1–3, got \(detourFactor)") }
        guard (5...130).contains(speedKmh) else { throw .badInput("travel.speedKmh must be 5–130, got \(speedKmh)") }
        if let hours = speedByHour {
            guard hours.count == 24, hours.allSatisfy({ (5...130).contains($0) }) else {
                throw .badInput("travel.speedByHour must be 24 speeds (hours 0–23), each 5–130 km/h")
            }
        }
    }

    public var model: TravelTimeModel { TravelTimeModel(detourFactor: detourFactor, speedKmh: speedKmh, speedByHour: speedByHour) }
}
