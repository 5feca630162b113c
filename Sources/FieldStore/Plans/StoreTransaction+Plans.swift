import GRDB

/// Plans, their routes and stops, and the unplanned list.
extension StoreTransaction {
    /// The region's plan of a day, or nil.
    public func plan(regionId: Int64, day: String) throws -> PlanRecord? {
        try PlanRecord.filter(Column("regionId") == regionId && Column("day") == day).fetchOne(db)
    }

    /// A plan's routes, by technician id.
    public func routes(planId: Int64) throws -> [RouteRecord] {
        try RouteRecord.filter(Column("planId") == planId).order(Column("technicianId")).fetchAll(db)
    }

    /// One technician's route in a plan.
    public func route(planId: Int64, technicianId: Int64) throws -> RouteRecord? {
        try RouteRecord.filter(Column("planId") == planId && Column("technicianId") == technicianId).fetchOne(db)
    }

    /// The stops of these routes, in route order then sequence.
    public func stops(routeIds: [Int64]) throws -> [StopRecord] {
        try StopRecord.filter(routeIds.contains(Column("routeId"))).order(Column("routeId"), Column("sequence")).fetchAll(db)
    }

    /// A route's stops in sequence.
    public func stops(routeId: Int64) throws -> [StopRecord] {
        try StopRecord.filter(Column("routeId") == routeId).order(Column("sequence")).fetchAll(db)
    }

    /// Stops by row id.
    public func stops(ids: [Int64]) throws -> [StopRecord] { try StopRecord.filter(ids.contains(Column("id"))).fetchAll(db) }

    /// The booking's stop (in whatever plan), and the technician of its route.
    public func stop(bookingId: Int64) throws -> (stop: StopRecord, technicianId: Int64)? {
        guard let stop = try StopRecord.filter(Column("bookingId") == bookingId).fetchOne(db),
              let route = try RouteRecord.fetchOne(db, key: stop.routeId) else { return nil }
        return (stop, route.technicianId)
    }

    /// The booking's stop on this technician's route, or nil.
    public func stop(bookingId: Int64, technicianId: Int64) throws -> StopRecord? {
        try StopRecord.fetchOne(db, sql: """
            SELECT stop.* FROM stop JOIN route ON route.id = stop.routeId WHERE stop.bookingId = ? AND route.technicianId = ?
            """, arguments: [bookingId, technicianId])
    }

    /// Deletes the stops of these routes, except `keeping` (stop ids).
    public func deleteStops(routeIds: [Int64], keeping: [Int64]) throws {
        try StopRecord.filter(routeIds.contains(Column("routeId")) && !keeping.contains(Column("id"))).deleteAll(db)
    }

    /// Deletes the stops of these bookings, except `keeping` (stop ids).
    public func deleteStops(bookingIds: [Int64], keeping: [Int64]) throws {
        try StopRecord.filter(bookingIds.contains(Column("bookingId")) && !keeping.contains(Column("id"))).deleteAll(db)
    }

    /// Sets the told window of the booking's stop (and its current estimate to the same), Unix seconds.
    public func setPromise(bookingId: Int64, start: Int64, end: Int64) throws {
        try db.execute(sql: "UPDATE stop SET promisedStart = ?, promisedEnd = ?, estimateStart = ?, estimateEnd = ? WHERE bookingId = ?",
                       arguments: [start, end, start, end, bookingId])
    }

    /// Records each stop's true service start (simulated days know it), by stop id.
    public func setActualStarts(_ starts: [(stopId: Int64, start: Int64)]) throws {
        let update = try db.makeStatement(sql: "UPDATE stop SET actualStart = ? WHERE id = ?")
        for (stop, start) in starts { try update.execute(arguments: [start, stop]) }
    }

    /// A route's driving totals: metres and seconds.
    public func setRouteTotals(routeId: Int64, distance: Int64, travelTime: Int64) throws {
        try db.execute(sql: "UPDATE route SET distance = ?, travelTime = ? WHERE id = ?", arguments: [distance, travelTime, routeId])
    }

    /// Where a route's lunch break is placed, Unix seconds.
    public func setRouteBreak(routeId: Int64, start: Int64, end: Int64) throws {
        try db.execute(sql: "UPDATE route SET breakStart = ?, breakEnd = ? WHERE id = ?", arguments: [start, end, routeId])
    }

    /// A route with no break planned (its technician has nothing left to do today).
    public func clearRouteBreak(routeId: Int64) throws {
        try db.execute(sql: "UPDATE route SET breakStart = NULL, breakEnd = NULL WHERE id = ?", arguments: [routeId])
    }

    /// When a route leaves home, Unix seconds.
    public func setRouteDeparture(routeId: Int64, at departure: Int64) throws {
        try db.execute(sql: "UPDATE route SET departure = ? WHERE id = ?", arguments: [departure, routeId])
    }

    /// Empties a plan's unplanned list.
    /// A plan's visits with no place in any route, and why, by booking external id.
    public func unplannedVisits(planId: Int64) throws -> [(booking: String, reason: String, at: Int64)] {
        try Row.fetchAll(db, sql: """
            SELECT b.externalId, u.reason, u.at FROM unplanned u JOIN booking b ON b.id = u.bookingId
            WHERE u.planId = ? ORDER BY b.externalId
            """, arguments: [planId]).map { ($0["externalId"], $0["reason"], $0["at"]) }
    }

    public func deleteUnplanned(planId: Int64) throws { try UnplannedRecord.filter(Column("planId") == planId).deleteAll(db) }

    /// Every stop's technician and told window, by booking id.
    public func placements() throws -> [Int64: (technician: String, promisedStart: Int64?, promisedEnd: Int64?)] {
        var out: [Int64: (String, Int64?, Int64?)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT stop.bookingId, technician.externalId AS tech, stop.promisedStart, stop.promisedEnd
            FROM stop JOIN route ON route.id = stop.routeId JOIN technician ON technician.id = route.technicianId
            """) { out[row["bookingId"]] = (row["tech"], row["promisedStart"], row["promisedEnd"]) }
        return out
    }

    /// Open stops before `sequence` on the route: the customer's queue position minus one.
    public func openStops(routeId: Int64, before sequence: Int) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM stop s JOIN booking b ON b.id = s.bookingId
            WHERE s.routeId = ? AND s.sequence < ? AND b.status IN ('booked', 'confirmed', 'en_route', 'arrived')
            """, arguments: [routeId, sequence]) ?? 0
    }

    /// One stop of a route with its booking's status as it was at a moment.
    public struct StopAsOf: Sendable {
        public var stop: StopRecord
        public var booking: BookingRecord
        public var status: BookingStatus
    }

    /// A route's stops in order, each with its booking's status at `at` (Unix seconds): the last
    /// change at or before it, else the status it had before its first change, else the current one.
    public func stops(routeId: Int64, asOf at: Int64) throws -> [StopAsOf] {
        let stops = try StopRecord.filter(Column("routeId") == routeId).order(Column("sequence")).fetchAll(db)
        let ids = stops.map(\.bookingId)
        let bookings = Dictionary(uniqueKeysWithValues: try BookingRecord.filter(ids.contains(Column("id"))).fetchAll(db).map { ($0.id ?? 0, $0) })
        let changes = Dictionary(grouping: try BookingStatusChangeRecord.filter(ids.contains(Column("bookingId")))
            .order(Column("at"), Column("id")).fetchAll(db), by: \.bookingId)
        return stops.compactMap { stop in
            guard let booking = bookings[stop.bookingId] else { return nil }
            let history = changes[stop.bookingId] ?? []
            let status = history.last(where: { $0.at <= at })?.toStatus ?? history.first?.fromStatus ?? booking.status
            return StopAsOf(stop: stop, booking: booking, status: status)
        }
    }

    /// Records a window estimate at a horizon unless one is kept already (the first one counts).
    public func keepFirstEstimate(bookingId: Int64, horizon: String, start: Int64, end: Int64, at: Int64) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO windowEstimate (bookingId, horizon, start, end, at) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [bookingId, horizon, start, end, at])
    }

    /// A technician's route of a planned day with its shift and the visits it still has to make (the simulator drives it).
    public struct PlannedRoute: Sendable {
        public var route: RouteRecord, technician: TechnicianRecord, shift: ShiftRecord
        /// Stops still needing their visit, in sequence, with their bookings.
        public var stops: [(stop: StopRecord, booking: BookingRecord)]
    }

    /// The day's routes of technicians with a shift, by technician id; each with its stops still needing a visit.
    public func plannedRoutes(planId: Int64, day: String) throws -> [PlannedRoute] {
        let routes = try routes(planId: planId)
        let stopsOf = Dictionary(grouping: try stops(routeIds: routes.compactMap(\.id)), by: \.routeId)
        let bookingOf = Dictionary(uniqueKeysWithValues: try bookings(ids: stopsOf.values.flatMap { $0.map(\.bookingId) }).map { ($0.id ?? 0, $0) })
        var out: [PlannedRoute] = []
        for route in routes {
            guard let tech = try technician(id: route.technicianId), let shift = try shift(technicianId: route.technicianId, day: day)
            else { continue }
            let visits = (stopsOf[route.id ?? -1] ?? []).compactMap { stop in
                bookingOf[stop.bookingId].flatMap { $0.status.needsVisit ? (stop, $0) : nil }
            }
            out.append(PlannedRoute(route: route, technician: tech, shift: shift, stops: visits))
        }
        return out
    }

}
