import FieldStore
import GRDB
import Testing

@Suite struct RecordRoundTripTests {
    /// Inserts one of every record type and reads each back unchanged.
    @Test func everyRecordTypeRoundTrips() throws {
        let store = try FieldStore.inMemory()
        try store.writeDatabase { db in
            var region = RegionRecord(name: "lyon", timeZone: "Europe/Paris", depotLat: 45.76, depotLon: 4.86)
            try region.insert(db)
            #expect(try RegionRecord.fetchOne(db, key: region.id) == region)

            var tech = TechnicianRecord(externalId: "T-01", regionId: region.id!, name: "Ana", startLat: 45.7,
                                        startLon: 4.8, endLat: 45.71, endLon: 4.81, skills: ["gas", "heating"])
            try tech.insert(db)
            #expect(try TechnicianRecord.fetchOne(db, key: tech.id) == tech)

            var shift = ShiftRecord(technicianId: tech.id!, day: "2026-11-24", start: 1_764_055_800, end: 1_764_088_200,
                                    breakEarliest: 1_764_068_400, breakLatest: 1_764_073_800, breakLength: 1_800)
            try shift.insert(db)
            #expect(try ShiftRecord.fetchOne(db, key: shift.id) == shift)

            var customer = CustomerRecord(externalId: "C-1042", name: "Léa", phone: "+33 6 00 00 00 00",
                                          email: "lea@example.org", preferredChannel: .email, noShowCount: 2,
                                          blocked: true, blockedReason: "3 no-shows", prepaymentRequired: true)
            try customer.insert(db)
            #expect(try CustomerRecord.fetchOne(db, key: customer.id) == customer)

            var booking = BookingRecord(
                externalId: "B-1", customerId: customer.id!, regionId: region.id!, lat: 45.75, lon: 4.85,
                address: "1 rue X", serviceDuration: 1_800, requiredSkills: ["gas"], day: "2026-11-24",
                timeWindows: [TimeWindow(start: 100, end: 200), TimeWindow(start: 300, end: 400)], priority: 3,
                pinnedTechnicianId: tech.id, paymentStatus: .deposit, status: .confirmed, createdAt: 10, changedAt: 11,
                cancelledAt: 12, cancellationReason: "forgot", cancellationLeadTime: 88, outcome: .cancelledLate)
            try booking.insert(db)
            #expect(try BookingRecord.fetchOne(db, key: booking.id) == booking)

            var change = BookingStatusChangeRecord(bookingId: booking.id!, fromStatus: .booked, toStatus: .confirmed,
                                                   at: 11, reason: "customer confirmed")
            try change.insert(db)
            #expect(try BookingStatusChangeRecord.fetchOne(db, key: change.id) == change)

            var plan = PlanRecord(regionId: region.id!, day: "2026-11-24", createdAt: 5, cost: 123_456, unassignedCount: 1)
            try plan.insert(db)
            #expect(try PlanRecord.fetchOne(db, key: plan.id) == plan)
            var route = RouteRecord(planId: plan.id!, technicianId: tech.id!, distance: 42_000, travelTime: 3_600)
            try route.insert(db)
            #expect(try RouteRecord.fetchOne(db, key: route.id) == route)
            var stop = StopRecord(routeId: route.id!, bookingId: booking.id!, sequence: 1, plannedArrival: 90,
                                  plannedStart: 100, plannedEnd: 1_900, promisedStart: 0, promisedEnd: 1_800,
                                  estimateStart: 60, estimateEnd: 900, actualArrival: 95, actualDeparture: 1_950)
            try stop.insert(db)
            #expect(try StopRecord.fetchOne(db, key: stop.id) == stop)

            var ping = PingRecord(technicianId: tech.id!, timestamp: 1_000, lat: 45.7, lon: 4.8, accuracy: 8, speed: 11.5,
                                  heading: 270)
            try ping.insert(db)
            #expect(try PingRecord.fetchOne(db, key: ping.id) == ping)

            var circle = GeofenceRecord(externalId: "site-B-1", kind: "site", bookingId: booking.id, centerLat: 45.75,
                                        centerLon: 4.85, radius: 80)
            try circle.insert(db)
            #expect(try GeofenceRecord.fetchOne(db, key: circle.id) == circle)
            var polygon = GeofenceRecord(externalId: "depot", kind: "depot", wkt: "POLYGON((0 0,1 0,1 1,0 0))")
            try polygon.insert(db)
            #expect(try GeofenceRecord.fetchOne(db, key: polygon.id) == polygon)

            var event = GeofenceEventRecord(technicianId: tech.id!, geofenceId: circle.id!, kind: "enter", timestamp: 1_000,
                                            lat: 45.75, lon: 4.85)
            try event.insert(db)
            #expect(try GeofenceEventRecord.fetchOne(db, key: event.id) == event)

            var message = OutboxMessageRecord(channel: .sms, recipient: "+33600000000", template: "reminder-1d",
                                              body: "See you tomorrow", dueAt: 2_000, dedupeKey: "B-1/reminder-1d",
                                              status: .failed, attempts: 2, bookingId: booking.id, lastError: "timeout")
            try message.insert(db)
            #expect(try OutboxMessageRecord.fetchOne(db, key: message.id) == message)

            let setting = SettingRecord(regionId: region.id!, key: "booking_rules", value: #"{"minLeadMinutes":5}"#)
            try setting.insert(db)
            #expect(try SettingRecord.fetchOne(db, key: ["regionId": region.id!, "key": "booking_rules"]) == setting)
        }
    }

    @Test func pingsAndOutboxAreIdempotent() throws {
        let store = try FieldStore.inMemory()
        try store.writeDatabase { db in
            var region = RegionRecord(name: "r", timeZone: "UTC")
            try region.insert(db)
            var tech = TechnicianRecord(externalId: "T", regionId: region.id!, name: "n", startLat: 0, startLon: 0,
                                        endLat: 0, endLon: 0, skills: [])
            try tech.insert(db)
            for _ in 0..<3 {
                var ping = PingRecord(technicianId: tech.id!, timestamp: 50, lat: 1, lon: 1)
                try ping.insert(db)
                var message = OutboxMessageRecord(channel: .email, recipient: "a@b.c", template: "t", body: "b", dueAt: 1,
                                                  dedupeKey: "same")
                try message.insert(db)
            }
            #expect(try PingRecord.fetchCount(db) == 1)
            #expect(try OutboxMessageRecord.fetchCount(db) == 1)
        }
    }
}
