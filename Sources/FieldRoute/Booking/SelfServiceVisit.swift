import FieldStore
import Foundation

/// What a customer's link shows (the page at `/s/TOKEN`, `GET /api/self/TOKEN`): their own visit
/// only, tracked at the level their region allows, and what they may still do with it.
public struct SelfServiceVisit: Sendable, Codable, Equatable {
    public var booking: String
    public var status: BookingStatus
    /// Local day, yyyy-mm-dd.
    public var day: String
    /// The window the customer was told (local "HH:MM-HH:MM"), else the windows they booked.
    public var windows: [String]
    public var address: String
    public var durationMinutes: Int
    /// The planned technician's first name, once the visit is in a route.
    public var technician: String?
    /// The region's tracking level for customers (`tracking.customerLevel`) and what it shows now.
    public var level: TrackingLevel
    public var tracking: TrackingView
    /// Of confirm, cancel, reschedule: what the booking's status and the region's change rules allow now.
    public var actions: [SelfServiceAction]
    /// Why cancel and reschedule are closed, when they are (the change rules' message).
    public var changesClosed: String?
    /// The region's cancellation reasons, in its order.
    public var cancelReasons: [String]
    /// Unix seconds the link stops working.
    public var linkExpiresAt: Int64
}

extension Engine {
    /// The visit behind a customer's link token at `now`. A token that is unknown or expired is a
    /// bad input with the message the customer should see; nothing of any other booking is read into
    /// the answer.
    public func selfServiceVisit(token: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> SelfServiceVisit {
        let booking: BookingRecord, expires: Int64, reasons: [String], level: TrackingLevel
        let technician: String?, windows: [String], closed: String?
        do {
            (booking, expires, reasons, level, technician, windows, closed) = try store.snapshot { db in
                let booking = try Bookings.booking(token: token, now: now, db)
                let expires = try db.token(hash: SHA256.hex(Array(token.utf8)))?.expiresAt ?? now
                let reasons = try Engine.setting(CancellationSettings.self, regionId: booking.regionId, db).reasons
                let level = try Engine.setting(TrackingSettings.self, regionId: booking.regionId, db).customerLevel
                let clock = try RegionClock(timeZone: try db.region(id: booking.regionId)?.timeZone ?? "UTC")
                var technician: String?
                // The window told, else the windows booked.
                var windows = booking.timeWindows.map { "\(clock.clockTime($0.start))-\(clock.clockTime($0.end))" }
                if let (stop, technicianId) = try db.stop(bookingId: booking.id ?? 0) {
                    technician = try db.technician(id: technicianId).map { Self.firstName($0.name) }
                    if let s = stop.promisedStart, let e = stop.promisedEnd { windows = ["\(clock.clockTime(s))-\(clock.clockTime(e))"] }
                }
                var closed: String?
                do { try Bookings.checkChangeAllowed(booking, now: now, db) } catch let error as FieldRouteError {
                    guard error.isBadInput else { throw error }
                    closed = FieldRouteError.oneLine(error.description)
                }
                return (booking, expires, reasons, level, technician, windows, closed)
            }
        } catch { throw FieldRouteError(wrapping: error) }
        let tracking = try promises.track(booking: booking.externalId, level: level, by: .customer(token: token), now: now)
        var actions: [SelfServiceAction] = []
        if booking.status == .booked { actions.append(.confirm) }
        if closed == nil, booking.status.allowedNext.contains(.cancelled) { actions.append(.cancel) }
        if closed == nil, booking.status.allowedNext.contains(.rescheduled) { actions.append(.reschedule) }
        return SelfServiceVisit(booking: booking.externalId, status: booking.status, day: booking.day,
                                windows: windows, address: booking.address,
                                durationMinutes: Int(booking.serviceDuration / 60), technician: technician, level: level,
                                tracking: tracking, actions: actions, changesClosed: closed, cancelReasons: reasons, linkExpiresAt: expires)
    }

    /// The booking id behind a customer's link token at `now` (unknown or expired: a bad input).
    public func selfServiceBooking(token: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> String {
        do { return try store.snapshot { db in try Bookings.booking(token: token, now: now, db).externalId } }
        catch { throw FieldRouteError(wrapping: error) }
    }

    /// Free slots for moving the visit behind `token`: the same site, length and skills, from the
    /// customer's own held slots and the open grid, `days` days from `from` (nil: the region's local
    /// day of `now`, not the UTC one, so that a customer west of Greenwich sees this evening's slots).
    public func selfServiceSlots(token: String, from: String? = nil, days: Int = 7,
                                 now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> [Slot] {
        let booking: BookingRecord, customer: String, region: String, today: String
        do {
            (booking, customer, region, today) = try store.snapshot { db in
                let booking = try Bookings.booking(token: token, now: now, db)
                guard let customer = try db.customer(id: booking.customerId), let region = try db.region(id: booking.regionId) else {
                    throw StoreError.notFound(kind: "customer", id: "\(booking.customerId)")
                }
                return (booking, customer.externalId, region.name, try RegionClock(timeZone: region.timeZone).day(of: now))
            }
        } catch { throw FieldRouteError(wrapping: error) }
        return try bookings.slots(site: (booking.lat, booking.lon), durationMinutes: Int(booking.serviceDuration / 60),
                                  skills: booking.requiredSkills, from: from ?? today, days: days, region: region, customer: customer, now: now)
    }

    /// "Amélie Durand" → "Amélie": all a customer is told of who comes.
    static func firstName(_ name: String) -> String {
        String(name.split(separator: " ").first ?? Substring(name))
    }
}
