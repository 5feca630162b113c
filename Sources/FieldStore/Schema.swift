import GRDB

/// The ordered list of migrations. Add new ones at the end; never edit one that has shipped.
/// Tables are named in strings, not record types, so later record changes cannot rewrite history.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: domain", migrate: createV1)
        migrator.registerMigration("v2: fence owners, site radius per booking", migrate: addFenceOwners)
        migrator.registerMigration("v3: imported travel matrices", migrate: addTravelMatrix)
        migrator.registerMigration("v4: planned lunch breaks", migrate: addRouteBreaks)
        migrator.registerMigration("v5: self-service tokens, technician messages, customer notes", migrate: addSelfService)
        migrator.registerMigration("v6: live windows", migrate: addLiveWindows)
        migrator.registerMigration("v7: the day's guardian: day versions, unplanned visits", migrate: addDayGuardian)
        migrator.registerMigration("v8: planned departures", migrate: addRouteDepartures)
        migrator.registerMigration("v9: why a message was withdrawn", migrate: addWithdrawnReason)
        migrator.registerMigration("v10: holds and offers of slots", migrate: addSlotHolds)
        migrator.registerMigration("v11: staff tokens for the served pages", migrate: addStaffTokens)
        migrator.registerMigration("v12: travel times fetched from a region's OSRM server", migrate: addRouterLegs)
        return migrator
    }

    private static func createV1(_ db: Database) throws {
        try db.create(table: "region") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull().unique()
            t.column("timeZone", .text).notNull()
            t.column("depotLat", .double).check { $0 == nil || ($0 >= -90 && $0 <= 90) }
            t.column("depotLon", .double).check { $0 == nil || ($0 >= -180 && $0 <= 180) }
            t.column("travelModel", .text).notNull().defaults(to: "haversine")
                .check { ["haversine", "matrix"].contains($0) }
        }
        try db.create(table: "technician") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("externalId", .text).notNull().unique()
            t.belongsTo("region", onDelete: .restrict).notNull()
            t.column("name", .text).notNull()
            for c in ["startLat", "endLat"] { t.column(c, .double).notNull().check { $0 >= -90 && $0 <= 90 } }
            for c in ["startLon", "endLon"] { t.column(c, .double).notNull().check { $0 >= -180 && $0 <= 180 } }
            t.column("skills", .jsonText).notNull().defaults(to: "[]")
        }
        try db.create(table: "shift") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("technician", onDelete: .cascade).notNull()
            t.column("day", .text).notNull()
            t.column("start", .integer).notNull()
            t.column("end", .integer).notNull()
            t.column("breakEarliest", .integer)
            t.column("breakLatest", .integer)
            t.column("breakLength", .integer).notNull().defaults(to: 0)
            t.uniqueKey(["technicianId", "day"])
            t.check(sql: "\"end\" > start AND \"end\" - start <= 86400")
            t.check(sql: "breakLength >= 0 AND (breakLength = 0 OR (breakEarliest IS NOT NULL AND breakLatest >= breakEarliest))")
        }
        try db.create(table: "customer") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("externalId", .text).notNull().unique()
            t.column("name", .text).notNull()
            t.column("phone", .text)
            t.column("email", .text)
            t.column("preferredChannel", .text).notNull().defaults(to: "sms").check { ["sms", "email"].contains($0) }
            t.column("noShowCount", .integer).notNull().defaults(to: 0).check { $0 >= 0 }
            t.column("blocked", .boolean).notNull().defaults(to: false)
            t.column("blockedReason", .text)
            t.column("prepaymentRequired", .boolean).notNull().defaults(to: false)
        }
        try db.create(table: "booking") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("externalId", .text).notNull().unique()
            t.belongsTo("customer", onDelete: .restrict).notNull()
            t.belongsTo("region", onDelete: .restrict).notNull()
            t.column("lat", .double).notNull().check { $0 >= -90 && $0 <= 90 }
            t.column("lon", .double).notNull().check { $0 >= -180 && $0 <= 180 }
            t.column("address", .text).notNull()
            t.column("serviceDuration", .integer).notNull().check { $0 >= 0 }
            t.column("requiredSkills", .jsonText).notNull().defaults(to: "[]")
            t.column("day", .text).notNull().indexed()
            t.column("timeWindows", .jsonText).notNull()
            t.column("priority", .integer).notNull().defaults(to: 1)
            t.belongsTo("pinnedTechnician", inTable: "technician", onDelete: .setNull)
            t.column("paymentStatus", .text).notNull().defaults(to: "none")
                .check { ["none", "deposit", "prepaid", "voucher"].contains($0) }
            t.column("status", .text).notNull()
                .check { BookingStatus.allCases.map(\.rawValue).contains($0) }
            t.column("createdAt", .integer).notNull()
            t.column("changedAt", .integer).notNull()
            t.column("cancelledAt", .integer)
            t.column("cancellationReason", .text)
            t.column("cancellationLeadTime", .integer)
            t.column("outcome", .text).check { $0 == nil || ["completed", "no_show", "cancelled_late"].contains($0) }
        }
        try db.create(table: "bookingStatusChange") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("booking", onDelete: .cascade).notNull()
            t.column("fromStatus", .text).notNull()
            t.column("toStatus", .text).notNull()
            t.column("at", .integer).notNull()
            t.column("reason", .text)
        }
        try db.create(table: "plan") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("region", onDelete: .cascade).notNull()
            t.column("day", .text).notNull()
            t.column("createdAt", .integer).notNull()
            t.column("cost", .integer).notNull()
            t.column("unassignedCount", .integer).notNull()
            t.uniqueKey(["regionId", "day"])
        }
        try db.create(table: "route") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("plan", onDelete: .cascade).notNull()
            t.belongsTo("technician", onDelete: .restrict).notNull()
            t.column("distance", .integer).notNull()
            t.column("travelTime", .integer).notNull()
            t.uniqueKey(["planId", "technicianId"])
        }
        try db.create(table: "stop") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("route", onDelete: .cascade).notNull()
            t.belongsTo("booking", onDelete: .restrict).notNull()
            t.column("sequence", .integer).notNull()
            for c in ["plannedArrival", "plannedStart", "plannedEnd"] { t.column(c, .integer).notNull() }
            for c in ["promisedStart", "promisedEnd", "estimateStart", "estimateEnd", "actualArrival", "actualDeparture"] {
                t.column(c, .integer)
            }
            t.uniqueKey(["routeId", "sequence"])
        }
        try db.create(table: "ping") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("technician", onDelete: .cascade).notNull()
            t.column("timestamp", .integer).notNull()
            t.column("lat", .double).notNull().check { $0 >= -90 && $0 <= 90 }
            t.column("lon", .double).notNull().check { $0 >= -180 && $0 <= 180 }
            t.column("accuracy", .double)
            t.column("speed", .double)
            t.column("heading", .double)
            t.uniqueKey(["technicianId", "timestamp"], onConflict: .ignore)
        }
        try db.create(table: "geofence") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("externalId", .text).notNull().unique()
            t.column("kind", .text).notNull().check { ["site", "approach", "depot", "area"].contains($0) }
            t.belongsTo("booking", onDelete: .cascade)
            t.column("wkt", .text)
            t.column("centerLat", .double)
            t.column("centerLon", .double)
            t.column("radius", .double).check { $0 == nil || $0 > 0 }
            t.check(sql: "wkt IS NOT NULL OR (centerLat IS NOT NULL AND centerLon IS NOT NULL AND radius IS NOT NULL)")
        }
        try db.create(table: "geofenceEvent") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("technician", onDelete: .cascade).notNull()
            t.belongsTo("geofence", onDelete: .cascade).notNull()
            t.column("kind", .text).notNull().check { ["enter", "exit", "dwell", "approach"].contains($0) }
            t.column("timestamp", .integer).notNull()
            t.column("detectedAt", .integer).notNull()
            t.column("lat", .double).notNull()
            t.column("lon", .double).notNull()
            t.uniqueKey(["technicianId", "geofenceId", "kind", "timestamp"], onConflict: .ignore)
        }
        try db.create(table: "detectorState") { t in
            t.primaryKey("technicianId", .integer).references("technician", onDelete: .cascade)
            t.column("state", .jsonText).notNull()
        }
        try db.create(table: "outbox") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("channel", .text).notNull().check { ["sms", "email"].contains($0) }
            t.column("recipient", .text).notNull()
            t.column("template", .text).notNull()
            t.column("body", .text).notNull()
            t.column("dueAt", .integer).notNull().indexed()
            t.column("dedupeKey", .text).notNull().unique(onConflict: .ignore)
            t.column("status", .text).notNull().defaults(to: "pending")
                .check { ["pending", "sent", "failed", "withdrawn"].contains($0) }
            t.column("attempts", .integer).notNull().defaults(to: 0)
            t.belongsTo("booking", onDelete: .setNull)
            t.column("lastError", .text)
        }
        try db.create(table: "setting") { t in
            t.belongsTo("region", onDelete: .cascade).notNull()
            t.column("key", .text).notNull()
            t.column("value", .jsonText).notNull()
            t.primaryKey(["regionId", "key"])
        }
    }

    /// Approach zones belong to the technician who will visit the stop; a booking may carry its own
    /// site radius (a farm needs more than a flat).
    private static func addFenceOwners(_ db: Database) throws {
        try db.alter(table: "geofence") { t in
            t.add(column: "technicianId", .integer).references("technician", onDelete: .setNull)
        }
        try db.alter(table: "booking") { t in
            t.add(column: "siteRadius", .double).check { $0 == nil || ($0 > 0 && $0 <= 5_000) }
        }
    }

    /// A region's travel times from a real router: points and row-major Int32 tables (little endian).
    private static func addTravelMatrix(_ db: Database) throws {
        try db.create(table: "travelMatrix") { t in
            t.primaryKey("regionId", .integer).references("region", onDelete: .cascade)
            t.column("source", .text).notNull()
            t.column("points", .jsonText).notNull()
            t.column("durations", .blob).notNull()
            t.column("distances", .blob).notNull()
            t.column("importedAt", .integer).notNull()
        }
    }

    /// Where the planner put each technician's break.
    private static func addRouteBreaks(_ db: Database) throws {
        try db.alter(table: "route") { t in
            t.add(column: "breakStart", .integer)
            t.add(column: "breakEnd", .integer)
        }
    }

    /// When each technician leaves home: as late as the first visit allows, so no one waits at a door.
    private static func addRouteDepartures(_ db: Database) throws {
        try db.alter(table: "route") { t in t.add(column: "departure", .integer) }
    }

    private static func addWithdrawnReason(_ db: Database) throws {
        try db.alter(table: "outbox") { t in t.add(column: "withdrawnReason", .text) }
    }

    private static func addSlotHolds(_ db: Database) throws {
        try db.create(table: "slotHold") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("region", onDelete: .cascade).notNull()
            t.belongsTo("customer", onDelete: .cascade).notNull()
            t.belongsTo("booking", onDelete: .cascade)
            t.column("slot", .text).notNull()
            t.column("day", .text).notNull().indexed()
            t.column("windowStart", .integer).notNull()
            t.column("windowEnd", .integer).notNull()
            t.column("lat", .double).notNull().check { $0 >= -90 && $0 <= 90 }
            t.column("lon", .double).notNull().check { $0 >= -180 && $0 <= 180 }
            t.column("serviceDuration", .integer).notNull()
            t.column("requiredSkills", .jsonText).notNull()
            t.column("note", .text)
            t.column("createdAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
            t.column("status", .text).notNull().check { ["open", "taken", "released", "expired"].contains($0) }
        }
    }

    /// What a region's OSRM server answered, kept so the next call (or process) asks only for new points.
    private static func addRouterLegs(_ db: Database) throws {
        try db.create(table: "routerLegs") { t in
            t.primaryKey("regionId", .integer).references("region", onDelete: .cascade)
            t.column("server", .text).notNull()
            t.column("points", .jsonText).notNull()
            t.column("durations", .blob).notNull()
            t.column("distances", .blob).notNull()
            t.column("updatedAt", .integer).notNull()
        }
    }

    private static func addStaffTokens(_ db: Database) throws {
        try db.create(table: "staffToken") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("tokenHash", .text).notNull().unique()
            t.column("label", .text).notNull()
            t.column("createdAt", .integer).notNull()
        }
    }

    private static func addSelfService(_ db: Database) throws {
        try db.create(table: "bookingToken") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("booking", onDelete: .cascade).notNull()
            t.column("tokenHash", .text).notNull().unique()
            t.column("createdAt", .integer).notNull()
            t.column("expiresAt", .integer).notNull()
        }
        try db.create(table: "technicianMessage") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("technician", onDelete: .cascade).notNull()
            t.belongsTo("booking", onDelete: .setNull)
            t.column("body", .text).notNull()
            t.column("createdAt", .integer).notNull()
            t.column("dedupeKey", .text).notNull().unique(onConflict: .ignore)
        }
        try db.create(table: "customerNote") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("customer", onDelete: .cascade).notNull()
            t.column("kind", .text).notNull()
            t.column("note", .text).notNull()
            t.column("at", .integer).notNull()
        }
    }

    /// Windows as estimated at each horizon (for `report windows`), every told window's change, and the
    /// service start where it is known (simulated days know it exactly).
    private static func addLiveWindows(_ db: Database) throws {
        try db.create(table: "windowEstimate") { t in
            t.belongsTo("booking", onDelete: .cascade).notNull()
            t.column("horizon", .text).notNull().check { ["night_before", "start_of_day", "hour_before", "en_route"].contains($0) }
            t.column("start", .integer).notNull()
            t.column("end", .integer).notNull()
            t.column("at", .integer).notNull()
            t.primaryKey(["bookingId", "horizon"])
        }
        try db.create(table: "windowChange") { t in
            t.autoIncrementedPrimaryKey("id")
            t.belongsTo("booking", onDelete: .cascade).notNull()
            t.column("oldStart", .integer).notNull()
            t.column("oldEnd", .integer).notNull()
            t.column("newStart", .integer).notNull()
            t.column("newEnd", .integer).notNull()
            t.column("reason", .text).notNull()
            t.column("at", .integer).notNull()
        }
        try db.alter(table: "stop") { t in t.add(column: "actualStart", .integer) }
    }
}
