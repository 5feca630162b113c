import FieldStore
import Foundation

/// A planned day as the dispatcher's page draws it (`GET /api/day/DATE`, `/day/DATE`): per
/// technician the route with coordinates, the planned drive, wait and visit of every stop, the break,
/// the promised windows and what happened. Instants are Unix seconds; `timeZone` gives local time.
public struct DayView: Sendable, Codable, Equatable {
    public struct Visit: Sendable, Codable, Equatable {
        public var booking: String
        public var status: BookingStatus
        public var lat: Double
        public var lon: Double
        /// Planned: leave the previous place, arrive, start (after any wait), end.
        public var plannedDeparture: Int64
        public var plannedArrival: Int64
        public var plannedStart: Int64
        public var plannedEnd: Int64
        public var promisedStart: Int64?
        public var promisedEnd: Int64?
        public var actualArrival: Int64?
        public var actualStart: Int64?
        public var actualDeparture: Int64?
        /// How often the told window moved.
        public var windowChanges: Int
    }

    public struct Position: Sendable, Codable, Equatable {
        public var lat: Double
        public var lon: Double
        public var at: Int64
    }

    public struct Technician: Sendable, Codable, Equatable {
        public var id: String
        public var name: String
        public var homeLat: Double
        public var homeLon: Double
        public var shiftStart: Int64
        public var shiftEnd: Int64
        public var departure: Int64
        public var breakStart: Int64?
        public var breakEnd: Int64?
        /// Metres planned.
        public var distance: Int64
        public var visits: [Visit]
        /// The latest fix of the day at or before `now`.
        public var position: Position?
    }

    public var region: String
    public var timeZone: String
    public var day: String
    /// The moment the view was taken.
    public var now: Int64
    public var technicians: [Technician]
    /// Bookings of the day with no place in the plan, with the reason.
    public var unplanned: [UnplannedVisit]
}

extension Promises {
    /// The planned day `day` as it stands at `now`: every technician with a route, in id order, their
    /// visits in route order (cancelled and moved visits left out), and the visits left unplanned.
    public func dayView(day: String, region: String? = nil, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> DayView {
        guard RegionClock.parseDay(day) != nil else { throw .badInput("date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'") }
        do {
            return try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                guard let plan = try db.plan(regionId: r.id ?? 0, day: day), let planId = plan.id else {
                    throw FieldRouteError.badInput("no plan for \(day): run 'fieldroute plan --date \(day)' first")
                }
                let clock = try RegionClock(timeZone: r.timeZone)
                let routes = try db.routes(planId: planId)
                let stopsOf = Dictionary(grouping: try db.stops(routeIds: routes.compactMap(\.id)), by: \.routeId)
                let bookings = Dictionary(uniqueKeysWithValues: try db.bookings(regionId: r.id ?? 0, day: day).map { ($0.id ?? 0, $0) })
                let technicians = Dictionary(uniqueKeysWithValues: try db.technicians(regionId: r.id ?? 0).map { ($0.id ?? 0, $0) })
                let shifts = Dictionary(grouping: try db.shifts(day: day), by: \.technicianId)
                let changes = Dictionary(try db.visitWindows(regionId: r.id ?? 0, day: day).map { ($0.booking, $0.changes) }) { a, _ in a }
                let pings = try db.latestPings(from: clock.startOfDay(day) ?? 0, to: now)
                var out: [DayView.Technician] = []
                for route in routes {
                    guard let tech = technicians[route.technicianId], let shift = shifts[route.technicianId]?.first else { continue }
                    var visits: [DayView.Visit] = []
                    var leave = route.departure ?? shift.start
                    for stop in stopsOf[route.id ?? -1] ?? [] {
                        guard let b = bookings[stop.bookingId], b.status != .cancelled, b.status != .rescheduled else { continue }
                        visits.append(DayView.Visit(
                            booking: b.externalId, status: b.status, lat: b.lat, lon: b.lon, plannedDeparture: min(leave, stop.plannedArrival),
                            plannedArrival: stop.plannedArrival, plannedStart: stop.plannedStart, plannedEnd: stop.plannedEnd,
                            promisedStart: stop.promisedStart, promisedEnd: stop.promisedEnd, actualArrival: stop.actualArrival,
                            actualStart: stop.actualStart, actualDeparture: stop.actualDeparture, windowChanges: changes[b.externalId] ?? 0))
                        leave = stop.plannedEnd
                    }
                    let position = pings[route.technicianId].map { DayView.Position(lat: $0.lat, lon: $0.lon, at: $0.timestamp) }
                    out.append(DayView.Technician(
                        id: tech.externalId, name: tech.name, homeLat: tech.startLat, homeLon: tech.startLon, shiftStart: shift.start,
                        shiftEnd: shift.end, departure: route.departure ?? shift.start, breakStart: route.breakStart, breakEnd: route.breakEnd,
                        distance: route.distance, visits: visits, position: position))
                }
                let unplanned = try db.unplannedVisits(planId: planId).map { UnplannedVisit(booking: $0.booking, reason: $0.reason, at: $0.at) }
                return DayView(region: r.name, timeZone: r.timeZone, day: day, now: now,
                               technicians: out.sorted { $0.id < $1.id }, unplanned: unplanned)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
