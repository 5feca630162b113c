import ArrivalWindows
import FieldStore
import Foundation

/// How well windows were kept: `fieldroute report windows`.
public struct WindowReport: Sendable, Codable, Equatable {
    public struct Row: Sendable, Codable, Equatable {
        public var horizon: String
        /// Visits with a window at this horizon and a known service start.
        public var visits: Int
        /// Share whose service started inside the window.
        public var kept: Double
        /// Kept over every visit due in the period: an unplanned visit, one never seen, or one with no
        /// window at this horizon counts as not kept.
        public var keptOfDue: Double
        /// Of the visits measured whose arrival is known: the share where the technician arrived no
        /// earlier than ``WindowReport/earlyArrival`` before the window and not after it (the van at
        /// the door when the customer expects it, not half an hour before).
        public var arrivalKept: Double?
        /// How many of `visits` have a known arrival: what `arrivalKept` is a share of.
        public var arrivals: Int
        public var medianWidthMinutes: Double
        public var p90WidthMinutes: Double
    }

    public var from: String
    public var to: String
    /// Every visit due in the period (not cancelled or moved), of which `unplanned` had no place in a
    /// plan and `unseen` had one but no known start or arrival: no horizon measured them.
    public var visitsDue: Int
    public var unplanned: Int
    public var unseen: Int
    public var horizons: [Row]
    /// Told windows that moved, and how many visits they concern.
    public var windowChanges: Int
    /// Of the visits with a known arrival and start, the share where the technician held (waited
    /// more than a minute between arriving and starting): keeping a promise from the early side.
    public var heldShare: Double?

    /// How early an arrival still keeps the window (seconds).
    public static let earlyArrival: Int64 = 10 * 60
}

extension Promises {
    /// For visits in `[from, to]` whose service start is known (simulated, or the geofence arrival held
    /// to the allowed window a technician never starts before): the share that started inside the window
    /// estimated at each horizon — the night before (the plan's promise), the start of the day, an hour
    /// before, en route — and the median and p90 width; and the same kept count over every visit due,
    /// with the visits no horizon measured (unplanned, never seen) counted as not kept.
    public func windowReport(from: String, to: String, region: String? = nil) throws(FieldRouteError) -> WindowReport {
        guard RegionClock.parseDay(from) != nil, RegionClock.parseDay(to) != nil, from <= to else {
            throw .badInput("--from and --to want yyyy-mm-dd with from ≤ to")
        }
        do {
            return try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                var byHorizon: [String: (kept: Int, widths: [Double], arrived: Int, arrivalKept: Int)] = [:]
                var timed = 0, held = 0
                for row in try db.estimateOutcomes(regionId: r.id ?? 0, from: from, to: to) {
                    guard let start = Self.serviceStart(actualStart: row.actualStart, arrival: row.actualArrival,
                                                        windows: row.timeWindows, plannedStart: row.plannedStart,
                                                        promisedStart: row.promisedStart) else { continue }
                    let (s, e, h) = (row.start, row.end, row.horizon)
                    var entry = byHorizon[h] ?? (0, [], 0, 0)
                    if start >= s && start <= e { entry.kept += 1 }
                    entry.widths.append(Double(e - s) / 60)
                    if let arrival = row.actualArrival {
                        entry.arrived += 1
                        if arrival >= s - WindowReport.earlyArrival && arrival <= e { entry.arrivalKept += 1 }
                        // Once per visit: the night-before row stands for it.
                        if h == Horizon.nightBefore.rawValue { timed += 1; if start - arrival > 60 { held += 1 } }
                    }
                    byHorizon[h] = entry
                }
                let changes = try db.windowChangeCount(regionId: r.id ?? 0, from: from, to: to)
                let count = try db.visitAccounting(regionId: r.id ?? 0, from: from, to: to)
                return WindowReport(from: from, to: to, visitsDue: count.due, unplanned: count.due - count.placed,
                                    unseen: count.placed - count.seen, horizons: Horizon.allCases.map { h in
                    let entry = byHorizon[h.rawValue] ?? (0, [], 0, 0)
                    return WindowReport.Row(horizon: h.rawValue, visits: entry.widths.count,
                                            kept: entry.widths.isEmpty ? 0 : Double(entry.kept) / Double(entry.widths.count),
                                            keptOfDue: count.due == 0 ? 0 : Double(entry.kept) / Double(count.due),
                                            arrivalKept: entry.arrived == 0 ? nil : Double(entry.arrivalKept) / Double(entry.arrived),
                                            arrivals: entry.arrived,
                                            medianWidthMinutes: quantile(entry.widths, 0.5), p90WidthMinutes: quantile(entry.widths, 0.9))
                }, windowChanges: changes, heldShare: timed == 0 ? nil : Double(held) / Double(timed))
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// When the allowed window a visit planned to start at `plannedStart` falls in opens (the first
    /// window when it falls in none): a technician never starts that visit earlier.
    static func windowOpening(_ booking: BookingRecord, plannedStart: Int64) -> Int64 {
        windowOpening(booking.timeWindows, plannedStart: plannedStart)
    }

    /// The opening of the allowed window the plan chose: the last one opening at or before the planned start.
    static func windowOpening(_ windows: [TimeWindow], plannedStart: Int64) -> Int64 {
        windows.last { $0.start <= plannedStart }?.start ?? windows.first?.start ?? 0
    }

    /// The known service start, else the arrival held to the opening of the allowed window the plan
    /// chose and to the promise. An early technician waits; a late one starts at once: a customer told
    /// 11:20–12:00 is not made to wait for the 14:00 window because the van parked at 12:00:30 (the
    /// simulated technician does the same, and the live estimate assumes it).
    static func serviceStart(actualStart: Int64?, arrival: Int64?, windows: [TimeWindow], plannedStart: Int64,
                             promisedStart: Int64? = nil) -> Int64? {
        if let actualStart { return actualStart }
        guard let arrival else { return nil }
        return max(arrival, windowOpening(windows, plannedStart: plannedStart), promisedStart ?? arrival)
    }

}
