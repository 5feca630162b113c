import FieldStore
import Foundation
import Geofencing

/// How much a customer may see of their visit.
public enum TrackingLevel: String, Sendable, Codable, CaseIterable {
    /// Only how many visits come before theirs.
    case queue
    /// + the current window.
    case eta
    /// + the technician's position, only while they are on the way to this customer.
    case location
    /// + the way from the technician to them, once they are the next stop.
    case route
}

/// What a customer sees: exactly the fields their level allows, never anything of another customer.
public struct TrackingView: Sendable, Codable, Equatable {
    public var booking: String
    public var status: String
    /// Visits before this one still to be made.
    public var queuePosition: Int?
    /// Local "HH:MM-HH:MM": the current window (the promise, kept up to date).
    public var window: String?
    /// Local "HH:MM-HH:MM": the live estimate of the arrival, present (from level eta) only while the
    /// visit is to come and the estimate is narrower than the window. An estimate, not a promise: the
    /// window is what the customer was told and is kept to.
    public var estimate: String?
    public var technicianLat: Double?
    public var technicianLon: Double?
    /// Unix seconds of the position.
    public var positionAt: Int64?
    /// [[lat, lon], …] from the technician to the customer's own site; present only when this visit
    /// is the next one (so no other customer's place is ever on it).
    public var path: [[Double]]?
}

extension Promises {
    /// A technician's position is never shown within this many metres of another customer's site.
    public static let privacyMetres: Double = 200
    /// …nor when it is older than this (seconds): a position from before a GPS gap says nothing of the way.
    public static let positionMaxAge: Int64 = 15 * 60

    /// The customer's view of a visit at `level`, as it stood at `now`. Staff call it directly; a
    /// customer's link token restricts it to their own booking. The technician's position (levels
    /// location and route) is shown only while they are on the way to this customer: every earlier
    /// visit of the route done, this one not yet begun, a fix from the last 15 minutes, and not within
    /// 200 m of any other customer's site that day. Otherwise the queue and the window.
    public func track(booking externalId: String, level: TrackingLevel, by requester: Requester = .staff,
                      now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> TrackingView {
        do {
            return try store.snapshot { db in
                let booking = try db.booking(externalId: externalId)
                try Bookings.authorize(requester, booking: booking, now: now, db)
                var view = TrackingView(booking: externalId, status: booking.status.rawValue)
                guard let (stop, technicianId) = try db.stop(bookingId: booking.id ?? 0) else { return view }
                let route = try db.stops(routeId: stop.routeId, asOf: now)
                guard let mine = route.first(where: { $0.stop.id == stop.id }) else { return view }
                view.status = mine.status.rawValue
                // Visits still to be made (or being made) before this one, as things stood at `now`.
                let open: Set<BookingStatus> = [.booked, .confirmed, .enRoute, .arrived]
                let before = route.filter { $0.stop.sequence < stop.sequence && open.contains($0.status) }.count
                view.queuePosition = before
                guard level != .queue else { return view }
                let clock = try RegionClock(timeZone: try db.region(id: booking.regionId)?.timeZone ?? "UTC")
                if let s = stop.promisedStart, let e = stop.promisedEnd { view.window = "\(clock.clockTime(s))-\(clock.clockTime(e))" }
                let toCome: Set<BookingStatus> = [.booked, .confirmed, .enRoute]
                if toCome.contains(mine.status), let s = stop.estimateStart, let e = stop.estimateEnd, e > s,
                   e - s < (stop.promisedEnd ?? .max) - (stop.promisedStart ?? 0) {
                    view.estimate = "\(clock.clockTime(s))-\(clock.clockTime(e))"
                }
                guard level != .eta, before == 0, toCome.contains(mine.status),
                      let ping = try db.latestPing(technicianId: technicianId, atOrBefore: now), now - ping.timestamp <= Self.positionMaxAge
                else { return view }
                let others = try db.bookings(regionId: booking.regionId, day: booking.day).filter { $0.id != booking.id }
                guard !others.contains(where: {
                    haversineMetres(lat1: ping.lat, lon1: ping.lon, lat2: $0.lat, lon2: $0.lon) < Self.privacyMetres
                }) else { return view }
                view.technicianLat = ping.lat; view.technicianLon = ping.lon; view.positionAt = ping.timestamp
                guard level == .route else { return view }
                view.path = [[ping.lat, ping.lon], [booking.lat, booking.lon]]
                return view
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
