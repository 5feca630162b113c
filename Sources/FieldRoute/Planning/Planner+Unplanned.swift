import FieldStore

/// A visit of a planned day with no place in any route.
public struct UnplannedVisit: Sendable, Codable, Equatable {
    public var booking: String
    /// `no_room`, `window_unreachable`, `no_skilled_vehicle`, `pinned_technician_absent`,
    /// `awaiting_prepayment`, `break_conflict`, `booked_after_plan`, or a dispatcher's reason.
    public var reason: String
    /// Unix seconds, UTC: when it was left out.
    public var at: Int64
}

extension Planner {
    /// Why each visit of `day` that has no place in the plan was left out (the plan's and dispatch's
    /// reasons as stored). A day without a plan is an error that says how to make one.
    public func unplanned(day: String, region: String? = nil) throws(FieldRouteError) -> [UnplannedVisit] {
        guard RegionClock.parseDay(day) != nil else { throw .badInput("date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(day)'") }
        do {
            return try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                guard let plan = try db.plan(regionId: r.id ?? 0, day: day) else {
                    throw FieldRouteError.badInput("no plan for \(day): run 'fieldroute plan --date \(day)' first")
                }
                return try db.unplannedVisits(planId: plan.id ?? 0).map { UnplannedVisit(booking: $0.booking, reason: $0.reason, at: $0.at) }
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
