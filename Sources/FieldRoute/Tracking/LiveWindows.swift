import ArrivalWindows
import FieldStore
import Foundation
import Geofencing
import RouteSolver

/// Keeps one technician's windows honest while their pings arrive. At the first fix of the day, after
/// each visit ends, and every five minutes of fixes, it re-estimates the rest of the route from where
/// the technician is (on site for so long, or so far along a leg) and stores each stop's estimate.
/// A window already told never moves silently: when the median estimate leaves it by more than five
/// minutes while the technician is under way, a `windowChange`
/// (old, new, "running late"/"running early") is recorded, the customer is sent the new window, and
/// the new window becomes the promise — so a late technician causes one change per stop per change,
/// not one per fix. Estimates at the four horizons (start of day, an hour before, en route; the night
/// before is the plan's) are kept once each for `report windows`.
struct LiveWindowTracker {
    static let refreshEvery: Int64 = 300
    /// How far outside a told window the median estimate may stray before the window is changed.
    static let changeTolerance: Int64 = 300

    let technicianId: Int64
    private var routeCache: [String: Route?] = [:]
    private var clock: RegionClock?
    /// The local day of the last fix and its bounds, so most fixes need no calendar arithmetic.
    private var currentDay: (day: String, start: Int64, end: Int64)?
    /// The route of `currentDay` (nil inside: that day has no route for this technician).
    private var currentRoute: Route??

    struct Stop { var booking: BookingRecord; var record: StopRecord }
    struct Route {
        var technician: TechnicianRecord
        var shift: ShiftRecord?
        /// When the technician plans to leave home (the shift start, pushed late).
        var departure: Int64?
        /// The planned lunch break, if any.
        var lunch: (start: Int64, end: Int64)?
        var stops: [Stop]
        var travel: TravelSource
        var model: UncertaintyModel
        var settings: UncertaintySettings
        var clock: RegionClock
        /// The region's site fence radius, for visits without their own.
        var siteRadius: Double
    }

    init(technicianId: Int64) { self.technicianId = technicianId }

    /// As many samples as the plan (1 600 at most): live windows are compared with the night before's,
    /// so they are cut from distributions as precise.
    static func liveModel(_ model: UncertaintyModel) -> UncertaintyModel {
        var m = model
        m.samples = min(m.samples, 1_600)
        return m
    }

    /// Called after each accepted ping and its events, inside the ingest transaction; `previous` and
    /// `previousPosition` are the technician's accepted fix before it (kept in the detector's stored
    /// state). Estimates are refreshed when a visit ends (seen, or inferred done across a gap in the
    /// fixes: ``VisitInference``) and on the first fix of each 5-minute slot of the clock: a function
    /// of the pings, not of how a file was cut into batches or runs. Returns the visits inferred done.
    mutating func observe(_ ping: Ping, previous: Int64?, at previousPosition: GeoPoint?, events: [FenceEvent],
                          _ db: StoreTransaction) throws -> Int {
        // Most fixes fall in the day of the previous one: no lookups then.
        let route: Route?
        if let d = currentDay, ping.timestamp >= d.start, ping.timestamp < d.end, let known = currentRoute {
            route = known
        } else {
            route = try self.route(day: try dayKey(ping.timestamp, db), db)
            currentRoute = .some(route)
        }
        guard let route, !route.stops.isEmpty else { return 0 }
        var inferred: [Int64] = []
        if let previous, let previousPosition, ping.timestamp - previous >= VisitInference.shortestGap {
            let bookings = Dictionary(uniqueKeysWithValues: try db.bookings(ids: route.stops.compactMap(\.booking.id)).map { ($0.id ?? 0, $0) })
            let sites = route.stops.compactMap { s in
                bookings[s.booking.id ?? 0].map { VisitInference.Site(booking: $0, radius: $0.siteRadius ?? route.siteRadius) }
            }
            inferred = try VisitInference.acrossGap(from: (previous, previousPosition), to: (ping.timestamp, ping.position),
                                                    sites: sites, clock: route.clock, db)
        }
        let visitEnded = !inferred.isEmpty || events.contains { $0.kind == .exit }
        let slot = { (t: Int64) in t >= 0 ? t / Self.refreshEvery : (t + 1) / Self.refreshEvery - 1 }
        let due = previous.map { slot($0) != slot(ping.timestamp) } ?? true
        guard visitEnded || due else { return inferred.count }
        try refresh(route: route, at: ping, db)
        return inferred.count
    }

    private mutating func dayKey(_ t: Int64, _ db: StoreTransaction) throws -> String {
        if let d = currentDay, t >= d.start, t < d.end { return d.day }
        if clock == nil, let tech = try db.technician(id: technicianId),
           let region = try db.region(id: tech.regionId) {
            clock = try RegionClock(timeZone: region.timeZone)
        }
        guard let clock else { return "" }
        let day = clock.day(of: t)
        if let start = clock.startOfDay(day), let next = clock.day(day, plus: 1), let end = clock.startOfDay(next) {
            currentDay = (day, start, end)
        }
        return day
    }

    private mutating func route(day: String, _ db: StoreTransaction) throws -> Route? {
        if let cached = routeCache[day] { return cached }  // a cached "no route" is .some(nil)
        var result: Route?
        if let tech = try db.technician(id: technicianId), let region = try db.region(id: tech.regionId),
           let plan = try db.plan(regionId: region.id ?? 0, day: day),
           let route = try db.route(planId: plan.id ?? 0, technicianId: technicianId) {
            let records = try db.stops(routeId: route.id ?? 0)
            var stops: [Stop] = []
            for r in records { if let b = try db.booking(id: r.bookingId) { stops.append(Stop(booking: b, record: r)) } }
            let lunch = route.breakStart.flatMap { s in route.breakEnd.map { (start: s, end: $0) } }
            result = Route(technician: tech,
                           shift: try db.shift(technicianId: technicianId, day: day), departure: route.departure,
                           lunch: lunch, stops: stops, travel: try Engine.travelSource(for: region, db),
                           model: Self.liveModel(try Engine.setting(UncertaintySettings.self, regionId: region.id ?? 0, db).model),
                           settings: try Engine.setting(UncertaintySettings.self, regionId: region.id ?? 0, db),
                           clock: try RegionClock(timeZone: region.timeZone),
                           siteRadius: try Engine.setting(TrackingSettings.self, regionId: region.id ?? 0, db).siteRadius)
        }
        routeCache[day] = .some(result)
        return result
    }

    private func refresh(route: Route, at ping: Ping, _ db: StoreTransaction) throws {
        let now = ping.timestamp
        // Re-read statuses (the geofence may have just moved them): two queries for the route.
        let bookings = Dictionary(uniqueKeysWithValues: try db.bookings(ids: route.stops.compactMap(\.booking.id)).map { ($0.id ?? 0, $0) })
        let records = Dictionary(uniqueKeysWithValues: try db.stops(ids: route.stops.compactMap(\.record.id)).map { ($0.id ?? 0, $0) })
        var stops: [Stop] = []
        for s in route.stops {
            guard let b = bookings[s.booking.id ?? 0], let r = records[s.record.id ?? 0] else { continue }
            stops.append(Stop(booking: b, record: r))
        }
        let finished: Set<BookingStatus> = [.completed, .noShow, .cancelled, .rescheduled]
        guard let current = stops.firstIndex(where: { !finished.contains($0.booking.status) }) else { return }
        let home = (lat: route.technician.startLat, lon: route.technician.startLon)
        let site = { (k: Int) in (lat: stops[k].booking.lat, lon: stops[k].booking.lon) }
        let progress: LiveProgress, remaining: Range<Int>, enRouteTo: Int?
        if stops[current].booking.status == .arrived {
            // Service begins when the allowed and the promised windows open, not on arrival: an early
            // technician waits.
            let b = stops[current].booking, arrival = stops[current].record.actualArrival ?? now
            let begins = Promises.serviceStart(actualStart: nil, arrival: arrival, windows: b.timeWindows,
                                               plannedStart: stops[current].record.plannedStart,
                                               promisedStart: stops[current].record.promisedStart) ?? arrival
            progress = .onSite(since: begins, service: b.serviceDuration, sigma: route.settings.serviceSigma(for: b.requiredSkills))
            remaining = (current + 1)..<stops.count
            enRouteTo = nil
        } else {
            let from = current > 0 ? site(current - 1) : home
            let to = site(current)
            let hourly = route.settings.travelFactor(leaving: now, clock: route.clock)
            let leg = Int64((route.travel.leg(from: from, to: to).seconds * hourly).rounded())
            let shiftStart = route.departure ?? route.shift?.start ?? now
            let done = haversineMetres(lat1: from.lat, lon1: from.lon, lat2: ping.position.lat, lon2: ping.position.lon)
            let left = haversineMetres(lat1: ping.position.lat, lon1: ping.position.lon, lat2: to.lat, lon2: to.lon)
            // Gone from the previous visit: seen leaving, or it is done (inferred, or told by an outcome).
            let moved = current > 0
                ? stops[current - 1].record.actualDeparture != nil || stops[current - 1].booking.status == .completed
                : (now > shiftStart && done > 100)
            if moved {
                progress = .driving(leg: leg, fractionDone: done + left > 0 ? done / (done + left) : 0)
                enRouteTo = current
            } else {
                progress = .notStarted(departure: current > 0 ? max(now, stops[current - 1].record.plannedEnd) : max(now, shiftStart))
                enRouteTo = nil
            }
            remaining = current..<stops.count
        }
        guard !remaining.isEmpty else { return }
        var legStops: [RouteStop] = []
        for k in remaining {
            let from = k > 0 ? site(k - 1) : home
            let b = stops[k].booking
            // An early technician waits for the job's window and for the promised one.
            let opens = max(Promises.windowOpening(b, plannedStart: stops[k].record.plannedStart), stops[k].record.promisedStart ?? 0)
            let leaves = k > 0 ? stops[k - 1].record.plannedEnd : (route.departure ?? route.shift?.start ?? now)
            let drive = route.travel.leg(from: from, to: site(k)).seconds * route.settings.travelFactor(leaving: leaves, clock: route.clock)
            legStops.append(RouteStop(travel: Int64(drive.rounded()), service: b.serviceDuration,
                                      earliestStart: opens, serviceSigma: route.settings.serviceSigma(for: b.requiredSkills)))
        }
        // A lunch break still to come delays the visits after it, as in the plan: taken as soon as the
        // break window opens (a technician ahead of the plan eats earlier), so the visit after it
        // cannot start before the window opens plus the break plus the drive.
        if let lunch = route.lunch, now < lunch.start,
           let k = remaining.firstIndex(where: { stops[$0].record.plannedStart >= lunch.end }) {
            let i = k - remaining.lowerBound, length = lunch.end - lunch.start
            let opens = route.shift?.breakEarliest ?? lunch.start
            if i > 0 { legStops[i - 1].service += length }
            legStops[i].earliestStart = max(legStops[i].earliestStart, max(opens, i == 0 ? now : opens) + length + legStops[i].travel)
        }
        var rng = SeededGenerator(seed: UInt64(bitPattern: now) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(technicianId))
        let starts: [ArrivalDistribution]
        do { starts = try route.model.remainingStarts(now: now, progress: progress, stops: legStops, using: &rng) } catch { return }
        // Windows more than an hour out share the route's coverage (as the plan's do).
        let routeWindows = ArrivalDistribution.promisedWindows(starts, policy: Horizon.startOfDay.policy)
        for (i, (k, distribution)) in zip(remaining, starts).enumerated() {
            var stop = stops[k].record
            let booking = stops[k].booking
            let median = distribution.quantile(0.5)
            let horizon: Horizon = k == enRouteTo ? .enRoute : median - now <= 3_600 ? .hourBefore : .startOfDay
            let window = horizon == .startOfDay ? routeWindows[i] : distribution.promisedWindow(policy: horizon.policy)
            // Keep the first estimate at each horizon (the start of the day is the first fix's).
            let startOfDay = routeWindows[i]
            try db.keepFirstEstimate(bookingId: booking.id ?? 0, horizon: Horizon.startOfDay.rawValue, start: startOfDay.start,
                                     end: startOfDay.end, at: now)
            if horizon != .startOfDay {
                try db.keepFirstEstimate(bookingId: booking.id ?? 0, horizon: horizon.rawValue, start: window.start, end: window.end, at: now)
            }
            stop.estimateStart = window.start; stop.estimateEnd = window.end
            // Tell only a real change: the technician is under way (at home the estimate just slides
            // with the clock) and the median is more than the tolerance outside the told window.
            let underWay: Bool = if case .notStarted = progress { false } else { true }
            if underWay, let s = stop.promisedStart, let e = stop.promisedEnd,
               median < s - Self.changeTolerance || median > e + Self.changeTolerance {
                let reason = median > e ? "running late" : "running early"
                let text = "\(route.clock.clockTime(window.start))–\(route.clock.clockTime(window.end))"
                let old = "\(route.clock.clockTime(s))–\(route.clock.clockTime(e))"
                try Outbox.tellWindowChange(booking, from: (s, e), to: (window.start, window.end), reason: reason,
                                            body: "Your technician is \(reason): the new arrival window is \(text) (was \(old)).", at: now, db)
                stop.promisedStart = window.start; stop.promisedEnd = window.end
            }
            try db.update(stop)
        }
    }
}
