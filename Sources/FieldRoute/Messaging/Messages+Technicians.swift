import FieldStore

/// A message a technician was sent (a visit cancelled or moved, a change to their day).
public struct TechnicianMessageView: Sendable, Codable, Equatable {
    public var technician: String
    public var booking: String?
    public var body: String
    /// Unix seconds, UTC.
    public var at: Int64
}

extension Messages {
    /// What technician `technician` (external id) has been told since `since` (Unix seconds; default
    /// everything), oldest first.
    ///
    ///     for m in try engine.messages.technicianMessages(technician: "T-03") { print(m.at, m.body) }
    public func technicianMessages(technician: String, since: Int64 = .min) throws(FieldRouteError) -> [TechnicianMessageView] {
        do {
            return try store.read { db in
                guard let tech = try db.technician(externalId: technician), let id = tech.id else {
                    throw StoreError.notFound(kind: "technician", id: technician)
                }
                return try db.technicianMessages(technicianId: id, since: since).map {
                    TechnicianMessageView(technician: technician, booking: $0.booking, body: $0.message.body, at: $0.message.createdAt)
                }
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}

extension Messages {
    /// Waiting at a door this long or more is worth a "hold until" message.
    static let holdWorthTelling: Int64 = 5 * 60

    /// Tells a technician where their day still has them early, with late departures applied: for each
    /// visit they would reach `holdWorthTelling` or more before it may start, "hold until HH:MM" where
    /// they are (home, a visit, the break) before driving on. Once per visit and time (a re-plan with
    /// the same hold writes nothing).
    /// `from` names where the route starts ("at home", or after the last visit driven).
    static func tellHolds(technician: Int64, jobs: [BookingRecord], schedule: RouteSchedule, from: String = "at home",
                          clock: RegionClock, now: Int64, _ db: StoreTransaction) throws {
        for (k, booking) in jobs.enumerated() where schedule.waits[k] >= holdWorthTelling {
            var free = k == 0 ? schedule.departure : schedule.starts[k - 1] + jobs[k - 1].serviceDuration
            var place = k == 0 ? from : "after \(jobs[k - 1].externalId)"
            if schedule.breakAfter == k, let b = schedule.breakStart {
                free = b + schedule.breakLength
                place = "after your break"
            }
            let until = free + schedule.waits[k]
            var message = TechnicianMessageRecord(
                technicianId: technician, bookingId: booking.id,
                body: "Hold until \(clock.clockTime(until)) \(place), then drive to \(booking.externalId): "
                    + "it starts at \(clock.clockTime(schedule.starts[k])).",
                createdAt: now, dedupeKey: "hold:\(booking.externalId):\(until)")
            try db.insert(&message)
        }
    }
}
