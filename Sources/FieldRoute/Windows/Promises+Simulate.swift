import ArrivalWindows
import FieldStore
import Foundation
import Geofencing
import RouteSolver

/// What a simulated day did.
public struct SimulationSummary: Sendable, Codable, Equatable {
    public var day: String
    public var seed: UInt64
    public var visits: Int
    public var pings: Int
    /// Visits the geofence saw arrive and complete.
    public var arrived: Int
    public var completed: Int
    /// Told windows that moved during the day ("running late"/"running early").
    public var windowChanges: Int
    /// Median minutes the true service start fell after the plan's start (negative: earlier).
    public var medianDelayMinutes: Double
    /// Minutes technicians spent waiting for a promised window to open (beyond waiting for the job's
    /// own window), summed over the day: what keeping promises from the early side costs.
    public var promiseWaitMinutes: Double
}

extension Promises {
    /// Replays a planned day with stochastic travel and service times (``SimulationWorld``): writes its
    /// GPS pings through the normal ingest (so geofence events, arrivals, live windows, window changes
    /// and messages happen as they would) and the true service start of every visit.
    public func simulate(day: String, region: String? = nil, seed: UInt64 = 1, world: SimulationWorld = SimulationWorld(),
                         progress: ((Int, Int) -> Void)? = nil) throws(FieldRouteError) -> SimulationSummary {
        let sim = try simulatedDay(day: day, region: region, seed: seed, world: world)
        let ingest = try Tracker(store: store).ingestPings(data: sim.pings, name: "simulated-\(day)-\(seed).csv", progress: progress)
        let changes: Int
        do {
            changes = try store.write { db in
                try db.setActualStarts(sim.truth.map { (stopId: $0.0, start: $0.1) })
                return try db.windowChangeCount(day: day)
            }
        } catch { throw FieldRouteError(wrapping: error) }
        return SimulationSummary(day: day, seed: seed, visits: sim.truth.count, pings: sim.count, arrived: ingest.arrived,
                                 completed: ingest.completed, windowChanges: changes,
                                 medianDelayMinutes: (quantile(sim.delays, 0.5) * 10).rounded() / 10,
                                 promiseWaitMinutes: (sim.promiseWait * 10).rounded() / 10)
    }

    /// The GPS pings of a simulated day as `pings ingest` reads them (CSV), without storing anything:
    /// for feeding another process, or a test.
    public func simulatedPings(day: String, region: String? = nil, seed: UInt64 = 1,
                               world: SimulationWorld = SimulationWorld()) throws(FieldRouteError) -> Data {
        try simulatedDay(day: day, region: region, seed: seed, world: world).pings
    }

    /// The true day: pings (CSV), the true service start of each stop (by stop id), and each visit's
    /// delay against the plan in minutes.
    private func simulatedDay(day: String, region: String?, seed: UInt64, world: SimulationWorld) throws(FieldRouteError)
        -> (pings: Data, count: Int, truth: [(Int64, Int64)], delays: [Double], promiseWait: Double) {
        struct Visit { var stopId: Int64; var site: (Double, Double); var opens: Int64; var promised: Int64; var service: Int64
                       var planned: Int64 }
        struct Day { var tech: String; var home: (Double, Double); var start: Int64; var breakAt: Int64?; var breakEarliest: Int64?
                     var breakLength: Int64; var visits: [Visit] }
        let (days, travel, clock): ([Day], TravelSource, RegionClock)
        do {
            (days, travel, clock) = try store.snapshot { db in
                let r = try Engine.region(named: region, db)
                guard let plan = try db.plan(regionId: r.id ?? 0, day: day) else {
                    throw FieldRouteError.badInput("no plan for \(day): run 'fieldroute plan --date \(day)' first")
                }
                var out: [Day] = []
                for planned in try db.plannedRoutes(planId: plan.id ?? 0, day: day) {
                    let (route, tech, shift) = (planned.route, planned.technician, planned.shift)
                    var visits: [Visit] = []
                    for (stop, b) in planned.stops {
                        let opens = Self.windowOpening(b, plannedStart: stop.plannedStart)
                        visits.append(Visit(stopId: stop.id ?? 0, site: (b.lat, b.lon), opens: opens, promised: stop.promisedStart ?? 0,
                                            service: b.serviceDuration, planned: stop.plannedStart))
                    }
                    out.append(Day(tech: tech.externalId, home: (tech.startLat, tech.startLon), start: route.departure ?? shift.start, breakAt: route.breakStart,
                                   breakEarliest: shift.breakEarliest, breakLength: shift.breakLength, visits: visits))
                }
                return (out, try Engine.travelSource(for: r, db), try RegionClock(timeZone: r.timeZone))
            }
        } catch { throw FieldRouteError(wrapping: error) }

        var rng = SeededGenerator(seed: seed)
        func logNormal(_ sigma: Double) -> Double { logNormalMultiplier(sigma, using: &rng) }
        var csv = "technician,timestamp,lat,lon,accuracy\n"
        var truth: [(Int64, Int64)] = [], delays: [Double] = [], pings = 0, promiseWait = 0.0
        for d in days {
            // The true day: (from, to, depart, arrive, leave) per leg.
            var legs: [((Double, Double), (Double, Double), Int64, Int64, Int64)] = []
            let dayFactor = logNormal(world.daySigma)
            var t = d.start, at = d.home, breakTaken = d.breakAt == nil
            // Drawn only in a world that has them, so the model's own world replays as before.
            if world.startOffsetMeanMinutes != 0 || world.startOffsetSigmaMinutes > 0 {
                let minutes = world.startOffsetMeanMinutes + world.startOffsetSigmaMinutes * standardNormal(using: &rng)
                t += Int64((minutes * 60).rounded())
            }
            for v in d.visits {
                if !breakTaken, let b = d.breakAt, b <= v.planned {
                    t = max(t, d.breakEarliest ?? t) + d.breakLength
                    breakTaken = true
                }
                var drive = travel.leg(from: at, to: v.site).seconds * dayFactor * logNormal(world.travelSigma)
                if rng.unit() < world.slowLegShare { drive *= world.slowLegFactor }
                if let rush = world.travelFactorByHour[clock.minuteOfDay(t) / 60] { drive *= rush }
                let arrive = t + Int64(drive.rounded())
                // An early technician waits for the job's window and for the window promised.
                let start = max(arrive, v.opens, v.promised)
                promiseWait += Double(start - max(arrive, v.opens)) / 60
                var service = Double(v.service) * logNormal(world.serviceSigma)
                if rng.unit() < world.overrunShare { service *= world.overrunFactor }
                let leave = start + Int64(service.rounded())
                legs.append((at, v.site, t, arrive, leave))
                truth.append((v.stopId, start))
                delays.append(Double(start - v.planned) / 60)
                t = leave; at = v.site
            }
            let home = t + Int64(travel.leg(from: at, to: d.home).seconds.rounded())
            legs.append((at, d.home, t, home, home))
            // Fixes along the true day.
            var now = d.start, gapUntil: Int64 = 0
            var leg = 0
            while now <= home {
                while leg < legs.count - 1, now > legs[leg].4 { leg += 1 }
                let (from, to, depart, arrive, _) = legs[leg]
                var lat = to.0, lon = to.1
                if now < arrive, arrive > depart {
                    let f = max(0, Double(now - depart) / Double(arrive - depart))
                    lat = from.0 + (to.0 - from.0) * f; lon = from.1 + (to.1 - from.1) * f
                }
                if now >= gapUntil {
                    if rng.unit() < world.gapChance { gapUntil = now + world.shortestGap + Int64(rng.below(Int(world.longestGap - world.shortestGap) + 1)) }
                    else {
                        lat += standardNormal(using: &rng) * world.gpsNoise / metresPerDegree
                        lon += standardNormal(using: &rng) * world.gpsNoise / (metresPerDegree * cos(lat * .pi / 180))
                        csv += "\(d.tech),\(now),\(String(format: "%.6f", lat)),\(String(format: "%.6f", lon)),\(Int(world.gpsNoise * 1.5))\n"
                        pings += 1
                    }
                }
                now += world.minInterval + Int64(rng.below(Int(world.maxInterval - world.minInterval) + 1))
            }
        }
        return (Data(csv.utf8), pings, truth, delays, promiseWait)
    }
}
