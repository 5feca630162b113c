import FieldStore
import Foundation
import GRDB

/// How well pings became visits on a day: `fieldroute report geofence`.
public struct GeofenceReport: Sendable, Codable, Equatable {
    public struct Technician: Sendable, Codable, Equatable {
        public var id: String
        public var pings: Int
        public var plannedStops: Int
        /// Planned stops whose booking was marked arrived by a dwell.
        public var arrived: Int
        public var completed: Int
        /// Dwells at sites that were not on this technician's route (a stop the plan did not know).
        public var unplannedDwells: Int
        public var messages: Int
    }

    public var day: String
    public var events: [String: Int]
    public var technicians: [Technician]
    public var plannedStops: Int
    public var arrived: Int
    /// Share of planned stops detected as arrived.
    public var arrivedShare: Double
    /// Seconds from the start of a stay to the ping that confirmed the arrival: median and p90.
    public var medianArrivalDelay: Double
    public var p90ArrivalDelay: Double
    /// Minutes between the first "on the way" / "arriving" message and the arrival: median.
    public var medianApproachLeadMinutes: Double
    /// Re-entries into the same fence within 60 s of leaving it: should be 0.
    public var flaps: Int
    /// "on the way" and "approach" messages queued.
    public var messages: Int
}

extension Engine {
    /// Geofence quality for a local day: events by kind, planned stops detected as arrived, detection
    /// delay, approach lead time and flaps, overall and per technician.
    public func geofenceReport(day: String, region: String? = nil) throws(FieldRouteError) -> GeofenceReport {
        guard RegionClock.parseDay(day) != nil else {
            throw .badInput("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'")
        }
        do {
            return try store.snapshot { db in
                let regionRecord = try Self.region(named: region, db)
                let clock = try RegionClock(timeZone: regionRecord.timeZone)
                guard let start = clock.startOfDay(day), let lastMinute = clock.instant(day: day, time: "23:59") else {
                    throw FieldRouteError.badInput("cannot place \(day) in \(regionRecord.timeZone)")
                }
                let end = lastMinute + 60
                let events = try Row.fetchAll(db, sql: """
                    SELECT e.technicianId AS tech, e.geofenceId AS fence, e.kind, e.timestamp, e.detectedAt, g.bookingId AS booking
                    FROM geofenceEvent e JOIN geofence g ON g.id = e.geofenceId
                    JOIN technician t ON t.id = e.technicianId
                    WHERE t.regionId = ? AND e.timestamp >= ? AND e.timestamp < ?
                    ORDER BY e.technicianId, e.geofenceId, e.timestamp, e.id
                    """, arguments: [regionRecord.id, start, end])
                var byKind: [String: Int] = [:], flaps = 0
                var lastExit: [String: Int64] = [:]
                for e in events {
                    let kind: String = e["kind"]
                    byKind[kind, default: 0] += 1
                    let key = "\(e["tech"] as Int64)/\(e["fence"] as Int64)"
                    if kind == "exit" { lastExit[key] = e["timestamp"] }
                    if kind == "enter", let out = lastExit[key], (e["timestamp"] as Int64) - out < 60 { flaps += 1 }
                }
                // Planned stops of the day and what became of them.
                let stops = try Row.fetchAll(db, sql: """
                    SELECT r.technicianId AS tech, s.bookingId AS booking, s.actualArrival, s.actualDeparture
                    FROM stop s JOIN route r ON r.id = s.routeId JOIN plan p ON p.id = r.planId
                    WHERE p.regionId = ? AND p.day = ?
                    """, arguments: [regionRecord.id, day])
                var planned = Set<String>()
                for s in stops { planned.insert("\(s["tech"] as Int64)/\(s["booking"] as Int64)") }
                var delays: [Double] = []
                var toldAt: [Int64: Int64] = [:]
                for m in try Row.fetchAll(db, sql: """
                    SELECT bookingId, MIN(dueAt) AS at FROM outbox WHERE template IN ('approach', 'on_the_way') AND bookingId IS NOT NULL
                    GROUP BY bookingId
                    """) { toldAt[m["bookingId"]] = m["at"] }
                var unplanned: [Int64: Int] = [:]
                for e in events where (e["kind"] as String) == "dwell" {
                    let tech: Int64 = e["tech"]
                    if let b: Int64 = e["booking"], planned.contains("\(tech)/\(b)") {
                        delays.append(Double((e["detectedAt"] as Int64) - (e["timestamp"] as Int64)))
                    } else { unplanned[tech, default: 0] += 1 }
                }
                var leads: [Double] = []
                for s in stops {
                    if let arrival: Int64 = s["actualArrival"], let told = toldAt[s["booking"]] {
                        leads.append(Double(arrival - told) / 60)
                    }
                }
                let messages = try Row.fetchAll(db, sql: """
                    SELECT r.technicianId AS tech, COUNT(*) AS n FROM outbox o JOIN stop s ON s.bookingId = o.bookingId
                    JOIN route r ON r.id = s.routeId JOIN plan p ON p.id = r.planId
                    WHERE p.regionId = ? AND p.day = ? AND o.template IN ('approach', 'on_the_way') GROUP BY r.technicianId
                    """, arguments: [regionRecord.id, day])
                var messagesBy: [Int64: Int] = [:]
                for m in messages { messagesBy[m["tech"]] = m["n"] }
                var technicians: [GeofenceReport.Technician] = []
                for tech in try TechnicianRecord.filter(Column("regionId") == regionRecord.id).order(Column("externalId")).fetchAll(db) {
                    let id = tech.id ?? 0
                    let mine = stops.filter { ($0["tech"] as Int64) == id }
                    let pings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ping WHERE technicianId = ? AND timestamp >= ? AND timestamp < ?",
                                                 arguments: [id, start, end]) ?? 0
                    technicians.append(GeofenceReport.Technician(
                        id: tech.externalId, pings: pings, plannedStops: mine.count,
                        arrived: mine.filter { ($0["actualArrival"] as Int64?) != nil }.count,
                        completed: mine.filter { ($0["actualDeparture"] as Int64?) != nil }.count,
                        unplannedDwells: unplanned[id] ?? 0, messages: messagesBy[id] ?? 0))
                }
                let arrived = technicians.reduce(0) { $0 + $1.arrived }
                return GeofenceReport(
                    day: day, events: byKind, technicians: technicians, plannedStops: stops.count, arrived: arrived,
                    arrivedShare: stops.isEmpty ? 0 : Double(arrived) / Double(stops.count),
                    medianArrivalDelay: quantile(delays, 0.5), p90ArrivalDelay: quantile(delays, 0.9),
                    medianApproachLeadMinutes: quantile(leads, 0.5), flaps: flaps,
                    messages: technicians.reduce(0) { $0 + $1.messages })
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
