import FieldStore
import Foundation
import Geofencing

/// Visits the pings cannot show: done inside a GPS gap, or too briefly for the dwell. Left open, the
/// live estimate waits for such a visit all day (telling every later customer "running late") and
/// "on the way" goes to its customer instead of the next one. Each rule completes the visit with the
/// reason in its status history and leaves it without an arrival time, so `report windows` counts it
/// as never seen.
///
/// 1. **Went on**: seen arriving at a later stop of the route, every earlier stop still unseen is done.
/// 2. **Gap across the site**: after a gap of at least ``shortestGap`` (and half the planned service)
///    between two accepted fixes, the route's next unseen stops are done when the straight line
///    between the fixes passes within their site radius plus ``margin``.
enum VisitInference {
    static let unseen: Set<BookingStatus> = [.booked, .confirmed, .enRoute]
    /// Seconds without a fix that can hide a visit.
    static let shortestGap: Int64 = 120
    /// Metres beyond the site radius that the line across a gap may pass: the detector's exit margin.
    static let margin = 30.0

    /// Rule 1, when the technician is seen arriving at `stop` (of booking `reached`).
    static func wentOn(past stop: StopRecord, reached: BookingRecord, at: Int64, _ db: StoreTransaction) throws -> Int {
        var inferred = 0
        for earlier in try db.stops(routeId: stop.routeId) where earlier.sequence < stop.sequence && earlier.actualArrival == nil {
            guard let booking = try db.booking(id: earlier.bookingId), unseen.contains(booking.status) else { continue }
            try complete(booking, at: at, reason: "inferred done: not seen arriving; the technician went on to \(reached.externalId)", db)
            inferred += 1
        }
        return inferred
    }

    /// A stop of the route for rule 2: its booking (current status) and where its site fence reaches.
    struct Site { var booking: BookingRecord; var radius: Double }

    /// Rule 2 over `sites` in route order: the first unseen ones the line from `from` to `to` passes,
    /// each needing half its planned service inside the gap. Returns the bookings completed.
    static func acrossGap(from: (t: Int64, at: GeoPoint), to: (t: Int64, at: GeoPoint), sites: [Site], clock: RegionClock,
                          _ db: StoreTransaction) throws -> [Int64] {
        let gap = to.t - from.t
        guard gap >= shortestGap else { return [] }
        var needed: Int64 = 0, done: [Int64] = []
        for site in sites where unseen.contains(site.booking.status) {
            needed += max(shortestGap, site.booking.serviceDuration / 2)
            let centre = GeoPoint(lat: site.booking.lat, lon: site.booking.lon)
            guard needed <= gap, centre.metres(toSegment: from.at, to.at) <= site.radius + margin else { break }
            let reason = "inferred done: not seen arriving; a GPS gap from \(clock.clockTime(from.t)) to \(clock.clockTime(to.t)) passed the site"
            try complete(site.booking, at: to.t, reason: reason, db)
            done.append(site.booking.id ?? 0)
        }
        return done
    }

    /// Arrived, then completed, at `at` (the state machine has no shorter way), both with `reason`.
    private static func complete(_ booking: BookingRecord, at: Int64, reason: String, _ db: StoreTransaction) throws {
        _ = try db.moveBooking(booking.externalId, to: .arrived, at: at, reason: reason)
        _ = try db.moveBooking(booking.externalId, to: .completed, at: at, reason: reason)
    }
}
