@testable import FieldRoute
import FieldStore
import Foundation
import Geofencing
import GRDB
import Testing

/// Issue 21 (11): tracking never shows where another customer lives. A technician's position is shown
/// only while they are on the way to this customer.
@Suite struct TrackingPrivacyTests {
    static let day = "2026-11-24"
    static let eight: Int64 = 1_795_503_600  // 08:00 Paris

    /// Two technicians, eight 30-minute visits on a 1-km grid, B-08's site 40 m from B-04's, planned
    /// and simulated.
    func simulatedDay(seed: UInt64) throws -> (Engine, [BookingRecord]) {
        let engine = try makeEngine()
        try importText(engine, .technicians, "id,name,start_lat,start_lon\nT-01,Ana,45.70,4.80\nT-02,Ben,45.70,4.86\n")
        try importText(engine, .customers, sampleCustomers)
        try importText(engine, .shifts, "technician,date,start,end\nT-01,\(Self.day),08:00,17:00\nT-02,\(Self.day),08:00,17:00\n")
        var rows = "id,customer,date,lat,lon,duration_min,windows\n"
        for k in 1...7 {
            rows += "B-0\(k),C-\(k % 2 + 1),\(Self.day),\(45.71 + 0.009 * Double(k / 2)),\(4.80 + 0.013 * Double(k % 4)),30,08:00-17:00\n"
        }
        rows += "B-08,C-2,\(Self.day),\(45.71 + 0.009 * 2 + 0.0003),\(4.80 + 0.0004),30,08:00-17:00\n"  // 40 m from B-04
        try importText(engine, .bookings, rows)
        _ = try engine.planner.plan(day: Self.day, options: PlanOptions(iterations: 50, now: Self.eight - 86_400))
        _ = try engine.promises.simulate(day: Self.day, seed: seed)
        let bookings = try engine.store.readDatabase { db in try BookingRecord.order(Column("externalId")).fetchAll(db) }
        return (engine, bookings)
    }

    /// The last moment anything happens on the simulated day: the last ping.
    func lastPing(_ engine: Engine) throws -> Int64 {
        try engine.store.readDatabase { db in try Int64.fetchOne(db, sql: "SELECT MAX(timestamp) FROM ping") ?? 0 }
    }

    @Test func everyBookingEveryLevelEveryMinuteShowsNoPositionNearAnotherCustomersSite() throws {
        let (engine, bookings) = try simulatedDay(seed: 3)
        var shown: [String: Int] = [:], leaks: [String] = [], minutes = 0
        for t in stride(from: Self.eight - 10 * 60, through: try lastPing(engine) + 10 * 60, by: 60) {
            minutes += 1
            for b in bookings {
                for level in TrackingLevel.allCases {
                    let view = try engine.promises.track(booking: b.externalId, level: level, now: t)
                    guard let lat = view.technicianLat, let lon = view.technicianLon else {
                        #expect(view.path == nil)
                        continue
                    }
                    shown[b.externalId, default: 0] += 1
                    #expect(level == .location || level == .route)
                    #expect(["booked", "confirmed", "en_route"].contains(view.status) && view.queuePosition == 0)
                    for other in bookings where other.id != b.id {
                        let metres = haversineMetres(lat1: lat, lon1: lon, lat2: other.lat, lon2: other.lon)
                        if metres < 200 { leaks.append("\(b.externalId) at \(t) \(level): \(Int(metres)) m from \(other.externalId)") }
                    }
                    if let path = view.path { #expect(path == [[lat, lon], [b.lat, b.lon]]) }
                }
            }
        }
        print("tracking privacy: \(bookings.count) bookings × \(TrackingLevel.allCases.count) levels × \(minutes) minutes; "
              + "a position shown \(shown.values.reduce(0, +)) times to \(shown.count) customers; \(leaks.count) within 200 m of another site")
        #expect(leaks.isEmpty, "\(leaks.prefix(5))")
        // The rule hides positions near others, not every position: most customers saw theirs coming.
        #expect(shown.count >= bookings.count / 2, "\(shown)")
    }

    @Test func aCompletedVisitNoLongerSeesTheTechnician() throws {
        let (engine, bookings) = try simulatedDay(seed: 3)
        let evening = try lastPing(engine) + 60
        for b in bookings {
            let view = try engine.promises.track(booking: b.externalId, level: .route, now: evening)
            #expect(view.status == "completed" && view.technicianLat == nil && view.path == nil)
        }
        // As the day stood at 08:10, the status and queue are those of then, not of the evening.
        let morning = try bookings.map { try engine.promises.track(booking: $0.externalId, level: .queue, now: Self.eight + 600) }
        #expect(morning.allSatisfy { ["booked", "en_route", "arrived"].contains($0.status) })
        #expect(morning.compactMap(\.queuePosition).sorted().first == 0)
    }
}
