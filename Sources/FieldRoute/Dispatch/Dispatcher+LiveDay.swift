import FieldStore

/// A technician's day as dispatch sees it at an instant: what is driven, what is still to come.
public struct LiveTechnicianDay: Sendable, Codable, Equatable {
    public var technician: String
    /// Bookings driven (arrived, completed, no-show, en route, or planned to have started), in order.
    public var driven: [String]
    /// Bookings still to come, in order: what dispatch may move.
    public var open: [String]
    /// Local "HH:MM" the technician can go on from.
    public var free: String
    /// The lunch break still to take, local "HH:MM-HH:MM" (its window), if any.
    public var breakToTake: String?
}

extension Dispatcher {
    /// The planned day as dispatch operations see it at `now` (Unix seconds or ISO-8601; nil: the
    /// clock), one entry per technician with a shift, in the order of their ids.
    ///
    ///     for t in try engine.dispatcher.liveDay(date: "2026-11-24", now: "2026-11-24T11:00:00+01:00") { print(t.technician, t.open) }
    public func liveDay(date: String, now: String? = nil, region: String? = nil) throws(FieldRouteError) -> [LiveTechnicianDay] {
        guard RegionClock.parseDay(date) != nil else { throw .badInput("date wants yyyy-mm-dd, got '\(date)'") }
        let instant = try Engine.instant(now, name: "now")
        do {
            return try store.snapshot { db in
                let live = try LiveDay.load(db, region: region, day: date, now: instant)
                return live.technicians.map { t in
                    LiveTechnicianDay(technician: t.record.externalId, driven: t.frozen.map(\.booking.externalId),
                                      open: t.open.map(\.booking.externalId), free: live.time(t.free),
                                      breakToTake: t.pendingBreak.map { "\(live.time($0.earliest))-\(live.time($0.latest))" })
                }.sorted { $0.technician < $1.technician }
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
