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
    /// they are (home, a visit, the break) before driving on. Each visit's hold is told when it
    /// changes, and only then: a re-plan with the same hold writes nothing, a new time says what it
    /// was, and a hold that is gone (no more waiting, or the visit left this route) is taken back —
    /// so the last message about a visit is always the one that holds.
    /// `from` names where the route starts ("at home", or after the last visit driven).
    static func tellHolds(technician: Int64, day: String, jobs: [BookingRecord], schedule: RouteSchedule, from: String = "at home",
                          clock: RegionClock, now: Int64, _ db: StoreTransaction) throws {
        let told = try db.latestHolds(technicianId: technician, day: day)
        func tell(_ booking: (id: Int64?, externalId: String), until: Int64?, _ body: String) throws {
            try tellHold(technician: technician, booking: booking, until: until, after: told[booking.id ?? 0]?.messageId,
                         body: body, now: now, db)
        }
        var onRoute = Set<Int64>()
        for (k, booking) in jobs.enumerated() {
            onRoute.insert(booking.id ?? 0)
            let last = told[booking.id ?? 0]?.until
            guard schedule.waits[k] >= holdWorthTelling else {
                if last != nil {
                    try tell((booking.id, booking.externalId), until: nil,
                             "No need to hold before \(booking.externalId) any more: it starts at \(clock.clockTime(schedule.starts[k])).")
                }
                continue
            }
            var free = k == 0 ? schedule.departure : schedule.starts[k - 1] + jobs[k - 1].serviceDuration
            var place = k == 0 ? from : "after \(jobs[k - 1].externalId)"
            if schedule.breakAfter == k, let b = schedule.breakStart {
                free = b + schedule.breakLength
                place = "after your break"
            }
            let until = free + schedule.waits[k]
            guard until != last else { continue }
            let was = last.map { " (was \(clock.clockTime($0)))" } ?? ""
            try tell((booking.id, booking.externalId), until: until,
                     "Hold until \(clock.clockTime(until)) \(place), then drive to \(booking.externalId): "
                        + "it starts at \(clock.clockTime(schedule.starts[k])).\(was)")
        }
        for (id, last) in told.sorted(by: { $0.key < $1.key }) where last.until != nil && !onRoute.contains(id) {
            try tell((id, last.booking), until: nil, "\(last.booking) is no longer on your route: no need to hold for it.")
        }
    }

    /// A technician who would ring more than this early at the next door is told to hold.
    static let liveHoldWorthTelling: Int64 = 10 * 60

    /// Leaving `from` (a visit just ended) at `now` for `next`, reached after `drive` seconds: when the
    /// door would be reached more than ``liveHoldWorthTelling`` before `rings` (when the visit may
    /// start), "hold until HH:MM" — unless the hold already told for that visit says within 5 minutes
    /// the same. Returns whether a message was written.
    static func tellLiveHold(technician: Int64, from: String, next: BookingRecord, rings: Int64, drive: Int64, now: Int64,
                             clock: RegionClock, _ db: StoreTransaction) throws -> Bool {
        guard rings - (now + drive) > liveHoldWorthTelling else { return false }
        let until = rings - drive
        let last = try db.latestHolds(technicianId: technician, day: next.day)[next.id ?? 0]
        if let told = last?.until, abs(told - until) < 5 * 60 { return false }
        try tellHold(technician: technician, booking: (next.id, next.externalId), until: until, after: last?.messageId,
                     body: "Hold until \(clock.clockTime(until)) after \(from), then drive to \(next.externalId): "
                        + "it starts at \(clock.clockTime(rings)).", now: now, db)
        return true
    }

    /// Writes one hold message: `until` nil takes a hold back. Its dedupe key (`hold:<booking>:<until
    /// or none>:<technician>:<message it follows>`) is what ``StoreTransaction/latestHolds(technicianId:day:)`` reads.
    private static func tellHold(technician: Int64, booking: (id: Int64?, externalId: String), until: Int64?, after: Int64?,
                                 body: String, now: Int64, _ db: StoreTransaction) throws {
        var message = TechnicianMessageRecord(technicianId: technician, bookingId: booking.id, body: body, createdAt: now,
                                              dedupeKey: "hold:\(booking.externalId):\(until.map(String.init) ?? "none"):\(technician):\(after ?? 0)")
        try db.insert(&message)
    }
}
