import FieldStore
import Foundation
import RouteSolver

/// An arrival window that can be booked now without breaking any window already told.
public struct Slot: Sendable, Codable, Equatable {
    /// Book it with `fieldroute book … --slot ID`.
    public var id: String
    public var day: String
    /// Local "HH:MM-HH:MM".
    public var window: String
    /// The technician whose route has room, and the minutes of driving the visit would add.
    public var technician: String
    public var extraDriveMinutes: Double
}

extension Bookings {
    /// Arrival windows offered for a visit at `site`, per day from `from` for `days` days: each window
    /// of the region's slot grid (`booking.slotMinutes` wide from `slotsFrom` to `slotsUntil`) is tried in
    /// the day's routes with the solver's exact insertion check — windows already told stay hard, a
    /// pending lunch break must still fit — and offered when some technician has room. A day with
    /// shifts but no plan yet is planned tentatively first. Booking rules (how far ahead) apply.
    /// Slots held for a customer (``hold(slot:customer:site:durationMinutes:skills:minutes:now:)``, offers) are not offered
    /// to anyone else; `customer` sees their own held slots.
    public func slots(site: (lat: Double, lon: Double), durationMinutes: Int, skills: [String] = [], from: String, days: Int,
                      region: String? = nil, customer: String? = nil,
                      now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> [Slot] {
        guard (1...60).contains(days) else { throw .badInput("--days must be 1–60") }
        guard (1...1_440).contains(durationMinutes) else { throw .badInput("--duration must be 1–1440 minutes") }
        guard abs(site.lat) <= 90, abs(site.lon) <= 180 else { throw .badInput("--site \(site.lat),\(site.lon) is not a WGS84 position") }
        let (rules, clock, regionId) = try slotContext(region)
        var out: [Slot] = []
        for offset in 0..<days {
            guard let day = clock.day(from, plus: offset) else { throw .badInput("--from wants yyyy-mm-dd, got '\(from)'") }
            try ensurePlan(day: day, region: region)
            do {
                try store.snapshot { db in
                    guard try db.plan(regionId: regionId, day: day) != nil else { return }
                    let live = try LiveDay.load(db, region: region, day: day, now: now)
                    let mine = try customer.flatMap { try db.customer(externalId: $0)?.id }
                    let holds = try db.openHolds(regionId: regionId, day: day, now: now).filter { $0.customerId != mine }
                    let step = rules.slotMinutes
                    guard let first = BookingRules.minutes(rules.slotsFrom), let last = BookingRules.minutes(rules.slotsUntil) else { return }
                    for start in stride(from: first, through: last, by: step) {
                        guard let s = clock.instant(day: day, time: String(format: "%02d:%02d", start / 60, start % 60)) else { continue }
                        let e = s + Int64(step) * 60
                        guard s >= now + Int64(rules.minMinutesAhead) * 60, s <= now + Int64(rules.maxDaysAhead) * 86_400 else { continue }
                        let probe = BookingRecord(id: -1, externalId: "slot-probe", customerId: 0, regionId: regionId, lat: site.lat,
                                                  lon: site.lon, address: "", serviceDuration: Int64(durationMinutes) * 60,
                                                  requiredSkills: skills, day: day, timeWindows: [TimeWindow(start: s, end: e)],
                                                  createdAt: now)
                        guard let (technician, extra) = try Self.placement(of: probe, after: holds, in: live) else { continue }
                        let window = "\(clock.clockTime(s))-\(clock.clockTime(e))"
                        out.append(Slot(id: "\(day)T\(window)", day: day, window: window, technician: technician,
                                        extraDriveMinutes: (Double(extra) / 6).rounded() / 10))
                    }
                }
            } catch { throw FieldRouteError(wrapping: error) }
        }
        return out
    }

    private func slotContext(_ region: String?) throws(FieldRouteError) -> (BookingRules, RegionClock, Int64) {
        do {
            return try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                return (try Engine.setting(BookingRules.self, regionId: r.id ?? 0, db), try RegionClock(timeZone: r.timeZone), r.id ?? 0)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
