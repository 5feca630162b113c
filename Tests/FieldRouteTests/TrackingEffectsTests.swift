import FieldRoute
import FieldStore
import Foundation
import GRDB
import RouteSolver
import Testing

@Suite struct TrackingEffectsTests {
    /// Two bookings 1.1 km south and north of the technician's start (C-1 by SMS, C-2 by e-mail only).
    func plannedDay() throws -> (Engine, [String]) {
        let engine = try oneTechnicianDay(home: "45.76,4.84", bookings: """
            B-1,C-1,2026-11-24,45.75,4.84,10,09:00-12:00
            B-2,C-2,2026-11-24,45.77,4.84,10,09:00-12:00

            """)
        let summary = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 5))
        return (engine, summary.technicians.first?.route ?? [])
    }

    /// Drives start → first stop → second stop with 5 s fixes, staying 10 minutes at each.
    func drive(_ order: [String], start: Int64 = 1_795_507_200) -> String {
        let site = ["B-1": 45.75, "B-2": 45.77, "B-3": 45.75, "B-4": 45.77]
        var csv = "technician,timestamp,lat,lon,accuracy\n", t = start, lat = 45.76
        for booking in order {
            let target = site[booking] ?? lat
            let steps = Int(abs(target - lat) * 111_195 / 50)
            for k in 0..<steps { csv += "T-01,\(t),\(lat + (target - lat) * Double(k) / Double(steps)),4.84,8\n"; t += 5 }
            for _ in 0..<120 { csv += "T-01,\(t),\(target),4.84,8\n"; t += 5 }
            lat = target
        }
        for k in 1...40 { csv += "T-01,\(t),\(lat + Double(k) * 50 / 111_195),4.84,8\n"; t += 5 }
        return csv
    }

    func ingest(_ engine: Engine, _ csv: String) throws -> IngestSummary {
        try engine.tracker.ingestPings(data: Data(csv.utf8), name: "pings.csv")
    }

    /// Issue 16 (8): the geofence report measures the delay from the arrival (the first still fix),
    /// says n/a (nil) where nothing is measured, and lists only technicians with pings or stops.
    @Test func theGeofenceReportMeasuresFromTheFirstStillFixAndLeavesOutWhatItCannotMeasure() throws {
        let (engine, order) = try plannedDay()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-09,Zoé,45.76,4.84\n")  // no shift, no pings
        let empty = try engine.tracker.geofenceReport(day: "2026-11-24")
        #expect(empty.arrivedShare == 0 && empty.medianArrivalDelay == nil && empty.p90ArrivalDelay == nil
                && empty.medianApproachLeadMinutes == nil)
        #expect(empty.technicians.map(\.id) == ["T-01"])
        let csv = drive(order)
        _ = try ingest(engine, csv)
        // Where the technician first stood still at each site: the first fix on the site itself.
        let site = ["B-1": 45.75, "B-2": 45.77]
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let still = order.compactMap { b in rows.first { Double($0[2]) == site[b] }.flatMap { Int64($0[1]) } }
        let detected = try engine.store.readDatabase { db in
            try Int64.fetchAll(db, sql: "SELECT e.detectedAt FROM geofenceEvent e JOIN geofence g ON g.id = e.geofenceId WHERE e.kind = 'dwell' AND g.bookingId IS NOT NULL ORDER BY e.timestamp")
        }
        try #require(detected.count == 2 && still.count == 2)
        let delays = zip(detected, still).map { Double($0 - $1) }.sorted()
        let report = try engine.tracker.geofenceReport(day: "2026-11-24")
        #expect(report.arrivedShare == 1 && report.medianArrivalDelay == (delays[0] + delays[1]) / 2)
        #expect(report.technicians.map(\.id) == ["T-01"])
        let none = try engine.tracker.geofenceReport(day: "2026-11-30")
        #expect(none.arrivedShare == nil && none.technicians.isEmpty && none.medianArrivalDelay == nil)
    }

    /// Issue 15 (5): the window report counts every visit due: an unplanned one and one the geofence
    /// never saw are in its accounting and count as not kept in `keptOfDue`.
    @Test func theWindowReportAccountsForEveryVisitDue() throws {
        let engine = try oneTechnicianDay(home: "45.76,4.84")
        try importText(engine, .bookings, """
            id,customer,date,lat,lon,duration_min,windows,skills
            B-1,C-1,2026-11-24,45.75,4.84,10,09:00-12:00,
            B-2,C-2,2026-11-24,45.77,4.84,10,09:00-12:00,
            B-3,C-1,2026-11-24,45.76,4.85,10,09:00-12:00,plumbing

            """)
        let plan = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 5))
        #expect(plan.unassigned.map(\.id) == ["B-3"])
        let order = plan.technicians.first?.route ?? []
        _ = try ingest(engine, drive(Array(order.prefix(1))))  // only the first visit is ever seen
        let r = try engine.promises.windowReport(from: "2026-11-24", to: "2026-11-24")
        #expect(r.visitsDue == 3 && r.unplanned == 1 && r.unseen == 1)
        let night = try #require(r.horizons.first { $0.horizon == "night_before" })
        #expect(night.visits == 1 && night.keptOfDue == night.kept / 3)
    }

    /// Issue 16 (3): the same pings in another row order, in batches, give the same events and messages.
    @Test func rowOrderDoesNotChangeEventsOrMessages() throws {
        var outcomes: [[String]] = []
        for shuffled in [false, true] {
            let (engine, order) = try plannedDay()
            let lines = drive(order).split(separator: "\n").map(String.init)
            var rng = SeededGenerator(seed: 7)
            let rows = shuffled ? Array(lines.dropFirst()).shuffled(using: &rng) : Array(lines.dropFirst())
            _ = try engine.tracker.ingestPings(data: Data(([lines[0]] + rows).joined(separator: "\n").utf8), name: "p.csv", batchSize: 50)
            outcomes.append(try engine.store.readDatabase { db in
                try String.fetchAll(db, sql: "SELECT kind || ' ' || geofenceId || ' ' || timestamp || ' ' || detectedAt FROM geofenceEvent ORDER BY 1")
                    + String.fetchAll(db, sql: "SELECT dedupeKey || ' ' || dueAt || ' ' || body FROM outbox ORDER BY 1")
            })
        }
        #expect(outcomes[0].count >= 6, "\(outcomes[0])")
        #expect(outcomes[0] == outcomes[1])
    }

    @Test func aCustomerVisitedAgainIsSeenArrivingAgain() throws {
        // Day one visits B-1 and B-2; the next day B-3 and B-4 are at the same two addresses. Last
        // week's completed visits keep their fences, which must not stand on the new ones.
        let (engine, order) = try plannedDay()
        #expect(try ingest(engine, drive(order)).arrived == 2)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-25,08:00,17:00\n")
        try importText(engine, .bookings, """
            id,customer,date,lat,lon,duration_min,windows
            B-3,C-1,2026-11-25,45.75,4.84,10,09:00-12:00
            B-4,C-2,2026-11-25,45.77,4.84,10,09:00-12:00

            """)
        let next = try engine.planner.plan(day: "2026-11-25", options: PlanOptions(iterations: 5)).technicians.first?.route ?? []
        try #require(next.count == 2)
        let summary = try ingest(engine, drive(next, start: 1_795_507_200 + 86_400))
        #expect(summary.arrived == 2 && summary.completed == 2)
        let statuses = try engine.store.readDatabase { db in try ["B-3", "B-4"].map { try BookingRecord.fetch(externalId: $0, in: db).status } }
        #expect(statuses == [.completed, .completed])
    }

    @Test func theNextCustomerIsToldOnceOnItsChannel() throws {
        let (engine, order) = try plannedDay()
        try #require(order.count == 2)
        let summary = try ingest(engine, drive(order))
        #expect(summary.arrived == 2 && summary.completed == 2)
        // (The plan queued reminders too; these are the tracking messages.)
        let tracking = ["approach", "on_the_way"]
        let outbox = try engine.store.readDatabase { db in
            try OutboxMessageRecord.filter(tracking.contains(Column("template"))).order(Column("id")).fetchAll(db)
        }
        // The first stop hears "arriving" when its approach zone (1.5 km) confirms; the second hears "on
        // the way" when the first is done, and "arriving" on entering its zone (2.2 km away at the
        // first) 70 s later is merged into it (issue 16, 5): one message, saying the nearer news.
        let firstBooking = try engine.store.readDatabase { db in try BookingRecord.fetch(externalId: order[0], in: db) }
        #expect(outbox.map(\.dedupeKey) == ["approach:\(order[0])", "on_the_way:\(order[1])"])
        #expect(outbox[0].bookingId == firstBooking.id)
        // C-1 prefers SMS and has a phone; C-2 has only an e-mail address.
        let channel = { (b: String) -> Channel in b == "B-1" ? .sms : .email }
        #expect(outbox.map(\.channel) == [order[0], order[1]].map(channel))
        #expect(outbox[1].body.hasPrefix("Ana is arriving in about"))
        #expect(try ingest(engine, drive(order)).messages == 0)
        #expect(try engine.store.readDatabase { db in try OutboxMessageRecord.filter(tracking.contains(Column("template"))).fetchCount(db) } == 2)
        let history = try engine.store.readDatabase { db in
            try BookingStatusChangeRecord.filter(Column("bookingId") == firstBooking.id).order(Column("id")).fetchAll(db).map(\.toStatus)
        }
        #expect(history == [.enRoute, .arrived, .completed])
    }

    @Test func anotherTechniciansApproachZoneIsSilent() throws {
        let (engine, order) = try plannedDay()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-02,Ben,45.76,4.84\n")
        // T-02 drives the same path: no visit of theirs, so nothing is told and nothing is arrived.
        let summary = try ingest(engine, drive(order).replacingOccurrences(of: "T-01", with: "T-02"))
        #expect(summary.arrived == 0 && summary.messages == 0)
        let kinds = try engine.tracker.events().map(\.kind)
        #expect(!kinds.contains("approach"))
    }

    @Test func siteRadiusComesFromTheBookingElseTheRegionSetting() throws {
        let engine = try makeEngine()
        #expect(try engine.setting(TrackingSettings.self).siteRadius == 50)
        try engine.setSetting(key: "tracking", json: #"{"siteRadius": 80}"#)
        #expect(try engine.setting(TrackingSettings.self) == { var s = TrackingSettings(); s.siteRadius = 80; return s }())
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "tracking", json: #"{"siteRadius": 4.9}"#) }
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "tracking", json: #"{"siteRadius": 5001}"#) }
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "tracking", json: #"{"radius": 80}"#) }
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "tracking", json: #"{"siteRadius": "wide"}"#) }
        #expect(throws: FieldRouteError.self) { try engine.setSetting(key: "nope", json: "{}") }
        // Exactly at the limits is accepted.
        try engine.setSetting(key: "tracking", json: #"{"siteRadius": 5}"#)
        try engine.setSetting(key: "tracking", json: #"{"siteRadius": 80}"#)

        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-01,Ana,45.76,4.84\n")
        try importText(engine, .customers, sampleCustomers)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,2026-11-24,08:00,17:00\n")
        try importText(engine, .bookings, """
            id,customer,date,lat,lon,duration_min,windows,site_radius_m
            B-1,C-1,2026-11-24,45.75,4.84,10,09:00-12:00,
            B-2,C-2,2026-11-24,45.77,4.84,10,09:00-12:00,250

            """)
        _ = try engine.planner.plan(day: "2026-11-24", options: PlanOptions(iterations: 5))
        let radii = try engine.store.readDatabase { db in
            try GeofenceRecord.order(Column("externalId")).fetchAll(db).map { "\($0.externalId)=\(Int($0.radius ?? 0))" }
        }
        #expect(radii == ["approach-B-1=1500", "approach-B-2=1500", "site-B-1=80", "site-B-2=250"])
    }

    @Test func invalidFencePolygonsAreRepairedOnlyOnRequest() throws {
        let engine = try makeEngine()
        let bowtie = """
        {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "bowtie", "properties": {"kind": "area"},
          "geometry": {"type": "Polygon", "coordinates": [[[4.80, 45.70], [4.81, 45.71], [4.81, 45.70], [4.80, 45.71], [4.80, 45.70]]]}}]}
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bowtie-\(UUID()).geojson")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bowtie.utf8).write(to: url)
        #expect(throws: FieldRouteError.self) { try engine.tracker.importFences(path: url.path) }
        #expect(try engine.tracker.importFences(path: url.path, repair: true) == 1)
        let wkt = try engine.store.readDatabase { db in try GeofenceRecord.fetchOne(db)?.wkt }
        #expect(wkt?.hasPrefix("MULTIPOLYGON") == true)
    }
}
