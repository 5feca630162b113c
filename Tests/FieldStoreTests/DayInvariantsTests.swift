import FieldStore
import GRDB
import Testing

/// Each rule of ``DayInvariants`` on a store broken by hand: the checker names the rule and the booking.
@Suite struct DayInvariantsTests {
    /// A region, technician, customer, two booked visits on 2026-11-24 (B-1 at 09:00–12:00), then a plan
    /// with one route whose only stop is B-1 at 10:00.
    func day() throws -> FieldStore {
        let store = try FieldStore.inMemory(checksInvariants: false)
        try store.writeDatabase { db in
            try db.execute(sql: """
                INSERT INTO region (id, name, timeZone) VALUES (1, 'lyon', 'Europe/Paris');
                INSERT INTO technician (id, externalId, regionId, name, startLat, startLon, endLat, endLon) VALUES (1, 'T-01', 1, 'Ana', 45.7, 4.8, 45.7, 4.8);
                INSERT INTO customer (id, externalId, name, phone) VALUES (1, 'C-1', 'Léa', '+33 6');
                INSERT INTO booking (id, externalId, customerId, regionId, lat, lon, address, serviceDuration, day, timeWindows, status, createdAt, changedAt)
                VALUES (1, 'B-1', 1, 1, 45.75, 4.84, '', 1800, '2026-11-24', '[{"start":1795507200,"end":1795518000}]', 'booked', 0, 0),
                       (2, 'B-2', 1, 1, 45.75, 4.84, '', 1800, '2026-11-24', '[{"start":1795507200,"end":1795518000}]', 'booked', 0, 0);
                INSERT INTO plan (id, regionId, day, createdAt, cost, unassignedCount) VALUES (1, 1, '2026-11-24', 0, 0, 0);
                INSERT INTO route (id, planId, technicianId, distance, travelTime) VALUES (1, 1, 1, 0, 0);
                INSERT INTO stop (routeId, bookingId, sequence, plannedArrival, plannedStart, plannedEnd, promisedStart, promisedEnd)
                VALUES (1, 1, 1, 1795510800, 1795510800, 1795512600, 1795509000, 1795512600);
                """)
        }
        return store
    }

    func broken(_ store: FieldStore) throws -> [String] {
        try store.read { tx in try tx.dayViolations().map { "\($0.booking) \($0.rule.rawValue)" } }
    }

    @Test func aVisitOnNoRouteAndNotListedIsNamed() throws {
        let store = try day()
        #expect(try broken(store) == ["B-2 visit_on_one_route_or_unplanned"])
        try store.writeDatabase { db in try UnplannedRecord(bookingId: 2, planId: 1, reason: "no_room", at: 0).insert(db) }
        #expect(try broken(store) == [])
    }

    @Test func eachOtherRuleIsNamed() throws {
        let store = try day()
        try store.writeDatabase { db in
            try UnplannedRecord(bookingId: 2, planId: 1, reason: "no_room", at: 0).insert(db)
            // B-1 after its allowed window and its told window.
            try db.execute(sql: "UPDATE stop SET plannedStart = 1795520000, plannedEnd = 1795521800 WHERE bookingId = 1")
        }
        #expect(try broken(store) == ["B-1 planned_start_in_allowed_window", "B-1 planned_start_in_told_window"])
        try store.writeDatabase { db in
            try db.execute(sql: "UPDATE stop SET plannedStart = 1795510800, plannedEnd = 1795512600 WHERE bookingId = 1")
            try db.execute(sql: "UPDATE booking SET status = 'cancelled' WHERE id = 1")
            try db.execute(sql: """
                INSERT INTO outbox (channel, recipient, template, body, dueAt, dedupeKey, bookingId) VALUES ('sms', '+33 6', 'reminder', '', 0, 'r:B-1', 1)
                """)
            try db.execute(sql: "INSERT INTO windowChange (bookingId, oldStart, oldEnd, newStart, newEnd, reason, at) VALUES (2, 1, 2, 3, 4, 'late', 0)")
        }
        #expect(try Set(broken(store)) == ["B-1 no_stop_for_cancelled_visit", "B-1 no_pending_message_for_cancelled_visit",
                                          "B-2 every_told_window_change_has_its_message"])
    }

    @Test func aChangedDrivenStopIsNamed() throws {
        let store = try day()
        try store.writeDatabase { db in try db.execute(sql: "UPDATE stop SET actualArrival = 1795510700 WHERE bookingId = 1") }
        let before = try store.read { tx in try tx.drivenStops() }
        try store.writeDatabase { db in try db.execute(sql: "UPDATE stop SET actualArrival = 1795510000 WHERE bookingId = 1") }
        let after = try store.read { tx in try tx.drivenStops() }
        #expect(DayInvariants.drivenChanges(from: before, to: after).map(\.booking) == ["B-1"])
        #expect(DayInvariants.drivenChanges(from: before, to: before) == [])
    }
}
