import FieldStore
import Foundation

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

extension Tracker {
    /// Geofence quality for a local day: events by kind, planned stops detected as arrived, detection
    /// delay, approach lead time and flaps, overall and per technician.
    public func geofenceReport(day: String, region: String? = nil) throws(FieldRouteError) -> GeofenceReport {
        guard RegionClock.parseDay(day) != nil else {
            throw .badInput("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'")
        }
        do {
            return try store.snapshot { db in
                let regionRecord = try Engine.region(named: region, db)
                let clock = try RegionClock(timeZone: regionRecord.timeZone)
                guard let start = clock.startOfDay(day), let lastMinute = clock.instant(day: day, time: "23:59") else {
                    throw FieldRouteError.badInput("cannot place \(day) in \(regionRecord.timeZone)")
                }
                let end = lastMinute + 60
                let regionId = regionRecord.id ?? 0
                let events = try db.events(regionId: regionId, from: start, to: end)
                var byKind: [String: Int] = [:], flaps = 0
                var lastExit: [String: Int64] = [:]
                for e in events {
                    byKind[e.kind, default: 0] += 1
                    let key = "\(e.technicianId)/\(e.fenceId)"
                    if e.kind == "exit" { lastExit[key] = e.timestamp }
                    if e.kind == "enter", let out = lastExit[key], e.timestamp - out < 60 { flaps += 1 }
                }
                // Planned stops of the day and what became of them.
                let stops = try db.plannedStops(regionId: regionId, day: day)
                var planned = Set<String>()
                for s in stops { planned.insert("\(s.technicianId)/\(s.bookingId)") }
                var delays: [Double] = []
                let toldAt = try db.firstToldApproach()
                var unplanned: [Int64: Int] = [:]
                for e in events where e.kind == "dwell" {
                    if let b = e.bookingId, planned.contains("\(e.technicianId)/\(b)") {
                        delays.append(Double(e.detectedAt - e.timestamp))
                    } else { unplanned[e.technicianId, default: 0] += 1 }
                }
                var leads: [Double] = []
                for s in stops {
                    if let arrival = s.actualArrival, let told = toldAt[s.bookingId] { leads.append(Double(arrival - told) / 60) }
                }
                let messagesBy = try db.approachMessages(regionId: regionId, day: day)
                var technicians: [GeofenceReport.Technician] = []
                for tech in try db.technicians(regionId: regionId) {
                    let id = tech.id ?? 0
                    let mine = stops.filter { $0.technicianId == id }
                    let pings = try db.pingCount(technicianId: id, from: start, to: end)
                    technicians.append(GeofenceReport.Technician(
                        id: tech.externalId, pings: pings, plannedStops: mine.count,
                        arrived: mine.filter { $0.actualArrival != nil }.count,
                        completed: mine.filter { $0.actualDeparture != nil }.count,
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
