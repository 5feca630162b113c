import ArrivalWindows
import FieldStore
import Foundation
import GRDB
import RouteSolver

extension Engine {
    /// Pings of a day driven exactly as planned: each technician leaves home at the shift start,
    /// drives in a straight line to each stop (arriving at the planned time), stays until the planned
    /// end, and drives home; one fix every `interval` seconds with Gaussian noise of `noise` metres.
    /// CSV as `pings ingest` reads it. (The stochastic day, with late legs and overruns, is `simulate`.)
    public func replayPings(day: String, region: String? = nil, seed: UInt64 = 1, interval: Int64 = 10,
                            noise: Double = 6) throws(FieldRouteError) -> Data {
        struct Leg { var from: (Double, Double); var to: (Double, Double); var depart: Int64; var arrive: Int64; var leave: Int64 }
        let plan: [(String, [Leg])]
        do {
            plan = try store.snapshot { db in
                let regionRecord = try Self.region(named: region, db)
                guard let planRecord = try PlanRecord.filter(Column("regionId") == regionRecord.id && Column("day") == day).fetchOne(db) else {
                    throw FieldRouteError.badInput("no plan for \(day): run 'fieldroute plan --date \(day)' first")
                }
                var out: [(String, [Leg])] = []
                for route in try RouteRecord.filter(Column("planId") == planRecord.id).order(Column("technicianId")).fetchAll(db) {
                    guard let tech = try TechnicianRecord.fetchOne(db, key: route.technicianId),
                          let shift = try ShiftRecord.filter(Column("technicianId") == tech.id && Column("day") == day).fetchOne(db)
                    else { continue }
                    let stops = try StopRecord.filter(Column("routeId") == route.id).order(Column("sequence")).fetchAll(db)
                    var legs: [Leg] = [], at = (tech.startLat, tech.startLon), free = shift.start
                    for stop in stops {
                        guard let booking = try BookingRecord.fetchOne(db, key: stop.bookingId) else { continue }
                        let travel = stop.plannedArrival - free
                        // Leave as late as the plan allows: arrive exactly at the planned arrival.
                        legs.append(Leg(from: at, to: (booking.lat, booking.lon), depart: stop.plannedArrival - max(0, travel),
                                        arrive: stop.plannedArrival, leave: stop.plannedEnd))
                        at = (booking.lat, booking.lon)
                        free = stop.plannedEnd
                    }
                    let home = (tech.endLat, tech.endLon)
                    let back = Int64(TravelTimeModel().leg(from: at, to: home).seconds.rounded())
                    legs.append(Leg(from: at, to: home, depart: free, arrive: free + back, leave: free + back))
                    out.append((tech.externalId, legs))
                }
                return out
            }
        } catch { throw FieldRouteError(wrapping: error) }

        var rng = SeededGenerator(seed: seed)
        func gaussian() -> Double { standardNormal(using: &rng) }
        var csv = "technician,timestamp,lat,lon,accuracy\n"
        for (tech, legs) in plan {
            guard let first = legs.first else { continue }
            var t = first.depart
            for leg in legs {
                while t <= leg.leave {
                    var lat = leg.to.0, lon = leg.to.1
                    if t < leg.arrive, leg.arrive > leg.depart {
                        let f = max(0, Double(t - leg.depart) / Double(leg.arrive - leg.depart))
                        lat = leg.from.0 + (leg.to.0 - leg.from.0) * f
                        lon = leg.from.1 + (leg.to.1 - leg.from.1) * f
                    }
                    lat += gaussian() * noise / 111_195
                    lon += gaussian() * noise / (111_195 * cos(lat * .pi / 180))
                    csv += "\(tech),\(t),\(String(format: "%.6f", lat)),\(String(format: "%.6f", lon)),\(Int(noise * 1.5))\n"
                    t += interval
                }
            }
        }
        return Data(csv.utf8)
    }
}
