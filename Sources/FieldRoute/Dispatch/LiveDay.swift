import FieldStore
import Foundation
import RouteSolver

/// A planned day as it stands at `now`. Per technician: the stops already driven (frozen: arrived,
/// completed, no-show, en route, or — without tracking — planned to have started by now), the stops
/// still to come (open), and where and when the technician can go on. Dispatch operations edit only
/// the open part; the frozen part never moves.
struct LiveDay {
    struct Stop {
        var booking: BookingRecord
        var record: StopRecord
    }

    struct Technician {
        var record: TechnicianRecord
        var shift: ShiftRecord
        var routeId: Int64?
        var frozen: [Stop]
        var open: [Stop]
        /// When the technician can leave for the first open stop, and from where.
        var free: Int64
        var at: (lat: Double, lon: Double)
        /// The lunch break still to take today, if any (not yet begun by `now`).
        var pendingBreak: BreakRule?
    }

    var region: RegionRecord
    var planId: Int64
    var day: String
    var now: Int64
    var technicians: [Technician]
    var travel: TravelSource
    var clock: RegionClock

    static func load(_ db: StoreTransaction, region name: String?, day: String, now: Int64) throws -> LiveDay {
        try build(try DayRecords.read(db, region: name, day: day), now: now, db)
    }

    /// The day `records` hold as it stands at `now`; the latest pings up to `now` are read from `db`.
    static func build(_ records: DayRecords, now: Int64, _ db: StoreTransaction) throws -> LiveDay {
        let routeOf = Dictionary(uniqueKeysWithValues: records.routes.map { ($0.technicianId, $0) })
        let latestPing = try db.latestPings(from: records.clock.startOfDay(records.day) ?? 0, to: now)
        var technicians: [Technician] = []
        for tech in records.technicians {
            guard let id = tech.id, let shift = records.shifts[id]?.first else { continue }
            var frozen: [Stop] = [], open: [Stop] = []
            for record in routeOf[id].flatMap({ records.stopsByRoute[$0.id ?? -1] }) ?? [] {
                guard let booking = records.bookings[record.bookingId] else { continue }
                switch booking.status {
                case .cancelled, .rescheduled: continue  // no longer a visit
                case .arrived, .completed, .noShow, .enRoute: frozen.append(Stop(booking: booking, record: record))
                default:
                    if record.actualArrival != nil || record.plannedStart <= now { frozen.append(Stop(booking: booking, record: record)) }
                    else { open.append(Stop(booking: booking, record: record)) }
                }
            }
            var at = (lat: tech.startLat, lon: tech.startLon), free = max(shift.start, now)
            if let last = frozen.last {
                at = (last.booking.lat, last.booking.lon)
                let service = last.booking.serviceDuration
                let end = last.record.actualDeparture ?? ((last.record.actualArrival ?? last.record.plannedStart) + service)
                free = max(now, end)
            }
            // A fix newer than the last departure tells where the technician really is.
            let departed = frozen.last.map { $0.record.actualDeparture != nil || $0.booking.status == .completed } ?? true
            if departed, let ping = latestPing[id], ping.timestamp >= (frozen.last?.record.actualDeparture ?? shift.start) {
                at = (ping.lat, ping.lon)
                free = max(free, ping.timestamp)
            }
            var pending: BreakRule?
            if shift.breakLength > 0, let earliest = shift.breakEarliest, let latest = shift.breakLatest,
               (routeOf[id]?.breakStart).map({ $0 > now }) ?? true, latest >= free {
                pending = BreakRule(earliest: earliest, latest: latest, length: shift.breakLength)
            }
            technicians.append(Technician(record: tech, shift: shift, routeId: routeOf[id]?.id, frozen: frozen, open: open,
                                          free: free, at: at, pendingBreak: pending))
        }
        guard !technicians.isEmpty else { throw FieldRouteError.badInput("no technician has a shift on \(records.day)") }
        return LiveDay(region: records.region, planId: records.planId, day: records.day, now: now, technicians: technicians,
                       travel: records.travel, clock: records.clock)
    }

    /// The rest of the day as a routing problem. Vehicle `k` is `technicians[k]`, leaving `at` no
    /// earlier than `free`; jobs are every open stop (in route order) and then `extra`. Windows told to
    /// customers are hard unless `mayBreakPromises`, or the visit is among `releasing` (its technician
    /// is gone: it may move inside its allowed windows, and its customer is told).
    ///
    /// Shifts end when they end: each operation checks a pending break exactly where it places a visit
    /// (``Checker/placeBreak(_:vehicle:jobs:shiftEnd:)``). Only for a search (`reservingBreaks`), which
    /// does not see breaks, a shift is shortened by the break still to take, as in the nightly plan;
    /// `pinningOpen` keeps each open visit on its route and makes it required. `travel`: the matrix of
    /// an earlier problem of this day with the same jobs (a search reuses the call's own).
    ///
    /// `around`: the call only puts the extra jobs, or these bookings, somewhere (or takes them out):
    /// the travel matrix then holds the routes' own arcs, each technician's way home, and every arc
    /// touching those visits — O(visits) arcs instead of all pairs. Nil: every pair (a search).
    func problem(extra: [BookingRecord] = [], mayBreakPromises: Bool, releasing: Set<Int64> = [],
                 reservingBreaks: Bool = false, pinningOpen: Bool = false, around: Set<Int64>? = nil,
                 travel known: TravelMatrix? = nil) throws -> LiveProblem {
        var points: [(lat: Double, lon: Double)] = [], names: [String] = []
        var skills = SkillBits(region: region.name)
        var vehicles: [Vehicle] = []
        for t in technicians {
            let start = Int32(points.count)
            points.append(t.at); points.append((t.record.endLat, t.record.endLon))
            names.append("technician \(t.record.externalId)'s position"); names.append("technician \(t.record.externalId)'s end")
            let end = t.shift.end - (reservingBreaks ? t.pendingBreak?.length ?? 0 : 0)
            vehicles.append(Vehicle(start: start, end: start + 1, shift: RouteSolver.TimeWindow(min(t.free, end), end),
                                    skills: try skills.set(t.record.skills)))
        }
        var bookings: [BookingRecord] = [], promised: [Int64: StopRecord] = [:], routes: [Solution.Route] = []
        for (k, t) in technicians.enumerated() {
            var sequence: [Int32] = []
            for stop in t.open {
                sequence.append(Int32(bookings.count))
                bookings.append(stop.booking)
                promised[stop.booking.id ?? 0] = stop.record
            }
            routes.append(Solution.Route(vehicle: Int32(k), jobs: sequence))
        }
        bookings += extra
        let vehicleOf = Dictionary(uniqueKeysWithValues: technicians.enumerated().map { ($1.record.id ?? -1, Int32($0)) })
        var jobs: [Job] = []
        for b in bookings {
            let location = Int32(points.count)
            points.append((b.lat, b.lon)); names.append("booking \(b.externalId)")
            var windows = b.timeWindows.map { RouteSolver.TimeWindow($0.start, $0.end) }
            if !mayBreakPromises, !releasing.contains(b.id ?? 0), let stop = promised[b.id ?? 0], let s = stop.promisedStart,
               let e = stop.promisedEnd {
                let cut = windows.compactMap { w -> RouteSolver.TimeWindow? in
                    let a = max(w.start, s), z = min(w.end, e)
                    return a <= z ? RouteSolver.TimeWindow(a, z) : nil
                }
                windows = cut.isEmpty ? [RouteSolver.TimeWindow(s, e)] : cut
            }
            var jobSkills = try skills.set(b.requiredSkills)
            var pinned: Int32? = pinningOpen ? routes.first { $0.jobs.contains(Int32(jobs.count)) }?.vehicle : nil
            if pinned == nil, let techId = b.pinnedTechnicianId {
                if let v = vehicleOf[techId] { pinned = v } else { jobSkills.bits = .max }
            }
            jobs.append(Job(location: location, service: b.serviceDuration, windows: windows, skills: jobSkills,
                            unassignedPenalty: pinningOpen && promised[b.id ?? 0] != nil ? nil : DayProblem.penalty(priority: b.priority),
                            pinnedVehicle: pinned))
        }
        if let known, known.count != points.count {
            throw FieldRouteError.internalFailure("a reused travel matrix has \(known.count) points, the live problem \(points.count)")
        }
        let matrix = try known ?? travel.matrix(points: points, names: names, only: around.map { arcs(around: $0, bookings: bookings, routes: routes) })
        let problem: RoutingProblem
        do { problem = try RoutingProblem(jobs: jobs, vehicles: vehicles, travel: matrix, objective: .duration) }
        catch { throw FieldRouteError.problem(error) }
        return LiveProblem(problem: problem, bookings: bookings, current: Solution(routes: routes), stops: promised)
    }

    /// The arcs a call that places or removes `around` (and the extra jobs) reads, as matrix
    /// locations: vehicle `k` sits at 2k (where it is) and 2k + 1 (its end), job `j` at 2 × vehicles + j.
    private func arcs(around: Set<Int64>, bookings: [BookingRecord], routes: [Solution.Route]) -> (rows: [Int], pairs: [(Int, Int)]) {
        let base = 2 * technicians.count
        var rows: [Int] = [], pairs: [(Int, Int)] = []
        let open = Set(routes.flatMap(\.jobs))
        for (j, b) in bookings.enumerated() where around.contains(b.id ?? -1) || !open.contains(Int32(j)) { rows.append(base + j) }
        for route in routes {
            let k = Int(route.vehicle)
            var sites = [2 * k] + route.jobs.map { base + Int($0) } + [2 * k + 1]
            pairs.append((2 * k, 2 * k + 1))
            for (a, b) in zip(sites, sites.dropFirst()) { pairs.append((a, b)) }
            // Taking a visit out joins its neighbours.
            sites.removeAll { $0 >= base && around.contains(bookings[$0 - base].id ?? -1) }
            for (a, b) in zip(sites, sites.dropFirst()) { pairs.append((a, b)) }
        }
        return (rows, pairs)
    }

    /// "HH:MM" in the region's time zone.
    func time(_ t: Int64) -> String { clock.clockTime(t) }

    func window(_ start: Int64?, _ end: Int64?) -> String? {
        guard let start, let end else { return nil }
        return "\(time(start))-\(time(end))"
    }
}

/// The open part of a live day as a routing problem, with its current solution.
struct LiveProblem {
    var problem: RoutingProblem
    /// Job `j` is `bookings[j]`.
    var bookings: [BookingRecord]
    var current: Solution
    /// The stored stop of each open booking, by booking id (its promise, its planned times).
    var stops: [Int64: StopRecord]

    func job(of bookingId: Int64?) -> Int32? {
        bookings.firstIndex { $0.id == bookingId }.map(Int32.init)
    }

    func jobs(of vehicle: Int) -> [Int32] {
        current.routes.first { $0.vehicle == Int32(vehicle) }?.jobs ?? []
    }
}
