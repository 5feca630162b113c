import Foundation
import GRDB

/// The queries behind the reports (`report cancellations`, `report windows`, `windows`) and `learn`.
extension StoreTransaction {
    /// A region's bookings with a day in [from, to] (yyyy-mm-dd) and one of `statuses`.
    public func bookings(regionId: Int64, from: String, to: String, statuses: [BookingStatus]) throws -> [BookingRecord] {
        try BookingRecord.filter(Column("regionId") == regionId && Column("day") >= from && Column("day") <= to)
            .filter(statuses.map(\.rawValue).contains(Column("status"))).fetchAll(db)
    }

    /// Which of these bookings were ever confirmed.
    public func everConfirmed(_ bookingIds: [Int64]) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT bookingId FROM bookingStatusChange WHERE toStatus = 'confirmed' AND bookingId IN "
                                   + "(SELECT value FROM json_each(?))", arguments: [jsonList(bookingIds)]))
    }

    /// Which of these bookings had a reminder or morning message delivered.
    public func reminderDelivered(_ bookingIds: [Int64]) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: """
            SELECT DISTINCT bookingId FROM outbox WHERE template IN ('reminder', 'morning') AND status = 'sent'
            AND bookingId IN (SELECT value FROM json_each(?))
            """, arguments: [jsonList(bookingIds)]))
    }

    private func jsonList(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}

extension StoreTransaction {
    /// A planned visit with what happened, for `learn`: one row per stop of a region, in route order.
    public struct VisitHistory: Sendable {
        public var routeId: Int64, sequence: Int, plannedStart: Int64, promisedStart: Int64?
        public var actualArrival: Int64?, actualDeparture: Int64?, actualStart: Int64?, breakStart: Int64?
        public var lat: Double, lon: Double, serviceDuration: Int64, timeWindows: [TimeWindow], requiredSkills: [String]
    }

    public func visitHistory(regionId: Int64) throws -> [VisitHistory] {
        try Row.fetchAll(db, sql: """
            SELECT s.routeId, s.sequence, s.plannedStart, s.promisedStart, s.actualArrival, s.actualDeparture, s.actualStart, ro.breakStart,
                   b.lat, b.lon, b.serviceDuration, b.timeWindows, b.requiredSkills
            FROM stop s JOIN booking b ON b.id = s.bookingId JOIN route ro ON ro.id = s.routeId
            WHERE b.regionId = ? ORDER BY s.routeId, s.sequence
            """, arguments: [regionId]).map { row in
            VisitHistory(routeId: row["routeId"], sequence: row["sequence"], plannedStart: row["plannedStart"], promisedStart: row["promisedStart"],
                         actualArrival: row["actualArrival"], actualDeparture: row["actualDeparture"], actualStart: row["actualStart"],
                         breakStart: row["breakStart"], lat: row["lat"], lon: row["lon"], serviceDuration: row["serviceDuration"],
                         timeWindows: try StoredJSON.timeWindows(row, "timeWindows"), requiredSkills: try StoredJSON.strings(row, "requiredSkills"))
        }
    }

    /// A planned visit of a day with its windows, for `windows`: route order per technician.
    public struct VisitWindowRow: Sendable {
        public var booking: String, technician: String, status: String, timeWindows: [TimeWindow]
        public var promisedStart: Int64?, promisedEnd: Int64?, estimateStart: Int64?, estimateEnd: Int64?
        public var plannedArrival: Int64, plannedStart: Int64, actualStart: Int64?, actualArrival: Int64?
        /// How often its told window moved.
        public var changes: Int
    }

    public func visitWindows(regionId: Int64, day: String) throws -> [VisitWindowRow] {
        try Row.fetchAll(db, sql: """
            SELECT b.externalId AS booking, t.externalId AS tech, b.status, b.timeWindows, s.promisedStart, s.promisedEnd,
                   s.estimateStart, s.estimateEnd, s.plannedArrival, s.plannedStart, s.actualStart, s.actualArrival,
                   (SELECT COUNT(*) FROM windowChange c WHERE c.bookingId = b.id) AS changes
            FROM stop s JOIN route ro ON ro.id = s.routeId JOIN plan p ON p.id = ro.planId
            JOIN technician t ON t.id = ro.technicianId JOIN booking b ON b.id = s.bookingId
            WHERE p.regionId = ? AND p.day = ? ORDER BY t.externalId, s.sequence
            """, arguments: [regionId, day]).map { row in
            VisitWindowRow(booking: row["booking"], technician: row["tech"], status: row["status"], timeWindows: try StoredJSON.timeWindows(row, "timeWindows"),
                           promisedStart: row["promisedStart"], promisedEnd: row["promisedEnd"], estimateStart: row["estimateStart"],
                           estimateEnd: row["estimateEnd"], plannedArrival: row["plannedArrival"], plannedStart: row["plannedStart"],
                           actualStart: row["actualStart"],
                           actualArrival: row["actualArrival"], changes: row["changes"])
        }
    }

    /// A visit that happened, with one of its window estimates, for `report windows`.
    public struct EstimateOutcome: Sendable {
        public var actualStart: Int64?, actualArrival: Int64?, plannedStart: Int64, promisedStart: Int64?, timeWindows: [TimeWindow]
        public var horizon: String, start: Int64, end: Int64
    }

    public func estimateOutcomes(regionId: Int64, from: String, to: String) throws -> [EstimateOutcome] {
        try Row.fetchAll(db, sql: """
            SELECT s.actualStart, s.actualArrival, s.plannedStart, s.promisedStart, b.timeWindows, e.horizon, e.start, e."end"
            FROM stop s JOIN booking b ON b.id = s.bookingId JOIN windowEstimate e ON e.bookingId = b.id
            WHERE b.regionId = ? AND b.day BETWEEN ? AND ? AND (s.actualStart IS NOT NULL OR s.actualArrival IS NOT NULL)
            """, arguments: [regionId, from, to]).map { row in
            EstimateOutcome(actualStart: row["actualStart"], actualArrival: row["actualArrival"], plannedStart: row["plannedStart"],
                            promisedStart: row["promisedStart"],
                            timeWindows: try StoredJSON.timeWindows(row, "timeWindows"), horizon: row["horizon"], start: row["start"], end: row["end"])
        }
    }

    /// A region's visits due in [from, to] (every booking that still needed or had its visit: not
    /// requested, cancelled or moved), how many have a stop in a plan, and how many of those have a
    /// known start or arrival.
    public func visitAccounting(regionId: Int64, from: String, to: String) throws -> (due: Int, placed: Int, seen: Int) {
        let row = try Row.fetchOne(db, sql: """
            SELECT COUNT(*) AS due, COUNT(s.id) AS placed,
                   SUM(CASE WHEN s.actualStart IS NOT NULL OR s.actualArrival IS NOT NULL THEN 1 ELSE 0 END) AS seen
            FROM booking b LEFT JOIN stop s ON s.bookingId = b.id
            WHERE b.regionId = ? AND b.day BETWEEN ? AND ? AND b.status IN ('booked', 'confirmed', 'en_route', 'arrived', 'completed', 'no_show')
            """, arguments: [regionId, from, to])
        return (row?["due"] ?? 0, row?["placed"] ?? 0, row?["seen"] ?? 0)
    }

    /// Told-window changes of a region's days in [from, to].
    public func windowChangeCount(regionId: Int64, from: String, to: String) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM windowChange c JOIN booking b ON b.id = c.bookingId WHERE b.regionId = ? AND b.day BETWEEN ? AND ?
            """, arguments: [regionId, from, to]) ?? 0
    }

    /// Told-window changes of every region's visits on `day`.
    public func windowChangeCount(day: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM windowChange c JOIN booking b ON b.id = c.bookingId WHERE b.day = ?",
                         arguments: [day]) ?? 0
    }
}
