import FieldStore
import Foundation

/// Why visits fail, for choosing remedies: `fieldroute report cancellations`.
public struct CancellationReport: Sendable, Codable, Equatable {
    public struct Share: Sendable, Codable, Equatable {
        public var key: String
        public var count: Int
        /// count / total of its table.
        public var share: Double
    }

    public struct Rate: Sendable, Codable, Equatable {
        public var key: String
        public var visits: Int
        public var noShows: Int
        public var rate: Double
    }

    public struct Offender: Sendable, Codable, Equatable {
        public var customer: String
        public var noShows: Int
        public var lateCancellations: Int
        public var blocked: Bool
        public var prepaymentRequired: Bool
    }

    public var from: String
    public var to: String
    /// Visits due in the period (any final status).
    public var visits: Int
    public var cancelled: Int
    public var noShows: Int
    public var byReason: [Share]
    /// How long before the visit people cancel: <2h, 2–24h, 1–3d, 3–7d, >7d.
    public var leadTime: [Share]
    public var noShowByWeekday: [Rate]
    /// By the widest allowed window: ≤1h, ≤2h, ≤4h, >4h.
    public var noShowByWindowWidth: [Rate]
    public var noShowByConfirmed: [Rate]
    public var noShowByReminderDelivered: [Rate]
    /// Customers with two or more no-shows or late cancellations in the period.
    public var repeatOffenders: [Offender]
}

extension Bookings {
    /// Counts over the visits whose day lies in `[from, to]`: cancellations by reason and lead time,
    /// no-show rates by weekday, window width, confirmation and reminder delivery, repeat offenders.
    public func cancellationReport(from: String, to: String, region: String? = nil) throws(FieldRouteError) -> CancellationReport {
        guard RegionClock.parseDay(from) != nil, RegionClock.parseDay(to) != nil, from <= to else {
            throw .badInput("--from and --to want yyyy-mm-dd with from ≤ to")
        }
        do {
            return try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                let bookings = try db.bookings(regionId: r.id ?? 0, from: from, to: to,
                                               statuses: [.completed, .cancelled, .noShow, .rescheduled, .arrived])
                let ids = bookings.compactMap(\.id)
                let confirmed = try db.everConfirmed(ids)
                let reminded = try db.reminderDelivered(ids)
                let cancelled = bookings.filter { $0.status == .cancelled }
                let attended = bookings.filter { [.completed, .noShow, .arrived].contains($0.status) }
                func shares(_ keys: [String], order: [String]? = nil) -> [CancellationReport.Share] {
                    let counts = Dictionary(grouping: keys, by: { $0 }).mapValues(\.count)
                    let names = order ?? counts.keys.sorted { (counts[$1] ?? 0, $0) < (counts[$0] ?? 0, $1) }
                    return names.map { .init(key: $0, count: counts[$0] ?? 0, share: keys.isEmpty ? 0 : Double(counts[$0] ?? 0) / Double(keys.count)) }
                }
                func rates(_ key: (BookingRecord) -> String, order: [String]) -> [CancellationReport.Rate] {
                    order.map { k in
                        let group = attended.filter { key($0) == k }
                        let no = group.filter { $0.status == .noShow }.count
                        return .init(key: k, visits: group.count, noShows: no, rate: group.isEmpty ? 0 : Double(no) / Double(group.count))
                    }
                }
                let reasons = cancelled.map { ($0.cancellationReason ?? "unknown").split(separator: ":").first.map(String.init) ?? "unknown" }
                let leadBuckets = ["<2h", "2-24h", "1-3d", "3-7d", ">7d"]
                let leads = cancelled.map { b -> String in
                    let h = Double(b.cancellationLeadTime ?? 0) / 3_600
                    return h < 2 ? leadBuckets[0] : h < 24 ? leadBuckets[1] : h < 72 ? leadBuckets[2] : h < 168 ? leadBuckets[3] : leadBuckets[4]
                }
                let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
                var calendar = Calendar(identifier: .gregorian)
                calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
                func weekday(_ b: BookingRecord) -> String {
                    guard let (y, m, d) = RegionClock.parseDay(b.day),
                          let date = calendar.date(from: DateComponents(year: y, month: m, day: d)) else { return "?" }
                    return weekdays[(calendar.component(.weekday, from: date) + 5) % 7]
                }
                func width(_ b: BookingRecord) -> String {
                    let w = b.timeWindows.map { $0.end - $0.start }.max() ?? 0
                    return w <= 3_600 ? "≤1h" : w <= 7_200 ? "≤2h" : w <= 14_400 ? "≤4h" : ">4h"
                }
                var offenders: [CancellationReport.Offender] = []
                for (customerId, group) in Dictionary(grouping: bookings, by: \.customerId) {
                    let no = group.filter { $0.status == .noShow }.count
                    let late = group.filter { $0.outcome == .cancelledLate }.count
                    guard no + late >= 2, let c = try db.customer(id: customerId) else { continue }
                    offenders.append(.init(customer: c.externalId, noShows: no, lateCancellations: late, blocked: c.blocked,
                                           prepaymentRequired: c.prepaymentRequired))
                }
                return CancellationReport(
                    from: from, to: to, visits: bookings.count, cancelled: cancelled.count,
                    noShows: attended.filter { $0.status == .noShow }.count,
                    byReason: shares(reasons), leadTime: shares(leads, order: leadBuckets),
                    noShowByWeekday: rates(weekday, order: weekdays),
                    noShowByWindowWidth: rates(width, order: ["≤1h", "≤2h", "≤4h", ">4h"]),
                    noShowByConfirmed: rates({ confirmed.contains($0.id ?? 0) ? "confirmed" : "not confirmed" }, order: ["confirmed", "not confirmed"]),
                    noShowByReminderDelivered: rates({ reminded.contains($0.id ?? 0) ? "reminder delivered" : "no reminder delivered" },
                                                     order: ["reminder delivered", "no reminder delivered"]),
                    repeatOffenders: offenders.sorted { ($1.noShows + $1.lateCancellations, $0.customer) < ($0.noShows + $0.lateCancellations, $1.customer) })
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
