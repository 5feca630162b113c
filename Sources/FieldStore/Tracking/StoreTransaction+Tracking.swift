import GRDB

/// Fences, geofence events, the detectors' saved state and pings.
extension StoreTransaction {
    /// Creates a booking's fence or updates it in place (its id, and so its events, survive re-plans).
    public func upsertFence(externalId: String, kind: String, bookingId: Int64?, lat: Double, lon: Double, radius: Double,
                            technicianId: Int64?) throws {
        try db.execute(sql: """
            INSERT INTO geofence (externalId, kind, bookingId, centerLat, centerLon, radius, technicianId) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(externalId) DO UPDATE SET bookingId = excluded.bookingId, centerLat = excluded.centerLat,
                centerLon = excluded.centerLon, radius = excluded.radius, technicianId = excluded.technicianId
            """, arguments: [externalId, kind, bookingId, lat, lon, radius, technicianId])
    }

    /// True when a fence has this external id.
    public func fenceExists(externalId: String) throws -> Bool {
        try GeofenceRecord.filter(Column("externalId") == externalId).fetchCount(db) > 0
    }

    /// A fence with the region and local day of its booking, if it has one.
    public struct FenceInPlay: Sendable {
        public var fence: GeofenceRecord
        public var bookingRegion: Int64?
        public var bookingDay: String?
    }

    /// Every fence not tied to a booking, and the fences of bookings with one of `statuses`.
    public func fences(bookingStatuses statuses: [BookingStatus]) throws -> [FenceInPlay] {
        let open = statuses.map(\.rawValue)
        return try Row.fetchAll(db, sql: """
            SELECT g.*, b.regionId AS bookingRegion, b.day AS bookingDay FROM geofence g LEFT JOIN booking b ON b.id = g.bookingId
            WHERE g.bookingId IS NULL OR b.status IN (\(open.map { _ in "?" }.joined(separator: ", ")))
            """, arguments: StatementArguments(open)).map { row in
            FenceInPlay(fence: try GeofenceRecord(row: row), bookingRegion: row["bookingRegion"], bookingDay: row["bookingDay"])
        }
    }

    /// A technician's saved detector state (JSON), nil before the first ping.
    public func detectorState(technicianId: Int64) throws -> String? { try DetectorStateRecord.fetchOne(db, key: technicianId)?.state }

    /// Saves a technician's detector state (JSON).
    public func saveDetectorState(technicianId: Int64, json: String) throws {
        try DetectorStateRecord(technicianId: technicianId, state: json).save(db)
    }

    /// The ping writer for this transaction: one prepared statement for the ingest's hot loop.
    public func pingWriter() throws -> PingWriter { try PingWriter(db) }

    /// Each technician's latest ping between `from` and `to` (Unix seconds), by technician id.
    public func latestPings(from: Int64, to: Int64) throws -> [Int64: PingRecord] {
        var out: [Int64: PingRecord] = [:]
        for ping in try PingRecord.fetchAll(db, sql: """
            SELECT p.* FROM ping p JOIN (SELECT technicianId, MAX(timestamp) AS t FROM ping WHERE timestamp BETWEEN ? AND ?
                                         GROUP BY technicianId) m
            ON p.technicianId = m.technicianId AND p.timestamp = m.t
            """, arguments: [from, to]) { out[ping.technicianId] = ping }
        return out
    }

    /// A technician's latest ping at or before `now`.
    public func latestPing(technicianId: Int64, atOrBefore now: Int64) throws -> PingRecord? {
        try PingRecord.filter(Column("technicianId") == technicianId && Column("timestamp") <= now)
            .order(Column("timestamp").desc).fetchOne(db)
    }

    /// A technician's pings in [from, to], oldest first.
    public func pings(technicianId: Int64, from: Int64, to: Int64) throws -> [PingRecord] {
        try PingRecord.filter(Column("technicianId") == technicianId && Column("timestamp") >= from && Column("timestamp") <= to)
            .order(Column("timestamp")).fetchAll(db)
    }

    /// A technician's pings in [from, to).
    public func pingCount(technicianId: Int64, from: Int64, to: Int64) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ping WHERE technicianId = ? AND timestamp >= ? AND timestamp < ?",
                         arguments: [technicianId, from, to]) ?? 0
    }

    /// A geofence event with its names, for `events list`.
    public struct EventRow: Sendable {
        public var technician: String, fence: String, kind: String, timestamp: Int64, detectedAt: Int64, booking: String?
    }

    /// Geofence events, oldest first, of one technician (external id) or everyone.
    public func events(technician: String?) throws -> [EventRow] {
        try Row.fetchAll(db, sql: """
            SELECT technician.externalId AS tech, geofence.externalId AS fence, geofenceEvent.kind, geofenceEvent.timestamp,
                   geofenceEvent.detectedAt, booking.externalId AS booking
            FROM geofenceEvent JOIN technician ON technician.id = geofenceEvent.technicianId
            JOIN geofence ON geofence.id = geofenceEvent.geofenceId LEFT JOIN booking ON booking.id = geofence.bookingId
            WHERE ? IS NULL OR technician.externalId = ?
            ORDER BY geofenceEvent.timestamp, geofenceEvent.id
            """, arguments: [technician, technician]).map {
            EventRow(technician: $0["tech"], fence: $0["fence"], kind: $0["kind"], timestamp: $0["timestamp"],
                     detectedAt: $0["detectedAt"], booking: $0["booking"])
        }
    }

    /// A region's geofence events in [from, to), by technician, fence and time: row ids, not names.
    public struct DayEvent: Sendable {
        public var technicianId: Int64, fenceId: Int64, kind: String, timestamp: Int64, detectedAt: Int64, bookingId: Int64?
    }

    public func events(regionId: Int64, from: Int64, to: Int64) throws -> [DayEvent] {
        try Row.fetchAll(db, sql: """
            SELECT e.technicianId AS tech, e.geofenceId AS fence, e.kind, e.timestamp, e.detectedAt, g.bookingId AS booking
            FROM geofenceEvent e JOIN geofence g ON g.id = e.geofenceId
            JOIN technician t ON t.id = e.technicianId
            WHERE t.regionId = ? AND e.timestamp >= ? AND e.timestamp < ?
            ORDER BY e.technicianId, e.geofenceId, e.timestamp, e.id
            """, arguments: [regionId, from, to]).map {
            DayEvent(technicianId: $0["tech"], fenceId: $0["fence"], kind: $0["kind"], timestamp: $0["timestamp"],
                     detectedAt: $0["detectedAt"], bookingId: $0["booking"])
        }
    }

    /// A planned stop of a region's day, with its route's technician (row ids).
    public struct DayStop: Sendable {
        public var technicianId: Int64, bookingId: Int64, actualArrival: Int64?, actualDeparture: Int64?
    }

    public func plannedStops(regionId: Int64, day: String) throws -> [DayStop] {
        try Row.fetchAll(db, sql: """
            SELECT r.technicianId AS tech, s.bookingId AS booking, s.actualArrival, s.actualDeparture
            FROM stop s JOIN route r ON r.id = s.routeId JOIN plan p ON p.id = r.planId
            WHERE p.regionId = ? AND p.day = ?
            """, arguments: [regionId, day]).map {
            DayStop(technicianId: $0["tech"], bookingId: $0["booking"], actualArrival: $0["actualArrival"], actualDeparture: $0["actualDeparture"])
        }
    }

    /// When each booking's customer was first told the technician is coming ("approach", "on the way").
    public func firstToldApproach() throws -> [Int64: Int64] {
        var out: [Int64: Int64] = [:]
        for m in try Row.fetchAll(db, sql: """
            SELECT bookingId, MIN(dueAt) AS at FROM outbox WHERE template IN ('approach', 'on_the_way') AND bookingId IS NOT NULL
            GROUP BY bookingId
            """) { out[m["bookingId"]] = m["at"] }
        return out
    }

    /// "Approach" and "on the way" messages of a region's planned day, by technician id.
    public func approachMessages(regionId: Int64, day: String) throws -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for m in try Row.fetchAll(db, sql: """
            SELECT r.technicianId AS tech, COUNT(*) AS n FROM outbox o JOIN stop s ON s.bookingId = o.bookingId
            JOIN route r ON r.id = s.routeId JOIN plan p ON p.id = r.planId
            WHERE p.regionId = ? AND p.day = ? AND o.template IN ('approach', 'on_the_way') GROUP BY r.technicianId
            """, arguments: [regionId, day]) { out[m["tech"]] = m["n"] }
        return out
    }
}
