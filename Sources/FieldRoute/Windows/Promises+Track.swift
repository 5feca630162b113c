import FieldStore
import Foundation

/// How much a customer may see of their visit.
public enum TrackingLevel: String, Sendable, Codable, CaseIterable {
    /// Only how many visits come before theirs.
    case queue
    /// + the current window.
    case eta
    /// + the technician's position.
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
    public var technicianLat: Double?
    public var technicianLon: Double?
    /// Unix seconds of the position.
    public var positionAt: Int64?
    /// [[lat, lon], …] from the technician to the customer's own site; present only when this visit
    /// is the next one (so no other customer's place is ever on it).
    public var path: [[Double]]?
}

extension Promises {
    /// The customer's view of a visit at `level`. Staff call it directly; a customer's link token
    /// restricts it to their own booking.
    public func track(booking externalId: String, level: TrackingLevel, by requester: Requester = .staff,
                      now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> TrackingView {
        do {
            return try store.snapshot { db in
                let booking = try db.booking(externalId: externalId)
                try Bookings.authorize(requester, booking: booking, now: now, db)
                var view = TrackingView(booking: externalId, status: booking.status.rawValue)
                guard let (stop, technicianId) = try db.stop(bookingId: booking.id ?? 0) else { return view }
                // Visits still to be made (or being made) before this one.
                let before = try db.openStops(routeId: stop.routeId, before: stop.sequence)
                view.queuePosition = before
                guard level != .queue else { return view }
                let clock = try RegionClock(timeZone: try db.region(id: booking.regionId)?.timeZone ?? "UTC")
                if let s = stop.promisedStart, let e = stop.promisedEnd { view.window = "\(clock.clockTime(s))-\(clock.clockTime(e))" }
                guard level != .eta else { return view }
                if let ping = try db.latestPing(technicianId: technicianId, atOrBefore: now) {
                    view.technicianLat = ping.lat; view.technicianLon = ping.lon; view.positionAt = ping.timestamp
                }
                guard level == .route, before == 0, let lat = view.technicianLat, let lon = view.technicianLon else { return view }
                view.path = [[lat, lon], [booking.lat, booking.lon]]
                return view
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
