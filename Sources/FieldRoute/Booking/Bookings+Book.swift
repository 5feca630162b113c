import FieldStore
import Foundation

/// A visit to book: the fields of a bookings import row, or a slot from ``Bookings/slots(site:durationMinutes:skills:from:days:now:)``.
public struct BookingDraft: Sendable, Equatable {
    public var id: String
    public var customer: String
    public var lat: Double
    public var lon: Double
    public var durationMinutes: Int
    /// Local day; taken from the slot when `slot` is given.
    public var date: String?
    /// Local "HH:MM-HH:MM"; taken from the slot when `slot` is given.
    public var windows: [String]
    public var skills: [String]
    public var priority: Int?
    public var address: String?
    /// A slot id as `slots` offered it ("2026-11-25T10:00-12:00").
    public var slot: String?

    public init(id: String, customer: String, lat: Double, lon: Double, durationMinutes: Int, date: String? = nil,
                windows: [String] = [], skills: [String] = [], priority: Int? = nil, address: String? = nil, slot: String? = nil) {
        self.id = id; self.customer = customer; self.lat = lat; self.lon = lon; self.durationMinutes = durationMinutes
        self.date = date; self.windows = windows; self.skills = skills; self.priority = priority; self.address = address
        self.slot = slot
    }
}

extension BookingDraft {
    /// A draft from the JSON object that the MCP `book` tool and `POST /api/book` take: `id`,
    /// `customer`, `lat`, `lon`, `duration_min`, and `slot` or `date` with `window`; `skills`,
    /// `address` optional. Unknown keys are refused by name.
    public init(json: Data) throws(FieldRouteError) {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: json) } catch { throw .badInput("book: not valid JSON (\(error.localizedDescription))") }
        guard let object = parsed as? [String: Any] else { throw .badInput("book: the request must be a JSON object") }
        self = try AssistantTools.bookDraft(object)
    }
}

/// What a booking call did.
public struct BookingOutcome: Sendable, Codable, Equatable {
    public var booking: String
    public var status: BookingStatus
    public var day: String
    /// Local "HH:MM-HH:MM".
    public var windows: [String]
    /// The technician when the visit went straight into a planned day (slot bookings).
    public var technician: String?
    public var remindersQueued: Int
    /// Each reminder not queued, with why ("120 min before: the SMS quiet hours … last until the visit begins").
    public var remindersSkipped: [String] = []
    /// After a reschedule: the self-service link of the new visit (the old link follows it too).
    public var link: String?
}

extension Bookings {
    /// Books a visit under the region's rules: the customer must not be blocked; the visit must lie
    /// between `minMinutesAhead` and `maxDaysAhead` from now. With a slot, the visit goes straight into
    /// that day's routes (told windows stay kept); if the slot is gone — another booking took the room
    /// first — the call fails with "slot taken" and nothing is written. Reminders are queued.
    public func book(_ draft: BookingDraft, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> BookingOutcome {
        var draft = draft
        try prepareSlot(&draft)
        guard let day = draft.date else { throw .badInput("book: needs a date and a window, or a slot") }
        let request = draft
        do { return try store.write { db in try Self.book(request, day: day, now: now, db) } }
        catch { throw FieldRouteError(wrapping: error) }
    }

    /// A slot booking's day planned first (outside any transaction), so the slot can be placed.
    private func prepareSlot(_ draft: inout BookingDraft) throws(FieldRouteError) {
        guard let slot = draft.slot else { return }
        let (day, window) = try Self.parseSlot(slot)
        draft.date = day; draft.windows = [window]
        try ensurePlan(day: day, region: nil)
    }

    /// ``book(_:now:)`` inside the caller's transaction (a reschedule books and releases in one).
    private static func book(_ request: BookingDraft, day: String, now: Int64, _ db: StoreTransaction) throws -> BookingOutcome {
        let customer = try bookableCustomer(request.customer, db)
        var technician: String?
        if let slot = request.slot {
            let regionId = try Engine.region(named: nil, db).id ?? 0
            try checkOnGrid(slot: slot, window: request.windows.first ?? "", regionId: regionId, db)
            try db.expireHolds(now: now)
            let job = DispatchRequest.NewJob(id: request.id, customer: request.customer, lat: request.lat, lon: request.lon,
                                             durationMin: request.durationMinutes, windows: request.windows,
                                             skills: request.skills.isEmpty ? nil : request.skills,
                                             priority: request.priority, address: request.address)
            var run = DispatchRun(db: db, request: DispatchRequest(op: .insertJob, date: day, now: String(now), job: job), now: now,
                                  live: try LiveDay.load(db, region: nil, day: day, now: now), dryRun: false)
            // The rules first, on the booking as it would be stored (then rolled back: the dispatch
            // insert stores it with its place in the route).
            try db.rolledBack { try checkRules(try draftBooking(request, day: day, now: now, db), now: now, db) }
            do {
                let answer = try run.perform()
                technician = answer.chosen?.technician
            } catch let FieldRouteError.refused(refusal) {
                // Dispatch's insert leaves room for other customers' holds, or refuses with "held".
                if refusal.code == "held" { throw FieldRouteError.badInput("slot taken: \(slot) is held for another customer; ask for slots again") }
                throw try slotRefusal(request, day: day, slot: slot, regionId: regionId, db)
            }
            try db.takeHolds(customerId: customer.id ?? 0, slot: slot)
            // The slot is what the customer was told: it is the promise, and the morning message says it.
            let b = try db.booking(externalId: request.id)
            try db.setPromise(bookingId: b.id ?? 0, start: b.timeWindows[0].start, end: b.timeWindows[0].end)
            try Messages.queueMorningMessage(for: b, window: (b.timeWindows[0].start, b.timeWindows[0].end), now: now, db)
        } else {
            let booking = try draftBooking(request, day: day, now: now, db)
            try checkRules(booking, now: now, db)
        }
        let booking = try db.booking(externalId: request.id)
        let reminders = try Messages.queueReminders(for: booking, now: now, db)
        var result = try outcome(booking, technician: technician, reminders: reminders.queued, db)
        result.remindersSkipped = reminders.skipped
        return result
    }

    /// Confirms a visit. A customer who must prepay (no-show policy) needs a payment status first.
    public func confirm(booking externalId: String, by requester: Requester = .staff,
                        now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> BookingOutcome {
        do {
            return try store.write { db in
                let booking = try db.booking(externalId: externalId)
                try Self.authorize(requester, booking: booking, now: now, db)
                let policy = try Engine.setting(NoShowPolicy.self, regionId: booking.regionId, db)
                if let customer = try db.customer(id: booking.customerId), customer.prepaymentRequired,
                   policy.paymentBeforeConfirmation, booking.paymentStatus == .none {
                    throw FieldRouteError.badInput("\(externalId) cannot be confirmed before payment: customer \(customer.externalId) "
                                                   + "must prepay (no-show policy); record a deposit, prepayment or voucher first")
                }
                let moved = try db.moveBooking(externalId, to: .confirmed, at: now, reason: requester == .staff ? "staff" : "customer link")
                return try Self.outcome(moved, technician: nil, reminders: 0, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Cancels a visit with a reason from the region's list ("other" needs `note`), within the
    /// region's change rules. The lead time is recorded, pending reminders are withdrawn, the place in
    /// the route is freed at once and the technician is told.
    public func cancel(booking externalId: String, reason: String, note: String? = nil, by requester: Requester = .staff,
                       now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> BookingOutcome {
        do {
            return try store.write { db in
                let booking = try db.booking(externalId: externalId)
                try Self.authorize(requester, booking: booking, now: now, db)
                let text = try Self.cancellationReason(reason, note: note, regionId: booking.regionId, db)
                try Self.checkChangeAllowed(booking, now: now, db)
                let moved = try db.moveBooking(externalId, to: .cancelled, at: now, reason: text)
                try Self.release(moved, change: "cancelled", now: now, db)
                return try Self.outcome(moved, technician: nil, reminders: 0, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Moves a visit to another day and windows (or a slot) as a new booking `<id>-R<n>`; the old one
    /// becomes `rescheduled` and keeps its history. Both the change rules (for the old visit) and the
    /// booking rules (for the new one) apply; reminders move with it. Booking the new visit and
    /// releasing the old one are one transaction: a cancel racing it finds either both done or neither.
    public func reschedule(booking externalId: String, date: String? = nil, windows: [String] = [], slot: String? = nil,
                           by requester: Requester = .staff,
                           now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> BookingOutcome {
        var target = BookingDraft(id: "", customer: "", lat: 0, lon: 0, durationMinutes: 0, date: date, windows: windows, slot: slot)
        try prepareSlot(&target)
        let request = target
        do {
            return try store.write { db in
                let old = try db.booking(externalId: externalId)
                try Self.authorize(requester, booking: old, now: now, db)
                try Self.checkChangeAllowed(old, now: now, db)
                guard old.status.allowedNext.contains(.rescheduled) else {
                    throw FieldRouteError.badInput("\(externalId) is \(old.status.rawValue): it cannot be rescheduled")
                }
                guard let customer = try db.customer(id: old.customerId) else {
                    throw StoreError.notFound(kind: "customer", id: "\(old.customerId)")
                }
                guard let day = request.date else { throw FieldRouteError.badInput("reschedule: needs a date and a window, or a slot") }
                let existing = try db.bookingIds(startingWith: "\(externalId)-R")
                var n = 1
                while existing.contains("\(externalId)-R\(n)") { n += 1 }
                let draft = BookingDraft(id: "\(externalId)-R\(n)", customer: customer.externalId, lat: old.lat, lon: old.lon,
                                         durationMinutes: Int(old.serviceDuration / 60), date: day, windows: request.windows,
                                         skills: old.requiredSkills, priority: old.priority, address: old.address, slot: request.slot)
                let outcome = try Self.book(draft, day: day, now: now, db)
                let moved = try db.moveBooking(externalId, to: .rescheduled, at: now,
                                                   reason: "moved to \(outcome.booking) on \(outcome.day) \(outcome.windows.joined(separator: " "))")
                try Self.release(moved, change: "moved to \(outcome.day) \(outcome.windows.joined(separator: " "))", now: now, db)
                // The old link follows the visit; the answer carries a new one.
                let new = try db.booking(externalId: outcome.booking)
                try db.moveTokens(fromBooking: old.id ?? 0, toBooking: new.id ?? 0,
                                  validUntil: (new.timeWindows.map(\.end).max() ?? now) + 86_400)
                let linkBase = try Engine.setting(ReminderSettings.self, regionId: new.regionId, db).linkBase
                var answer = outcome
                answer.link = linkBase + (try Self.makeToken(for: new, now: now, db).token)
                return answer
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// The booking's status history says what happened: completed, no_show (counted against the
    /// customer, which may trigger the no-show policy) or cancelled_late. Completed and no-show only
    /// once the visit's window has opened (or the technician was seen arriving), unless `force` with a
    /// note saying why; its pending messages are then withdrawn.
    public func recordOutcome(booking externalId: String, _ outcome: VisitOutcome, note: String? = nil, force: Bool = false,
                              now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> BookingOutcome {
        if force, (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw .badInput("--force needs a --note saying why the outcome is recorded before the visit")
        }
        do {
            return try store.write { db in
                var booking = try db.booking(externalId: externalId)
                if outcome != .cancelledLate, !force, booking.status != .arrived, let start = booking.timeWindows.map(\.start).min(),
                   now < start {
                    let clock = try RegionClock(timeZone: try db.region(id: booking.regionId)?.timeZone ?? "UTC")
                    throw FieldRouteError.badInput("\(externalId) begins \(clock.day(of: start)) \(clock.clockTime(start)): its outcome "
                                                   + "can be recorded from then on (or with --force --note …)")
                }
                switch outcome {
                case .completed:
                    if booking.status != .completed {
                        if booking.status.allowedNext.contains(.arrived) { booking = try db.moveBooking(externalId, to: .arrived, at: now, reason: note) }
                        booking = try db.moveBooking(externalId, to: .completed, at: now, reason: note)
                    }
                case .noShow:
                    booking = try db.moveBooking(externalId, to: .noShow, at: now, reason: note ?? "customer not there")
                    try Self.applyNoShowPolicy(customerId: booking.customerId, regionId: booking.regionId, now: now, db)
                case .cancelledLate:
                    guard booking.status == .cancelled else {
                        throw FieldRouteError.badInput("\(externalId) is \(booking.status.rawValue): only a cancelled visit can be cancelled_late")
                    }
                }
                booking.outcome = outcome
                try db.update(booking)
                try Outbox.withdraw(booking: booking.id ?? 0, reason: "outcome recorded: \(outcome.rawValue)", db)
                return try Self.outcome(booking, technician: nil, reminders: 0, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Records how a visit is paid for.
    public func setPayment(booking externalId: String, _ status: PaymentStatus) throws(FieldRouteError) {
        do {
            try store.write { db in
                var booking = try db.booking(externalId: externalId)
                booking.paymentStatus = status
                try db.update(booking)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    /// Lifts a block (and a prepayment requirement) with staff's note, kept with the customer.
    public func unblock(customer externalId: String, note: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) {
        guard !note.trimmingCharacters(in: .whitespaces).isEmpty else { throw .badInput("unblocking needs a note saying why") }
        do {
            try store.write { db in
                guard var customer = try db.customer(externalId: externalId) else {
                    throw StoreError.notFound(kind: "customer", id: externalId)
                }
                customer.blocked = false; customer.prepaymentRequired = false; customer.blockedReason = nil
                try db.update(customer)
                var record = CustomerNoteRecord(customerId: customer.id ?? 0, kind: "unblocked", note: note, at: now)
                try db.insert(&record)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    // MARK: Rules

    static func bookableCustomer(_ externalId: String, _ db: StoreTransaction) throws -> CustomerRecord {
        guard let customer = try db.customer(externalId: externalId) else {
            throw FieldRouteError.badInput("unknown customer '\(externalId)'")
        }
        if customer.blocked {
            throw FieldRouteError.badInput("customer \(externalId) is blocked (\(customer.blockedReason ?? "no-show policy")): "
                                           + "staff can lift it with 'fieldroute customer unblock \(externalId) --note …'")
        }
        return customer
    }

    /// A new visit must start between `minMinutesAhead` and `maxDaysAhead` from now.
    static func checkRules(_ booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws {
        guard let start = booking.timeWindows.first?.start, let region = try db.region(id: booking.regionId) else { return }
        let rules = try Engine.setting(BookingRules.self, regionId: booking.regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        let earliest = now + Int64(rules.minMinutesAhead) * 60, latest = now + Int64(rules.maxDaysAhead) * 86_400
        let show = { (t: Int64) in "\(clock.day(of: t)) \(clock.clockTime(t))" }
        // Starts are whole minutes: the limits as the first and last whole minute allowed, so the
        // message never says "starts 10:00, earliest 10:00" when the limit is 10:00:01.
        let firstMinute = (earliest + 59) / 60 * 60
        let lastMinute = latest / 60 * 60  // `now` is checked to lie in 2000–2100: positive
        if start < earliest {
            throw FieldRouteError.badInput("booking rule: visits are booked at least \(rules.minMinutesAhead) minutes ahead; "
                                           + "this one starts \(show(start)), the earliest allowed start is \(show(firstMinute))")
        }
        if start > latest {
            throw FieldRouteError.badInput("booking rule: visits are booked at most \(rules.maxDaysAhead) days ahead; "
                                           + "this one starts \(show(start)), the latest allowed start is \(show(lastMinute))")
        }
    }

    /// Cancelling or rescheduling is allowed by the region's change policy at `now`.
    static func checkChangeAllowed(_ booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws {
        guard let region = try db.region(id: booking.regionId) else { return }
        let rules = try Engine.setting(BookingRules.self, regionId: booking.regionId, db)
        let clock = try RegionClock(timeZone: region.timeZone)
        if let start = booking.timeWindows.map(\.start).min(), now > start {
            throw FieldRouteError.badInput("booking rule: \(booking.externalId) began at \(clock.day(of: start)) \(clock.clockTime(start)); "
                                           + "a visit that has begun cannot be cancelled or moved: record its outcome "
                                           + "(fieldroute outcome --booking \(booking.externalId) no-show)")
        }
        switch rules.changes {
        case .any: return
        case .never: throw FieldRouteError.badInput("booking rule: visits in \(region.name) cannot be cancelled or rescheduled")
        case .cutoff:
            guard let start = booking.timeWindows.first?.start else { return }
            let until = start - Int64(rules.changeCutoffMinutes) * 60
            if now > until {
                throw FieldRouteError.badInput("booking rule: changes are allowed until \(rules.changeCutoffMinutes) minutes before the visit, "
                                               + "that is until \(clock.day(of: until)) \(clock.clockTime(until))")
            }
        }
    }

    /// After `threshold` no-shows within `windowDays`, the customer must prepay or is blocked.
    static func applyNoShowPolicy(customerId: Int64, regionId: Int64, now: Int64, _ db: StoreTransaction) throws {
        guard var customer = try db.customer(id: customerId) else { return }
        customer.noShowCount += 1
        let policy = try Engine.setting(NoShowPolicy.self, regionId: regionId, db)
        let recent = try db.noShows(customerId: customerId, since: now - Int64(policy.windowDays) * 86_400)
        if recent >= policy.threshold, policy.action != .none {
            let why = "\(recent) no-shows within \(policy.windowDays) days"
            if policy.action == .block { customer.blocked = true; customer.blockedReason = why } else { customer.prepaymentRequired = true }
            var note = CustomerNoteRecord(customerId: customerId, kind: policy.action == .block ? "blocked" : "prepayment_required",
                                          note: why, at: now)
            try db.insert(&note)
        }
        try db.update(customer)
    }

    // MARK: Helpers

    /// A cancellation's reason as kept with the booking: one of the region's reasons, with the note
    /// after a colon ("other" needs one), so the cancellation report counts reasons, not free text.
    static func cancellationReason(_ reason: String, note: String?, regionId: Int64, _ db: StoreTransaction) throws -> String {
        let reasons = try Engine.setting(CancellationSettings.self, regionId: regionId, db).reasons
        guard reasons.contains(reason) else {
            throw FieldRouteError.badInput("cancellation reason '\(reason)' is not one of \(reasons.joined(separator: ", "))")
        }
        if reason == "other", (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw FieldRouteError.badInput("reason 'other' needs a note saying why")
        }
        return note.map { "\(reason): \($0)" } ?? reason
    }

    /// Frees a cancelled or moved visit's place in its route, withdraws its pending messages and tells
    /// its technician.
    static func release(_ booking: BookingRecord, change: String, now: Int64, _ db: StoreTransaction) throws {
        try Outbox.withdraw(booking: booking.id ?? 0, reason: "visit \(change)", db)
        guard let (stop, technicianId) = try db.stop(bookingId: booking.id ?? 0) else { return }
        try db.delete(stop)
        let clock = try RegionClock(timeZone: try db.region(id: booking.regionId)?.timeZone ?? "UTC")
        var message = TechnicianMessageRecord(
            technicianId: technicianId, bookingId: booking.id,
            body: "\(booking.externalId) at \(booking.address.isEmpty ? "\(booking.lat),\(booking.lon)" : booking.address) "
                + "(planned \(clock.clockTime(stop.plannedStart))) \(change)",
            createdAt: now, dedupeKey: "\(booking.externalId):\(booking.status.rawValue)")
        try db.insert(&message)
    }

    /// Stores a new booking with the same checks as a bookings file row (the one way bookings are
    /// made, by `book`, slots and dispatch's `insert_job`); a blocked customer is refused. With
    /// `insert` false it is checked the same way and returned unstored, its id nil (a what-if's job).
    static func draftBooking(_ d: BookingDraft, day: String, region: String? = nil, now: Int64, insert: Bool = true,
                             _ db: StoreTransaction) throws -> BookingRecord {
        _ = try bookableCustomer(d.customer, db)
        var row: [String: Any] = ["id": d.id, "customer": d.customer, "date": day, "lat": d.lat, "lon": d.lon,
                                  "duration_min": d.durationMinutes, "windows": d.windows]
        if !d.skills.isEmpty { row["skills"] = d.skills }
        if let priority = d.priority { row["priority"] = priority }
        if let address = d.address { row["address"] = address }
        if let region { row["region"] = region }
        let data = try JSONSerialization.data(withJSONObject: [row])
        let table = try Importer.table(.bookings, data: data, name: "booking.json")
        guard insert else {
            guard let record = try Importer.bookingRecords(table, name: "booking.json", now: now, db).first else {
                throw FieldRouteError.internalFailure("booking \(d.id): the draft row was not read back")
            }
            return record
        }
        try Importer.insert(.bookings, table, name: "booking.json", now: now, db)
        return try db.booking(externalId: d.id)
    }

    static func outcome(_ b: BookingRecord, technician: String?, reminders: Int, _ db: StoreTransaction) throws -> BookingOutcome {
        let clock = try RegionClock(timeZone: try db.region(id: b.regionId)?.timeZone ?? "UTC")
        return BookingOutcome(booking: b.externalId, status: b.status, day: b.day,
                              windows: b.timeWindows.map { "\(clock.clockTime($0.start))-\(clock.clockTime($0.end))" },
                              technician: technician, remindersQueued: reminders)
    }

    /// "2026-11-25T10:00-12:00" → day and window.
    static func parseSlot(_ slot: String) throws(FieldRouteError) -> (String, String) {
        let parts = slot.split(separator: "T", maxSplits: 1).map(String.init)
        guard parts.count == 2, RegionClock.parseDay(parts[0]) != nil, parts[1].count == 11 else {
            throw .badInput("slot '\(slot)' is not a slot id like 2026-11-25T10:00-12:00 (see 'fieldroute slots')")
        }
        return (parts[0], parts[1])
    }

    /// Plans `day` tentatively (a short search) when it has shifts but no plan yet, so slots can be
    /// offered against real routes; the nightly plan replaces it. When another process plans the day
    /// first, its plan stands.
    func ensurePlan(day: String, region: String?) throws(FieldRouteError) {
        let needed: Bool
        do {
            needed = try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                let planned = try db.plan(regionId: r.id ?? 0, day: day) != nil
                let shifts = try db.shiftCount(regionId: r.id ?? 0, day: day)
                return !planned && shifts > 0
            }
        } catch { throw FieldRouteError(wrapping: error) }
        if needed {
            _ = try Planner(store: store).plan(day: day, region: region, options: PlanOptions(iterations: 200), onlyIfUnplanned: true,
                                               progress: nil)
        }
    }
}
