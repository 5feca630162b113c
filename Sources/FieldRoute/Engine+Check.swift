import FieldStore

extension Engine {
    /// The day's invariants (``DayInvariants``) as the store holds them now, for `day` or for every
    /// day with a plan or a booking: an empty list when all hold.
    ///
    ///     let broken = try engine.checkInvariants(day: "2026-11-24")
    public func checkInvariants(day: String? = nil, region: String? = nil) throws(FieldRouteError) -> [DayViolation] {
        do {
            return try store.snapshot { tx in
                guard let day else { return try tx.dayViolations() }
                let r = try Engine.region(named: region, tx)
                return try tx.dayViolations(days: [DayKey(regionId: r.id ?? 0, day: day)])
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
