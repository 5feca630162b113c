import FieldStore

/// A booking as callers see it: external ids, local times, and the plan's promise if any.
public struct BookingView: Sendable, Equatable, Codable {
    public var id: String
    public var customer: String
    public var day: String
    public var status: BookingStatus
    /// Allowed windows, local "HH:MM-HH:MM".
    public var windows: [String]
    /// Minutes on site.
    public var durationMinutes: Int
    public var skills: [String]
    public var priority: Int
    /// Technician of the current plan, if planned.
    public var technician: String?
    /// Promised window, local "HH:MM-HH:MM", if planned.
    public var promised: String?
    public var payment: PaymentStatus
    /// How the visit ended, once recorded.
    public var outcome: VisitOutcome?
}

extension Bookings {
    /// Bookings, optionally of one local day, ordered by day and id.
    public func list(day: String? = nil) throws(FieldRouteError) -> [BookingView] {
        if let day, RegionClock.parseDay(day) == nil { throw .badInput("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'") }
        do { return try store.read { db in try Self.views(try db.bookings(day: day), db) } } catch { throw .store(error) }
    }

    /// Bookings as callers see them, with local times and the current plan's technician and promise.
    static func views(_ bookings: [BookingRecord], _ db: StoreTransaction) throws -> [BookingView] {
        let customers = try Dictionary(uniqueKeysWithValues: db.fetchAll(CustomerRecord.self).map { ($0.id ?? 0, $0.externalId) })
        var clocks: [Int64: RegionClock] = [:]
        for r in try db.regions() { clocks[r.id ?? 0] = try RegionClock(timeZone: r.timeZone) }
        let plan = try db.placements()
        return bookings.map { b in
            let clock = clocks[b.regionId]
            func local(_ t: Int64) -> String { clock?.clockTime(t) ?? String(t) }
            let p = plan[b.id ?? 0]
            var promised: String? = nil
            if let s = p?.1, let e = p?.2 { promised = "\(local(s))-\(local(e))" }
            return BookingView(id: b.externalId, customer: customers[b.customerId] ?? "?", day: b.day, status: b.status,
                               windows: b.timeWindows.map { "\(local($0.start))-\(local($0.end))" },
                               durationMinutes: Int(b.serviceDuration / 60), skills: b.requiredSkills,
                               priority: b.priority, technician: p?.0, promised: promised, payment: b.paymentStatus, outcome: b.outcome)
        }
    }
}
