import FieldStore

extension Bookings {
    /// A slot id must name one window of the region's grid (`booking.slotMinutes` wide, starting at
    /// `slotsFrom` plus whole steps, no later than `slotsUntil`): exactly what `slots` offers, so no
    /// one books a 1-minute promise by writing the id by hand.
    static func checkOnGrid(slot: String, window: String, regionId: Int64, _ db: StoreTransaction) throws {
        let rules = try Engine.setting(BookingRules.self, regionId: regionId, db)
        let ends = window.split(separator: "-").map { BookingRules.minutes(String($0)) }
        guard ends.count == 2, let start = ends[0], let end = ends[1], let first = BookingRules.minutes(rules.slotsFrom),
              let last = BookingRules.minutes(rules.slotsUntil) else {
            throw FieldRouteError.badInput("slot '\(slot)' is not a slot id like 2026-11-25T10:00-12:00 (see 'fieldroute slots')")
        }
        let width = (end - start + 1_440) % 1_440
        guard width == rules.slotMinutes, start >= first, start <= last, (start - first) % rules.slotMinutes == 0 else {
            throw FieldRouteError.badInput("slot '\(slot)' is not on the region's slot grid: windows of \(rules.slotMinutes) min "
                                           + "starting \(rules.slotsFrom), \(rules.slotsUntil) at the latest (see 'fieldroute slots')")
        }
    }

    /// Why a slot booking found no room: no technician working that day has the skills, none works
    /// during the slot, or (the usual case) another booking took the room first.
    static func slotRefusal(_ request: BookingDraft, day: String, slot: String, regionId: Int64, _ db: StoreTransaction) throws -> FieldRouteError {
        let working = try db.shifts(day: day)
        var skilled: [ShiftRecord] = []
        for shift in working {
            guard let t = try db.technician(id: shift.technicianId), t.regionId == regionId else { continue }
            if Set(request.skills).isSubset(of: t.skills) { skilled.append(shift) }
        }
        if skilled.isEmpty {
            let needs = request.skills.isEmpty ? "" : " with the skills \(request.skills.joined(separator: ", "))"
            return .badInput("no technician\(needs) works on \(day): slot \(slot) cannot be booked")
        }
        guard let region = try db.region(id: regionId), let window = request.windows.first else { return taken(slot) }
        let clock = try RegionClock(timeZone: region.timeZone)
        guard let (start, end) = clock.window(window, on: day) else { return taken(slot) }
        let duration = Int64(request.durationMinutes) * 60
        if !skilled.contains(where: { $0.start <= end && $0.end >= start + duration }) {
            return .badInput("no technician\(request.skills.isEmpty ? "" : " with those skills") works on \(day) during \(window) "
                             + "long enough for a \(request.durationMinutes)-min visit: slot \(slot) cannot be booked")
        }
        return taken(slot)
    }

    private static func taken(_ slot: String) -> FieldRouteError {
        .badInput("slot taken: \(slot) is no longer free; ask for slots again")
    }
}
