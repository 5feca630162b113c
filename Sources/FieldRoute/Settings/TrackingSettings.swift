/// How pings become visits, per region (`fieldroute settings set tracking '{"siteRadius": 80}'`).
public struct TrackingSettings: RegionSetting {
    public static let key = "tracking"
    /// Metres around a booked site that count as "there" unless the booking has its own radius. 50 m
    /// covers a parked vehicle and a walk to the door in town; rural sites want more.
    public var siteRadius: Double = 50
    /// Metres around the technician's next stop that trigger "arriving in N min".
    public var approachRadius: Double = 1_500
    /// What a customer's link page shows of their visit: `queue` (visits before theirs), `eta` (+ the
    /// window and the live estimate), `location` (+ the technician's position while on the way to
    /// them) or `route` (+ the way to them).
    public var customerLevel: TrackingLevel = .eta

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard (5...5_000).contains(siteRadius) else { throw .badInput("tracking.siteRadius must be 5–5000 m, got \(siteRadius)") }
        guard (100...20_000).contains(approachRadius), approachRadius > siteRadius else {
            throw .badInput("tracking.approachRadius must be 100–20000 m and larger than siteRadius, got \(approachRadius)")
        }
    }
}
