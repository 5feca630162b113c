import GRDB

extension Schema {
    /// The day's guardian in the schema itself, so every writer keeps it "no matter how wrong the Swift
    /// code can get":
    /// - `dayVersion`: one counter per (region, day), raised by triggers whenever anything a plan or a
    ///   dispatch call reads of that day changes (its bookings, shifts, plan, routes and stops). An
    ///   operation that computed outside a transaction commits only if the counter is still the one it
    ///   read (``FieldStore/writeDay(_:expecting:_:)``).
    /// - `unplanned`: the visits of a planned day that have no route place, each with its reason. A
    ///   visit booked on a day that already has a plan is listed with `booked_after_plan`; a stop for it
    ///   takes it off the list; a cancelled or moved visit leaves it.
    static func addDayGuardian(_ db: Database) throws {
        try db.create(table: "dayVersion") { t in
            t.belongsTo("region", onDelete: .cascade).notNull()
            t.column("day", .text).notNull()
            t.column("version", .integer).notNull()
            t.primaryKey(["regionId", "day"])
        }
        try db.create(table: "unplanned") { t in
            t.primaryKey("bookingId", .integer).references("booking", onDelete: .cascade)
            t.belongsTo("plan", onDelete: .cascade).notNull()
            t.column("reason", .text).notNull()
            t.column("at", .integer).notNull()
        }
        // Bookings already on a planned day but on no route: what plans before this migration left behind.
        try db.execute(sql: """
            INSERT INTO unplanned (bookingId, planId, reason, at)
            SELECT b.id, p.id, 'no_room', p.createdAt FROM booking b JOIN plan p ON p.regionId = b.regionId AND p.day = b.day
            WHERE b.status IN ('booked', 'confirmed') AND NOT EXISTS (SELECT 1 FROM stop s WHERE s.bookingId = b.id)
            """)

        func bump(_ select: String) -> String {
            "INSERT INTO dayVersion (regionId, day, version) \(select) ON CONFLICT(regionId, day) DO UPDATE SET version = version + 1;"
        }
        let newBooking = bump("SELECT NEW.regionId, NEW.day, 1 WHERE true")
        let oldBooking = bump("SELECT OLD.regionId, OLD.day, 1 WHERE true")
        try db.execute(sql: """
            CREATE TRIGGER dayOnBookingInsert AFTER INSERT ON booking BEGIN
                \(newBooking)
                INSERT INTO unplanned (bookingId, planId, reason, at)
                SELECT NEW.id, p.id, 'booked_after_plan', NEW.createdAt FROM plan p
                WHERE p.regionId = NEW.regionId AND p.day = NEW.day AND NEW.status IN ('booked', 'confirmed');
            END;
            CREATE TRIGGER dayOnBookingUpdate AFTER UPDATE OF status, day, regionId, timeWindows, serviceDuration, lat, lon,
                requiredSkills, priority, pinnedTechnicianId ON booking BEGIN
                \(newBooking)
                \(oldBooking)
                DELETE FROM unplanned WHERE bookingId = NEW.id AND NEW.status NOT IN ('booked', 'confirmed', 'en_route', 'arrived');
            END;
            CREATE TRIGGER dayOnBookingDelete AFTER DELETE ON booking BEGIN \(oldBooking) END;
            CREATE TRIGGER dayOnPlanInsert AFTER INSERT ON plan BEGIN \(bump("SELECT NEW.regionId, NEW.day, 1 WHERE true")) END;
            CREATE TRIGGER dayOnPlanDelete AFTER DELETE ON plan BEGIN \(bump("SELECT OLD.regionId, OLD.day, 1 WHERE true")) END;
            CREATE TRIGGER dayOnRouteChange AFTER UPDATE OF breakStart, breakEnd, technicianId ON route BEGIN
                \(bump("SELECT p.regionId, p.day, 1 FROM plan p WHERE p.id = NEW.planId"))
            END;
            CREATE TRIGGER dayOnStopInsert AFTER INSERT ON stop BEGIN
                \(bump("SELECT p.regionId, p.day, 1 FROM route r JOIN plan p ON p.id = r.planId WHERE r.id = NEW.routeId"))
                DELETE FROM unplanned WHERE bookingId = NEW.bookingId;
            END;
            CREATE TRIGGER dayOnStopUpdate AFTER UPDATE OF routeId, bookingId, sequence, plannedStart, plannedEnd, promisedStart,
                promisedEnd, actualArrival, actualDeparture ON stop BEGIN
                \(bump("SELECT p.regionId, p.day, 1 FROM route r JOIN plan p ON p.id = r.planId WHERE r.id = NEW.routeId"))
            END;
            CREATE TRIGGER dayOnStopDelete AFTER DELETE ON stop BEGIN
                \(bump("SELECT p.regionId, p.day, 1 FROM route r JOIN plan p ON p.id = r.planId WHERE r.id = OLD.routeId"))
            END;
            CREATE TRIGGER dayOnShiftInsert AFTER INSERT ON shift BEGIN
                \(bump("SELECT t.regionId, NEW.day, 1 FROM technician t WHERE t.id = NEW.technicianId"))
            END;
            CREATE TRIGGER dayOnShiftUpdate AFTER UPDATE ON shift BEGIN
                \(bump("SELECT t.regionId, NEW.day, 1 FROM technician t WHERE t.id = NEW.technicianId"))
            END;
            CREATE TRIGGER dayOnShiftDelete AFTER DELETE ON shift BEGIN
                \(bump("SELECT t.regionId, OLD.day, 1 FROM technician t WHERE t.id = OLD.technicianId"))
            END;
            CREATE TRIGGER dayOnUnplannedChange AFTER INSERT ON unplanned BEGIN
                \(bump("SELECT p.regionId, p.day, 1 FROM plan p WHERE p.id = NEW.planId"))
            END;
            """)
    }
}
