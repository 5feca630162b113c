import FieldStore
import Foundation
import RouteSolver

/// A slot kept for a customer: a hold while they decide, or an offer of it to one of their bookings.
public struct HoldView: Sendable, Codable, Equatable {
    public var id: Int64
    /// "hold" or "offer".
    public var kind: String
    public var customer: String
    /// The booking an offer would move.
    public var booking: String?
    public var slot: String
    /// Unix seconds, UTC: after this the slot is no longer kept and the hold or offer is never honoured.
    public var expiresAt: Int64
    public var status: SlotHoldStatus
    public var note: String?
}

extension Bookings {
    /// Keeps `slot` from everyone but `customer` for `minutes` (1–1440) while they decide: no other
    /// booking, slot offer or hold is given room this visit would need. Booking the slot as that
    /// customer takes the hold; after `minutes` it expires and is never honoured. Fails with "slot
    /// taken" when the slot has no room now.
    public func hold(slot: String, customer: String, site: (lat: Double, lon: Double), durationMinutes: Int, skills: [String] = [],
                     minutes: Int, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> HoldView {
        guard (1...1_440).contains(minutes) else { throw .badInput("--minutes must be 1–1440, got \(minutes)") }
        guard (1...1_440).contains(durationMinutes) else { throw .badInput("--duration must be 1–1440 minutes") }
        guard abs(site.lat) <= 90, abs(site.lon) <= 180 else { throw .badInput("--site \(site.lat),\(site.lon) is not a WGS84 position") }
        let (day, window) = try Self.parseSlot(slot)
        try ensurePlan(day: day, region: nil)
        do {
            return try store.write { db in
                try db.expireHolds(now: now)
                let c = try Self.bookableCustomer(customer, db)
                let draft = BookingDraft(id: "hold", customer: customer, lat: site.lat, lon: site.lon, durationMinutes: durationMinutes,
                                         date: day, windows: [window], skills: skills, slot: slot)
                let record = try Self.keep(draft, slot: slot, day: day, customerId: c.id ?? 0, bookingId: nil, note: nil,
                                           expiresAt: now + Int64(minutes) * 60, now: now, db)
                return try Self.view(record, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Offers `slot` to booking `externalId` for `validMinutes` (1–10080), e.g. an earlier slot freed by
    /// a cancellation (dispatch's `earlier_offers`) or a deal: the slot is held for that customer, and
    /// the offer goes out through the outbox with an accept link. ``acceptOffer(booking:by:now:)``
    /// within the time moves the visit there; after it the offer expires and is never honoured.
    public func offer(booking externalId: String, slot: String, validMinutes: Int, note: String? = nil,
                      now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> HoldView {
        guard (1...10_080).contains(validMinutes) else { throw .badInput("--valid-minutes must be 1–10080 (a week), got \(validMinutes)") }
        if let note, note.count > 500 { throw .badInput("--note is at most 500 characters") }
        let (day, window) = try Self.parseSlot(slot)
        try ensurePlan(day: day, region: nil)
        do {
            return try store.write { db in
                try db.expireHolds(now: now)
                let b = try db.booking(externalId: externalId)
                guard b.status.allowedNext.contains(.rescheduled) else {
                    throw FieldRouteError.badInput("\(externalId) is \(b.status.rawValue): it cannot be offered another slot")
                }
                guard let c = try db.customer(id: b.customerId) else { throw StoreError.notFound(kind: "customer", id: "\(b.customerId)") }
                let draft = BookingDraft(id: "offer", customer: c.externalId, lat: b.lat, lon: b.lon, durationMinutes: Int(b.serviceDuration / 60),
                                         date: day, windows: [window], skills: b.requiredSkills, slot: slot)
                let record = try Self.keep(draft, slot: slot, day: day, customerId: b.customerId, bookingId: b.id, note: note,
                                           expiresAt: now + Int64(validMinutes) * 60, now: now, db)
                try Messages.queueOffer(record, booking: b, now: now, db)
                return try Self.view(record, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Accepts the open offer of booking `externalId` (staff, or the customer with the booking's link):
    /// the visit is rescheduled into the offered slot, as `reschedule` does. An expired offer is refused.
    public func acceptOffer(booking externalId: String, by requester: Requester = .staff,
                            now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> BookingOutcome {
        let slot: String
        do {
            slot = try store.write { db in
                try db.expireHolds(now: now)
                let b = try db.booking(externalId: externalId)
                try Self.authorize(requester, booking: b, now: now, db)
                let offers = try db.holds(bookingId: b.id ?? 0)
                guard let open = offers.last(where: { $0.status == .open }) else {
                    if let last = offers.last {
                        throw FieldRouteError.badInput("the offer of \(last.slot) to \(externalId) is \(last.status.rawValue); it cannot be accepted")
                    }
                    throw FieldRouteError.badInput("\(externalId) has no offer to accept")
                }
                return open.slot
            }
        } catch { throw FieldRouteError(wrapping: error) }
        return try reschedule(booking: externalId, slot: slot, by: requester, now: now)
    }

    /// Lets a hold or offer go before it expires; its slot is free for others at once.
    public func releaseHold(_ id: Int64, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> HoldView {
        do {
            return try store.write { db in
                try db.expireHolds(now: now)
                guard var h = try db.fetch(SlotHoldRecord.self, id: id) else { throw FieldRouteError.badInput("no hold \(id)") }
                guard h.status == .open else { throw FieldRouteError.badInput("hold \(id) is \(h.status.rawValue) already") }
                h.status = .released
                try db.update(h)
                return try Self.view(h, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Checks the slot has room with every other customer's open hold placed first, then stores the hold.
    private static func keep(_ draft: BookingDraft, slot: String, day: String, customerId: Int64, bookingId: Int64?, note: String?,
                             expiresAt: Int64, now: Int64, _ db: StoreTransaction) throws -> SlotHoldRecord {
        let region = try Engine.region(named: nil, db)
        let regionId = region.id ?? 0
        try checkOnGrid(slot: slot, window: draft.windows.first ?? "", regionId: regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        guard let (start, end) = clock.window(draft.windows.first ?? "", on: day) else {
            throw FieldRouteError.badInput("slot '\(slot)' is not a slot id like 2026-11-25T10:00-12:00 (see 'fieldroute slots')")
        }
        let probe = BookingRecord(id: -1, externalId: "hold-probe", customerId: customerId, regionId: regionId, lat: draft.lat, lon: draft.lon,
                                  address: "", serviceDuration: Int64(draft.durationMinutes) * 60, requiredSkills: draft.skills, day: day,
                                  timeWindows: [TimeWindow(start: start, end: end)], createdAt: now)
        try checkRules(probe, now: now, db)
        guard try db.plan(regionId: regionId, day: day) != nil else {
            throw FieldRouteError.badInput("no technician works on \(day): slot \(slot) cannot be held")
        }
        let live = try LiveDay.load(db, region: nil, day: day, now: now)
        let others = try db.openHolds(regionId: regionId, day: day, now: now).filter { $0.customerId != customerId }
        guard try placement(of: probe, after: others, in: live) != nil else { throw try slotRefusal(draft, day: day, slot: slot, regionId: regionId, db) }
        var record = SlotHoldRecord(regionId: regionId, customerId: customerId, bookingId: bookingId, slot: slot, day: day,
                                    windowStart: start, windowEnd: end, lat: draft.lat, lon: draft.lon,
                                    serviceDuration: probe.serviceDuration, requiredSkills: draft.skills, note: note,
                                    createdAt: now, expiresAt: expiresAt)
        try db.insert(&record)
        return record
    }

    /// Where `probe` would go in the day's routes once `holds` are placed first (each at its cheapest
    /// feasible place; one that no longer fits anywhere is passed over): the technician and the
    /// minutes of driving added, or nil when there is no room. Told windows stay hard and a pending
    /// break must still fit.
    static func placement(of probe: BookingRecord, after holds: [SlotHoldRecord], in live: LiveDay) throws
        -> (technician: String, extraDriveSeconds: Int64)? {
        let held = try placeHolds(holds, then: [probe], in: live)
        let j = Int32(held.lp.bookings.count - 1)
        let solution = Solution(routes: held.routes.map { Solution.Route(vehicle: $0.key, jobs: $0.value) })
        for option in held.checker.insertions(of: j, into: solution)
        where fits(option, j, routes: held.routes, held.checker, live) {
            return (live.technicians[Int(option.vehicle)].record.externalId, option.costDelta)
        }
        return nil
    }

    /// How many of `holds` fit the day's routes now, placed in turn.
    static func holdsFitting(_ holds: [SlotHoldRecord], in live: LiveDay) throws -> Int {
        try placeHolds(holds, then: [], in: live).placed
    }

    /// The day's routes with `holds` placed in order, each at its cheapest feasible place (one that fits
    /// nowhere is passed over), in a problem whose last jobs are `extra`.
    private static func placeHolds(_ holds: [SlotHoldRecord], then extra: [BookingRecord], in live: LiveDay) throws
        -> (lp: LiveProblem, checker: Checker, routes: [Int32: [Int32]], placed: Int) {
        let held = holds.enumerated().map { k, h in h.probe(id: -2 - Int64(k)) }
        let lp = try live.problem(extra: held + extra, mayBreakPromises: false)
        let checker = Checker(problem: lp.problem)
        var routes = Dictionary(uniqueKeysWithValues: lp.current.routes.map { ($0.vehicle, $0.jobs) })
        var placed = 0
        let firstHeld = lp.bookings.count - held.count - extra.count
        for k in held.indices {
            let j = Int32(firstHeld + k)
            let solution = Solution(routes: routes.map { Solution.Route(vehicle: $0.key, jobs: $0.value) })
            guard let best = checker.insertions(of: j, into: solution).filter({ fits($0, j, routes: routes, checker, live) })
                .min(by: { $0.costDelta < $1.costDelta }) else { continue }
            routes[best.vehicle, default: []].insert(j, at: best.position)
            placed += 1
        }
        return (lp, checker, routes, placed)
    }

    /// A feasible insertion that still leaves the technician's pending break a place.
    private static func fits(_ option: InsertionOption, _ j: Int32, routes: [Int32: [Int32]], _ checker: Checker, _ live: LiveDay) -> Bool {
        guard option.isFeasible else { return false }
        let t = live.technicians[Int(option.vehicle)]
        guard let rule = t.pendingBreak else { return true }
        var jobs = routes[option.vehicle] ?? []
        jobs.insert(j, at: option.position)
        return checker.placeBreak(rule, vehicle: option.vehicle, jobs: jobs, shiftEnd: t.shift.end) != nil
    }

    static func view(_ h: SlotHoldRecord, _ db: StoreTransaction) throws -> HoldView {
        let customer = try db.customer(id: h.customerId)?.externalId ?? "?"
        let booking = try h.bookingId.flatMap { try db.booking(id: $0)?.externalId }
        return HoldView(id: h.id ?? 0, kind: h.bookingId == nil ? "hold" : "offer", customer: customer, booking: booking, slot: h.slot,
                        expiresAt: h.expiresAt, status: h.status, note: h.note)
    }
}

extension SlotHoldRecord {
    /// The held visit as a booking that is never stored, for placing it in the day's routes.
    func probe(id: Int64) -> BookingRecord {
        BookingRecord(id: id, externalId: "hold-\(self.id ?? 0)", customerId: customerId, regionId: regionId, lat: lat, lon: lon,
                      address: "", serviceDuration: serviceDuration, requiredSkills: requiredSkills, day: day,
                      timeWindows: [TimeWindow(start: windowStart, end: windowEnd)], createdAt: createdAt)
    }
}
