import FieldStore
import Foundation

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
    /// Minutes the plan has the technician waiting at the door before the visit may start.
    public var waitMinutes: Double
    /// How often the told window moved.
    public var changes: Int
}

extension Promises {
    /// The promised and current windows of every planned visit of a day, in route order.
    public func windows(day: String, region: String? = nil) throws(FieldRouteError) -> [VisitWindows] {
        guard RegionClock.parseDay(day) != nil else { throw .badInput("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'") }
        do {
            return try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                let clock = try RegionClock(timeZone: r.timeZone)
                let span = { (s: Int64?, e: Int64?) in s.flatMap { s in e.map { "\(clock.clockTime(s))-\(clock.clockTime($0))" } } }
                return try db.visitWindows(regionId: r.id ?? 0, day: day).map { row in
                    let start = Self.serviceStart(actualStart: row.actualStart, arrival: row.actualArrival, windows: row.timeWindows,
                                                  plannedStart: row.plannedStart, promisedStart: row.promisedStart)
                    return VisitWindows(booking: row.booking, technician: row.technician, status: row.status,
                                        promised: span(row.promisedStart, row.promisedEnd), estimate: span(row.estimateStart, row.estimateEnd),
                                        planned: clock.clockTime(row.plannedStart), started: start.map(clock.clockTime),
                                        waitMinutes: Double(max(0, row.plannedStart - row.plannedArrival)) / 60, changes: row.changes)
                }
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
