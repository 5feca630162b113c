import FieldStore
import Foundation
import Geofencing

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
    /// Share of planned stops detected as arrived; nil when no stop was planned.
    public var arrivedShare: Double?
    /// Seconds from the arrival — the first still fix of the stay (speed ≤ 1 m/s, reported or between
    /// fixes) — to the ping that confirmed it: median and p90; nil when nothing arrived.
    public var medianArrivalDelay: Double?
    public var p90ArrivalDelay: Double?
    /// Minutes between the first "on the way" / "arriving" message and the arrival: median; nil when none was told.
    public var medianApproachLeadMinutes: Double?
    /// Re-entries into the same fence within 60 s of leaving it: should be 0.
    public var flaps: Int
    /// "on the way" and "approach" messages queued.
    public var messages: Int
}

extension Tracker {
    /// Geofence quality for a local day: events by kind, planned stops detected as arrived, detection
    /// delay, approach lead time and flaps, overall and per technician (those with pings or planned
    /// stops that day). What cannot be measured is nil, never 0.
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
                        let stay = try db.pings(technicianId: e.technicianId, from: e.timestamp, to: e.detectedAt)
                        let still = Self.firstStillFix(stay) ?? e.detectedAt
                        delays.append(Double(max(0, e.detectedAt - still)))
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
                    guard pings > 0 || !mine.isEmpty else { continue }
                    technicians.append(GeofenceReport.Technician(
                        id: tech.externalId, pings: pings, plannedStops: mine.count,
                        arrived: mine.filter { $0.actualArrival != nil }.count,
                        completed: mine.filter { $0.actualDeparture != nil }.count,
                        unplannedDwells: unplanned[id] ?? 0, messages: messagesBy[id] ?? 0))
                }
                let arrived = technicians.reduce(0) { $0 + $1.arrived }
                return GeofenceReport(
                    day: day, events: byKind, technicians: technicians, plannedStops: stops.count, arrived: arrived,
                    arrivedShare: stops.isEmpty ? nil : Double(arrived) / Double(stops.count),
                    medianArrivalDelay: delays.isEmpty ? nil : quantile(delays, 0.5),
                    p90ArrivalDelay: delays.isEmpty ? nil : quantile(delays, 0.9),
                    medianApproachLeadMinutes: leads.isEmpty ? nil : quantile(leads, 0.5), flaps: flaps,
                    messages: technicians.reduce(0) { $0 + $1.messages })
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// The first fix of a stay where the technician stands still: its reported speed, or the speed to
    /// the next fix, at most 1 m/s.
    static func firstStillFix(_ pings: [PingRecord]) -> Int64? {
        for (k, p) in pings.enumerated() {
            if let speed = p.speed { if speed <= 1 { return p.timestamp } else { continue } }
            guard k + 1 < pings.count else { return nil }
            let next = pings[k + 1], dt = Double(next.timestamp - p.timestamp)
            if dt > 0, haversineMetres(lat1: p.lat, lon1: p.lon, lat2: next.lat, lon2: next.lon) / dt <= 1 { return p.timestamp }
        }
        return nil
    }
}
