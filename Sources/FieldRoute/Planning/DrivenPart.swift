import FieldStore

/// What of a planned day is history: per technician, the stops already driven (en route, arrived,
/// completed, no-show, or with an actual arrival), where the technician is after them and from when
/// they are free. A re-plan keeps these stops as they are and plans only the rest of the day from there.
struct DrivenPart {
    struct Tail {
        /// Stop ids kept.
        var stopIds: [Int64]
        var lastSequence: Int
        var at: (lat: Double, lon: Double)
        /// Unix seconds: the later of the planned end and what actually happened at the last driven stop,
        /// so the part still to plan never overlaps it.
        var free: Int64
    }

    var planId: Int64?
    /// By technician id.
    var tails: [Int64: Tail] = [:]
    /// Booking ids whose stop is kept.
    var bookings: Set<Int64> = []
    /// Route ids by technician id, driven or not.
    var routes: [Int64: RouteRecord] = [:]

    var stopIds: [Int64] { tails.values.flatMap(\.stopIds) }

    static func load(_ db: StoreTransaction, regionId: Int64, day: String) throws -> DrivenPart {
        var out = DrivenPart()
        guard let plan = try db.plan(regionId: regionId, day: day),
              let planId = plan.id else { return out }
        out.planId = planId
        let routes = try db.routes(planId: planId)
        let stops = try db.stops(routeIds: routes.compactMap(\.id))
        let bookingOf = Dictionary(uniqueKeysWithValues: try db.bookings(regionId: regionId, day: day).map { ($0.id ?? 0, $0) })
        for route in routes { out.routes[route.technicianId] = route }
        let technicianOf = Dictionary(uniqueKeysWithValues: routes.compactMap { r in r.id.map { ($0, r.technicianId) } })
        for stop in stops {
            guard let booking = bookingOf[stop.bookingId], stop.isDriven(booking), let stopId = stop.id,
                  let technicianId = technicianOf[stop.routeId] else { continue }
            let began = stop.actualStart ?? stop.actualArrival ?? stop.plannedStart
            let free = max(stop.plannedEnd, stop.actualDeparture ?? (began + booking.serviceDuration))
            var tail = out.tails[technicianId]
                ?? Tail(stopIds: [], lastSequence: 0, at: (booking.lat, booking.lon), free: free)
            tail.stopIds.append(stopId)
            tail.lastSequence = max(tail.lastSequence, stop.sequence)
            tail.at = (booking.lat, booking.lon)
            tail.free = max(tail.free, free)
            out.tails[technicianId] = tail
            out.bookings.insert(booking.id ?? -1)
        }
        return out
    }
}
