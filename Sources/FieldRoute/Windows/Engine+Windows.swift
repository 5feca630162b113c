import FieldStore
import Foundation
import GRDB

/// A visit's windows as they stand: `fieldroute windows --date D`.
public struct VisitWindows: Sendable, Codable, Equatable {
    public var booking: String
    public var technician: String
    public var status: String
    /// Local "HH:MM-HH:MM": told to the customer (kept up to date), and the current estimate.
    public var promised: String?
    public var estimate: String?
    /// Local "HH:MM": the planned start, and the actual service start when known.
    public var planned: String
    public var started: String?
    /// How often the told window moved.
    public var changes: Int
}

extension Engine {
    /// The promised and current windows of every planned visit of a day, in route order.
    public func windows(day: String, region: String? = nil) throws(FieldRouteError) -> [VisitWindows] {
        guard RegionClock.parseDay(day) != nil else { throw .badInput("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'") }
        do {
            return try store.snapshot { db in
                let r = try Self.region(named: region, db)
                let clock = try RegionClock(timeZone: r.timeZone)
                let span = { (s: Int64?, e: Int64?) in s.flatMap { s in e.map { "\(clock.clockTime(s))-\(clock.clockTime($0))" } } }
                return try Row.fetchAll(db, sql: """
                    SELECT b.externalId AS booking, t.externalId AS tech, b.status, b.timeWindows, s.promisedStart, s.promisedEnd,
                           s.estimateStart, s.estimateEnd, s.plannedStart, s.actualStart, s.actualArrival,
                           (SELECT COUNT(*) FROM windowChange c WHERE c.bookingId = b.id) AS changes
                    FROM stop s JOIN route ro ON ro.id = s.routeId JOIN plan p ON p.id = ro.planId
                    JOIN technician t ON t.id = ro.technicianId JOIN booking b ON b.id = s.bookingId
                    WHERE p.regionId = ? AND p.day = ? ORDER BY t.externalId, s.sequence
                    """, arguments: [r.id, day]).map { row in
                    let start = Self.serviceStart(actualStart: row["actualStart"], arrival: row["actualArrival"], windows: row["timeWindows"],
                                                  promisedStart: row["promisedStart"])
                    return VisitWindows(booking: row["booking"], technician: row["tech"], status: row["status"],
                                        promised: span(row["promisedStart"], row["promisedEnd"]),
                                        estimate: span(row["estimateStart"], row["estimateEnd"]),
                                        planned: clock.clockTime(row["plannedStart"]), started: start.map(clock.clockTime),
                                        changes: row["changes"])
                }
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
