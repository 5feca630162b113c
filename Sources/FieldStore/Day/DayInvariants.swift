import GRDB

/// One broken rule of a day, naming the booking (its external id) and what is wrong.
public struct DayViolation: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The rule, one case per invariant of ``DayInvariants``.
    public enum Rule: String, Sendable, Codable, CaseIterable {
        case placement = "visit_on_one_route_or_unplanned"
        case stopForCancelled = "no_stop_for_cancelled_visit"
        case overlap = "no_overlapping_stops_or_breaks"
        case allowedWindow = "planned_start_in_allowed_window"
        case toldWindow = "planned_start_in_told_window"
        case drivenChanged = "driven_stops_never_change"
        case pendingForCancelled = "no_pending_message_for_cancelled_visit"
        case untoldChange = "every_told_window_change_has_its_message"
        case toldInsideAllowed = "told_window_inside_allowed_window"
    }

    public var rule: Rule
    public var day: String
    public var booking: String
    public var detail: String

    public init(rule: Rule, day: String, booking: String, detail: String) {
        self.rule = rule; self.day = day; self.booking = booking; self.detail = detail
    }

    public var description: String { "\(day) \(booking): \(rule.rawValue): \(detail)" }
}

/// What must be true of a planned day, stated once and checked by reading the store:
///
/// 1. every booked or confirmed visit is on exactly one route, or listed unplanned with a reason —
///    never both, never two stops;
/// 2. no stop for a cancelled or rescheduled visit;
/// 3. the stops still to come of a route do not overlap each other, and the lunch break overlaps none;
/// 4. every planned start still to come lies inside one of the booking's allowed windows
/// 5. and, once the technician has waited for the told (promised) window to open as promises assume,
///    inside that window — unless a live estimate moved it; then rule 8 holds instead;
/// 6. driven stops (arrived, completed, no-show) never change afterwards
///    (``drivenChanges(from:to:)`` compares two ``drivenStops(_:)``);
/// 7. no pending message for a cancelled or rescheduled visit;
/// 8. every told-window change has its message (for a customer with a phone or an e-mail);
/// 9. a told window not moved by a live estimate lies inside the allowed window its planned start
///    falls in: a promise never runs past what the customer booked.
///
///     let broken = try store.read { tx in try tx.dayViolations() }   // every planned day
///
/// ## Topics
/// - ``StoreTransaction/dayViolations(days:)``
/// - ``StoreTransaction/drivenStops()``
/// - ``drivenChanges(from:to:)``
public enum DayInvariants {
    /// Checks rules 1–5 and 7–9 on `days`, or on every day that has a plan or a booking.
    static func check(_ db: Database, days: [DayKey]? = nil) throws -> [DayViolation] {
        let tx = StoreTransaction(db)
        let keys = try days ?? Row.fetchAll(db, sql: "SELECT DISTINCT regionId, day FROM booking UNION SELECT regionId, day FROM plan")
            .map { DayKey(regionId: $0["regionId"], day: $0["day"]) }
        var out: [DayViolation] = []
        for key in keys { out += try placements(key, tx) + messages(key, db) }
        return out
    }

    /// Rules 1–5 and 9 on one day: what its bookings, stops, plan and unplanned list say.
    static func placements(_ key: DayKey, _ tx: StoreTransaction) throws -> [DayViolation] {
        var out: [DayViolation] = []
        func fail(_ rule: DayViolation.Rule, _ booking: String, _ detail: String) {
            out.append(DayViolation(rule: rule, day: key.day, booking: booking, detail: detail))
        }
        let db = tx.db
        let bookings = try tx.bookings(regionId: key.regionId, day: key.day)
        let byId = Dictionary(uniqueKeysWithValues: bookings.compactMap { b in b.id.map { ($0, b) } })
        // Every stop of these bookings, in whatever plan it is.
        let stops = try StopRecord.filter(byId.keys.contains(Column("bookingId"))).order(Column("sequence")).fetchAll(db)
        let stopsOf = Dictionary(grouping: stops, by: \.bookingId)
        let unplanned = Set(try Int64.fetchAll(db, sql: "SELECT bookingId FROM unplanned WHERE bookingId IN (SELECT id FROM booking WHERE regionId = ? AND day = ?)",
                                               arguments: [key.regionId, key.day]))
        let plan = try tx.plan(regionId: key.regionId, day: key.day)
        let moved = Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT bookingId FROM windowChange WHERE bookingId IN (SELECT id FROM booking WHERE regionId = ? AND day = ?)",
                                           arguments: [key.regionId, key.day]))

        for b in bookings {
            let id = b.id ?? -1, mine = stopsOf[id] ?? []
            switch b.status {
            case .booked, .confirmed:
                if plan == nil { if mine.count > 0 { fail(.placement, b.externalId, "has a stop on a day without a plan") } }
                else if mine.count + (unplanned.contains(id) ? 1 : 0) != 1 {
                    fail(.placement, b.externalId, "\(b.status.rawValue) with \(mine.count) stop(s)"
                         + (unplanned.contains(id) ? " and listed unplanned" : " and not listed unplanned"))
                }
            case .cancelled, .rescheduled:
                if !mine.isEmpty { fail(.stopForCancelled, b.externalId, "\(b.status.rawValue) but still has \(mine.count) stop(s)") }
            default:
                if mine.count > 1 { fail(.placement, b.externalId, "\(b.status.rawValue) with \(mine.count) stops") }
            }
            for stop in mine where stop.isStillToCome(b) {
                if !b.timeWindows.contains(where: { $0.start <= stop.plannedStart && stop.plannedStart <= $0.end }) {
                    fail(.allowedWindow, b.externalId, "planned start \(stop.plannedStart) outside its windows "
                         + b.timeWindows.map { "\($0.start)-\($0.end)" }.joined(separator: ", "))
                }
                // A technician early for the told window waits for it to open (that is how promises are
                // made), so the visit starts at the later of the two: that must not pass the window's end.
                if !moved.contains(id), let s = stop.promisedStart, let e = stop.promisedEnd, max(stop.plannedStart, s) > e {
                    fail(.toldWindow, b.externalId, "planned start \(stop.plannedStart) after its told window \(s)-\(e)")
                }
                if !moved.contains(id), let s = stop.promisedStart, let e = stop.promisedEnd,
                   let allowed = b.timeWindows.last(where: { $0.start <= stop.plannedStart }), s < allowed.start || e > allowed.end {
                    fail(.toldInsideAllowed, b.externalId, "told window \(s)-\(e) outside the allowed \(allowed.start)-\(allowed.end)")
                }
            }
        }

        // Rule 3, per route of the day's plan: the part still to come, in sequence order.
        if let planId = plan?.id {
            let open = Dictionary(grouping: stops.filter { s in byId[s.bookingId].map(s.isStillToCome) ?? false }, by: \.routeId)
            for route in try tx.routes(planId: planId) {
                let mine = open[route.id ?? -1] ?? []
                for (a, b) in zip(mine, mine.dropFirst()) where b.plannedStart < a.plannedEnd {
                    fail(.overlap, byId[b.bookingId]?.externalId ?? "?", "starts \(b.plannedStart) before "
                         + "\(byId[a.bookingId]?.externalId ?? "?") ends \(a.plannedEnd)")
                }
                if let bs = route.breakStart, let be = route.breakEnd {
                    for s in mine where s.plannedStart < be && bs < s.plannedEnd {
                        fail(.overlap, byId[s.bookingId]?.externalId ?? "?", "visit \(s.plannedStart)-\(s.plannedEnd) overlaps the break \(bs)-\(be)")
                    }
                }
            }
        }
        return out
    }

    /// Rules 7 and 8, on one day or (nil) on every day at once: messages are written without touching
    /// the day's version, so a checked write runs these on the whole store.
    static func messages(_ key: DayKey?, _ db: Database) throws -> [DayViolation] {
        var out: [DayViolation] = []
        let onDay = key == nil ? "" : "AND b.regionId = ? AND b.day = ?"
        let arguments: StatementArguments = key.map { [$0.regionId, $0.day] } ?? []
        for row in try Row.fetchAll(db, sql: """
            SELECT b.externalId, b.day, b.status, o.template, o.dedupeKey FROM outbox o JOIN booking b ON b.id = o.bookingId
            WHERE o.status = 'pending' AND b.status IN ('cancelled', 'rescheduled') \(onDay)
            """, arguments: arguments) {
            out.append(DayViolation(rule: .pendingForCancelled, day: row["day"], booking: row["externalId"],
                                    detail: "\(row["status"] as String) but \(row["template"] as String) message \(row["dedupeKey"] as String) is still pending"))
        }
        // The dedupe key is ``OutboxMessageRecord/windowChangedKey(booking:start:end:)``'s.
        for row in try Row.fetchAll(db, sql: """
            SELECT b.externalId, b.day, w.newStart, w.newEnd FROM windowChange w JOIN booking b ON b.id = w.bookingId
            JOIN customer c ON c.id = b.customerId
            WHERE (IFNULL(c.phone, '') <> '' OR IFNULL(c.email, '') <> '') \(onDay)
              AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.bookingId = b.id AND o.template = 'window_changed'
                              AND o.dedupeKey = 'window_changed:' || b.externalId || ':' || w.newStart || '-' || w.newEnd)
            """, arguments: arguments) {
            out.append(DayViolation(rule: .untoldChange, day: row["day"], booking: row["externalId"],
                                    detail: "told window moved to \(row["newStart"] as Int64)-\(row["newEnd"] as Int64) without a message"))
        }
        return out
    }

    /// Every day's version (``FieldStore/dayVersion(_:)``).
    static func versions(_ db: Database) throws -> [DayKey: Int64] {
        var out: [DayKey: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT regionId, day, version FROM dayVersion") {
            out[DayKey(regionId: row["regionId"], day: row["day"])] = row["version"]
        }
        return out
    }

    /// A driven stop as it stood: what must never change once the technician is on the way.
    public struct DrivenStop: Sendable, Equatable, Hashable {
        public var booking: String
        public var technicianId: Int64
        public var sequence: Int
        public var plannedStart: Int64
        public var plannedEnd: Int64
        public var promisedStart: Int64?
        public var promisedEnd: Int64?
        public var actualArrival: Int64?
        public var actualDeparture: Int64?
        public var actualStart: Int64?
        public var status: BookingStatus
    }

    /// Every driven stop of every plan, by booking id (external).
    static func drivenStops(_ db: Database) throws -> [String: DrivenStop] {
        var out: [String: DrivenStop] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT b.externalId, b.status, r.technicianId, s.* FROM stop s JOIN route r ON r.id = s.routeId JOIN booking b ON b.id = s.bookingId
            WHERE b.status IN ('arrived', 'completed', 'no_show') OR s.actualArrival IS NOT NULL
            """) {
            let booking: String = row["externalId"]
            out[booking] = DrivenStop(booking: booking, technicianId: row["technicianId"], sequence: row["sequence"],
                                      plannedStart: row["plannedStart"], plannedEnd: row["plannedEnd"],
                                      promisedStart: row["promisedStart"], promisedEnd: row["promisedEnd"],
                                      actualArrival: row["actualArrival"], actualDeparture: row["actualDeparture"],
                                      actualStart: row["actualStart"], status: BookingStatus(rawValue: row["status"]) ?? .booked)
        }
        return out
    }

    /// Rule 6: each stop driven `before` (arrived, completed, no-show) is still there `after`, on the
    /// same route at the same place with the same planned times and told window. What happened may
    /// only be filled in: an actual time from nil to a value, the status forward.
    public static func drivenChanges(from before: [String: DrivenStop], to after: [String: DrivenStop]) -> [DayViolation] {
        var out: [DayViolation] = []
        for (booking, old) in before.sorted(by: { $0.key < $1.key }) {
            guard let new = after[booking] else {
                out.append(DayViolation(rule: .drivenChanged, day: "", booking: booking, detail: "driven stop is gone"))
                continue
            }
            func filled(_ a: Int64?, _ b: Int64?) -> Bool { a == nil || a == b }
            if new.technicianId != old.technicianId || new.sequence != old.sequence || new.plannedStart != old.plannedStart
                || new.plannedEnd != old.plannedEnd || new.promisedStart != old.promisedStart || new.promisedEnd != old.promisedEnd
                || !filled(old.actualArrival, new.actualArrival) || !filled(old.actualDeparture, new.actualDeparture)
                || !filled(old.actualStart, new.actualStart) || !(new.status == old.status || old.status.allowedNext.contains(new.status)
                                                                   || old.status.allowedNext.contains { $0.allowedNext.contains(new.status) }) {
                out.append(DayViolation(rule: .drivenChanged, day: "", booking: booking, detail: "was \(old), now \(new)"))
            }
        }
        return out
    }
}

extension StoreTransaction {
    /// Rules 1–5, 7 and 8 of ``DayInvariants`` on `days`, or on every day with a plan or a booking.
    public func dayViolations(days: [DayKey]? = nil) throws -> [DayViolation] { try DayInvariants.check(db, days: days) }

    /// Every driven stop of every plan, by booking id (external), for ``DayInvariants/drivenChanges(from:to:)``.
    public func drivenStops() throws -> [String: DayInvariants.DrivenStop] { try DayInvariants.drivenStops(db) }
}
