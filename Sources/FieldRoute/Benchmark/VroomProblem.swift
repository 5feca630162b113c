import Foundation
import RouteSolver

/// A VROOM problem (https://github.com/VROOM-Project/vroom/blob/master/docs/API.md) as the solver
/// sees it, with what the answer must echo. Only what FieldRoute can honour is read; any other key
/// is refused with its path (README, "VROOM JSON", lists the keys). Travel comes from `matrices`
/// (one profile; `durations`, optionally `distances`) indexed by `location_index`, or from an OSRM
/// server when locations are coordinates (``VroomRouter``).
public struct VroomProblem: Sendable {
    public struct Vehicle: Sendable {
        public var id: Int64; public var description: String?; var start: Int?; var end: Int?
        /// Its breaks, and the end of its time window: the search sees the window shortened by the
        /// breaks, which are then placed on the way (``Checker/placeBreaksEnRoute(_:vehicle:jobs:shiftEnd:)``).
        var rests: [Rest]
        var shiftEnd: Int64
    }
    struct Rest: Sendable {
        var id: Int64; var description: String?; var windows: [RouteSolver.TimeWindow]; var length: Int64
        var rule: RestRule { RestRule(windows: windows, length: length) }
    }
    public struct Job: Sendable { public var id: Int64; public var description: String?; public var locationIndex: Int; public var priority: Int
                                  public var delivery: Int64 }

    public var problem: RoutingProblem
    public var vehicles: [Vehicle]
    public var jobs: [Job]
    /// Whether a capacity dimension was given (then `delivery`, `load` and `amount` are reported).
    public var hasCapacity: Bool
    /// The jobs' loads are pickups (they grow on the way), not deliveries; never both.
    public var pickups = false
    /// The matrix's own indices (`matrixCount` and up are the open ends the solver needs).
    public var matrixCount: Int
    var distances: [Int32]?
    /// `[lon, lat]` by matrix index, where the problem gave coordinates: echoed as `location`.
    var coordinates: [Int: [Double]] = [:]

    static let vehicleKeys: Set<String> = ["id", "description", "profile", "start_index", "end_index", "capacity", "skills", "time_window",
                                           "speed_factor", "max_tasks", "start", "end", "breaks", "costs"]
    static let jobKeys: Set<String> = ["id", "description", "location", "location_index", "service", "delivery", "amount", "pickup", "skills",
                                       "priority",
                                       "time_windows"]
    /// Largest time value read (seconds, relative or Unix): 2^40 ≈ 34 800 years.
    static let largestTime: Int64 = 1 << 40

    /// Reads VROOM input JSON; `file` names it in errors ("FILE: jobs[3].time_windows[0]: …").
    /// Locations given as coordinates take their matrices from `router`.
    public static func parse(_ data: Data, file: String, router: VroomRouter? = nil) throws(FieldRouteError) -> VroomProblem {
        func fail(_ path: String, _ reason: String) -> FieldRouteError {
            .badInput(FieldRouteError.oneLine("\(file): \(path.isEmpty ? "" : path + ": ")\(reason)"))
        }
        guard var root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("", "not a JSON object (VROOM input: vehicles, jobs, matrices)")
        }
        for key in root.keys.sorted() where !["vehicles", "jobs", "matrices", "matrix"].contains(key) {
            throw fail(key, key == "shipments" ? "shipments are not supported" : "not supported (keys: vehicles, jobs, matrices)")
        }
        // VROOM's older form: a top-level `matrix` of car durations.
        if let old = root["matrix"] {
            guard root["matrices"] == nil else { throw fail("matrix", "give matrices or the older matrix, not both") }
            root["matrices"] = ["car": ["durations": old]]
        }
        func int(_ value: Any?, _ path: String, _ range: ClosedRange<Int64>) throws(FieldRouteError) -> Int64 {
            guard let n = value as? NSNumber, !isJSONBoolean(value), n.doubleValue.rounded() == n.doubleValue,
                  n.doubleValue >= Double(range.lowerBound), n.doubleValue <= Double(range.upperBound) else {
                throw fail(path, "wants a whole number in \(range.lowerBound)…\(range.upperBound), got \(String(describing: value ?? "nothing").prefix(40))")
            }
            return n.int64Value
        }
        func ints(_ value: Any?, _ path: String, _ range: ClosedRange<Int64>) throws(FieldRouteError) -> [Int64] {
            guard let array = value as? [Any] else { throw fail(path, "wants an array of whole numbers") }
            var out: [Int64] = []
            for (k, v) in array.enumerated() { out.append(try int(v, "\(path)[\(k)]", range)) }
            return out
        }
        func object(_ value: Any, _ path: String, keys: Set<String>) throws(FieldRouteError) -> [String: Any] {
            guard let o = value as? [String: Any] else { throw fail(path, "wants an object") }
            if let unknown = o.keys.sorted().first(where: { !keys.contains($0) }) {
                let why = ["max_load", "steps", "setup", "shipments", "max_travel_time", "max_distance"]
                    .contains(unknown) ? "not supported by FieldRoute" : "unknown key (keys: \(keys.sorted().joined(separator: ", ")))"
                throw fail("\(path).\(unknown)", why)
            }
            return o
        }

        // Travel: one profile's matrices, given or asked from the router for coordinates.
        let coordinates: [Int: [Double]]
        (root, coordinates) = try locate(root, router: router, fail: fail)
        guard let matrices = root["matrices"] as? [String: Any], matrices.count == 1, let (profile, m) = matrices.first else {
            throw fail("matrices", "wants one profile's matrices, e.g. {\"car\": {\"durations\": [[0, 60], [60, 0]]}}, or coordinates and a routing server")
        }
        let matrix = try object(m, "matrices.\(profile)", keys: ["durations", "distances", "costs"])
        func square(_ key: String) throws(FieldRouteError) -> [Int32]? {
            guard let rows = matrix[key] else { return nil }
            guard let list = rows as? [Any], !list.isEmpty, list.count <= 20_000 else {
                throw fail("matrices.\(profile).\(key)", "wants 1 to 20000 rows")
            }
            var flat: [Int32] = []
            flat.reserveCapacity(list.count * list.count)
            for (i, row) in list.enumerated() {
                let values = try ints(row, "matrices.\(profile).\(key)[\(i)]", 0...Int64(Int32.max))
                guard values.count == list.count else { throw fail("matrices.\(profile).\(key)[\(i)]", "has \(values.count) entries, not \(list.count)") }
                flat += values.map { Int32($0) }
            }
            return flat
        }
        guard let durations = try square("durations") else { throw fail("matrices.\(profile).durations", "missing") }
        let n = Int((Double(durations.count)).squareRoot().rounded())
        let distances = try square("distances")
        if let distances, distances.count != durations.count { throw fail("matrices.\(profile).distances", "is not the size of durations") }
        // A costs matrix is what the search minimises (VROOM's custom costs); durations stay the clock.
        let costs = try square("costs")
        if let costs, costs.count != durations.count { throw fail("matrices.\(profile).costs", "is not the size of durations") }

        var skillBits: [Int64: UInt64] = [:]
        func skills(_ value: Any?, _ path: String) throws(FieldRouteError) -> SkillSet {
            guard let value else { return .none }
            var set = SkillSet()
            for s in try ints(value, path, 0...Int64(UInt32.max)) {
                if skillBits[s] == nil {
                    guard skillBits.count < 64 else { throw fail(path, "more than 64 distinct skills") }
                    skillBits[s] = 1 << UInt64(skillBits.count)
                }
                set.bits |= skillBits[s] ?? 0
            }
            return set
        }
        func window(_ value: Any?, _ path: String) throws(FieldRouteError) -> RouteSolver.TimeWindow {
            let w = try ints(value, path, 0...largestTime)
            guard w.count == 2, w[0] <= w[1] else { throw fail(path, "wants [start, end] with start ≤ end") }
            return RouteSolver.TimeWindow(w[0], w[1])
        }
        func index(_ value: Any?, _ path: String) throws(FieldRouteError) -> Int { Int(try int(value, path, 0...Int64(n - 1))) }
        // A vehicle's breaks, taken in the order of their first windows (at most 10: the placement
        // is a programme over jobs × breaks²).
        func breakRests(_ value: Any, _ path: String) throws(FieldRouteError) -> [Rest] {
            guard let list = value as? [Any], list.count <= 10 else { throw fail(path, "wants an array of at most 10 breaks") }
            var rests: [Rest] = []
            for (k, item) in list.enumerated() {
                let at = "\(path)[\(k)]"
                let b = try object(item, at, keys: ["id", "time_windows", "service", "description"])
                guard let times = b["time_windows"] as? [Any], (1...100).contains(times.count) else {
                    throw fail("\(at).time_windows", "wants 1 to 100 windows")
                }
                var windows: [RouteSolver.TimeWindow] = []
                for (w, time) in times.enumerated() { windows.append(try window(time, "\(at).time_windows[\(w)]")) }
                windows.sort { $0.start < $1.start }
                for (a, b) in zip(windows, windows.dropFirst()) where b.start <= a.end { throw fail("\(at).time_windows", "windows overlap") }
                let service = try b["service"].map { x throws(FieldRouteError) in try int(x, "\(at).service", 0...largestTime) } ?? 0
                let id = try int(b["id"], "\(at).id", 0...Int64.max)
                guard !rests.contains(where: { $0.id == id }) else { throw fail("\(at).id", "\(id) is used twice") }
                rests.append(Rest(id: id, description: b["description"] as? String, windows: windows, length: service))
            }
            return rests.sorted { ($0.windows.first?.start ?? 0, $0.id) < ($1.windows.first?.start ?? 0, $1.id) }
        }

        // Vehicles. An open start or end is an extra location, zero travel to and from everywhere.
        guard let vehicleList = root["vehicles"] as? [Any], !vehicleList.isEmpty, vehicleList.count <= 10_000 else {
            throw fail("vehicles", "wants 1 to 10000 vehicles")
        }
        var vehicles: [Vehicle] = [], solverVehicles: [RouteSolver.Vehicle] = [], capacities = false
        var speed: (factor: Double, path: String)?, maxTasks: [(vehicle: Int, tasks: Int64, path: String)] = []
        for (k, value) in vehicleList.enumerated() {
            let path = "vehicles[\(k)]"
            let v = try object(value, path, keys: vehicleKeys)
            if let p = v["profile"] as? String, p != profile { throw fail("\(path).profile", "is \(p); the matrices are for \(profile)") }
            // One matrix serves every vehicle: one speed factor for all (VROOM: (0, 5], two decimals).
            let factor: Double
            if let f = v["speed_factor"] {
                guard let x = (f as? NSNumber)?.doubleValue, !isJSONBoolean(f), x > 0, x <= 5 else {
                    throw fail("\(path).speed_factor", "wants a number in (0, 5]")
                }
                factor = (x * 100).rounded() / 100
            } else { factor = 1 }
            if let speed, speed.factor != factor {
                throw fail("\(path).speed_factor", "is \(factor), \(speed.path) \(speed.factor): FieldRoute needs one speed factor for every vehicle")
            }
            speed = speed ?? (factor, "\(path).speed_factor")
            if let m = v["max_tasks"] { maxTasks.append((k, try int(m, "\(path).max_tasks", 0...1_000_000), "\(path).max_tasks")) }
            let start = try v["start_index"].map { x throws(FieldRouteError) in try index(x, "\(path).start_index") }
            let end = try v["end_index"].map { x throws(FieldRouteError) in try index(x, "\(path).end_index") }
            guard start != nil || end != nil else { throw fail(path, "wants start_index or end_index") }
            var capacity = Int64.max
            if let c = v["capacity"] {
                let dims = try ints(c, "\(path).capacity", 0...Int64(1) << 50)
                guard dims.count == 1 else { throw fail("\(path).capacity", "only one capacity dimension is supported, got \(dims.count)") }
                capacity = dims[0]; capacities = true
            }
            let shift = try v["time_window"].map { x throws(FieldRouteError) in try window(x, "\(path).time_window") } ?? RouteSolver.TimeWindow(0, largestTime)
            let id = try int(v["id"], "\(path).id", 0...Int64.max)
            guard !vehicles.contains(where: { $0.id == id }) else { throw fail("\(path).id", "\(id) is used twice") }
            let rests = try v["breaks"].map { x throws(FieldRouteError) in try breakRests(x, "\(path).breaks") } ?? []
            // Vehicle costs: a fixed cost for using it; per_hour and per_km only at VROOM's defaults
            // (one objective serves every vehicle).
            var fixed: Int64 = 0
            if let c = v["costs"] {
                let o = try object(c, "\(path).costs", keys: ["fixed", "per_hour", "per_km"])
                fixed = try o["fixed"].map { x throws(FieldRouteError) in try int(x, "\(path).costs.fixed", 0...Int64(1) << 40) } ?? 0
                if let h = o["per_hour"], try int(h, "\(path).costs.per_hour", 0...Int64(1) << 40) != 3600 {
                    throw fail("\(path).costs.per_hour", "only 3600 (VROOM's default) is supported: one objective serves every vehicle")
                }
                if let k = o["per_km"], try int(k, "\(path).costs.per_km", 0...Int64(1) << 40) != 0 {
                    throw fail("\(path).costs.per_km", "only 0 (VROOM's default) is supported: give a costs matrix instead")
                }
            }
            vehicles.append(Vehicle(id: id, description: v["description"] as? String, start: start, end: end, rests: rests, shiftEnd: shift.end))
            let resting = rests.reduce(Int64(0)) { $0 + $1.length }
            let searched = RouteSolver.TimeWindow(shift.start, max(shift.start, shift.end - resting))
            solverVehicles.append(RouteSolver.Vehicle(start: Int32(start ?? n), end: Int32(end ?? n), shift: searched, capacity: capacity,
                                                      skills: try skills(v["skills"], "\(path).skills"), fixedCost: fixed))
        }

        // Jobs: a missed job costs more than any route (VROOM assigns as many as it can, by priority).
        guard let jobList = root["jobs"] as? [Any], jobList.count <= 100_000 else { throw fail("jobs", "wants an array of at most 100000 jobs") }
        var jobs: [Job] = [], solverJobs: [RouteSolver.Job] = [], loadKind: (pickup: Bool, path: String)?
        for (k, value) in jobList.enumerated() {
            let path = "jobs[\(k)]"
            let j = try object(value, path, keys: jobKeys)
            let id = try int(j["id"], "\(path).id", 0...Int64.max)
            let location = try index(j["location_index"], "\(path).location_index")
            let service = try j["service"].map { x throws(FieldRouteError) in try int(x, "\(path).service", 0...largestTime) } ?? 0
            let priority = Int(try j["priority"].map { x throws(FieldRouteError) in try int(x, "\(path).priority", 0...100) } ?? 0)
            var delivery: Int64 = 0
            for key in ["delivery", "amount", "pickup"] {
                guard let d = j[key] else { continue }
                let dims = try ints(d, "\(path).\(key)", 0...Int64(1) << 50)
                guard dims.count == 1 else { throw fail("\(path).\(key)", "only one capacity dimension is supported, got \(dims.count)") }
                // The solver's one load only shrinks (deliveries) or only grows (pickups): never both.
                let isPickup = key == "pickup"
                if dims[0] > 0, let kind = loadKind, kind.pickup != isPickup {
                    throw fail("\(path).\(key)", "beside \(kind.path): FieldRoute carries deliveries or pickups, not both")
                }
                if dims[0] > 0, loadKind == nil { loadKind = (isPickup, "\(path).\(key)") }
                delivery += dims[0]
            }
            var windows: [RouteSolver.TimeWindow] = []
            if let list = j["time_windows"] {
                guard let items = list as? [Any], items.count <= 100 else { throw fail("\(path).time_windows", "wants at most 100 windows") }
                for (w, item) in items.enumerated() { windows.append(try window(item, "\(path).time_windows[\(w)]")) }
                windows.sort { $0.start < $1.start }
                for (a, b) in zip(windows, windows.dropFirst()) where b.start <= a.end {
                    throw fail("\(path).time_windows", "windows overlap")
                }
            }
            jobs.append(Job(id: id, description: j["description"] as? String, locationIndex: location, priority: priority, delivery: delivery))
            solverJobs.append(RouteSolver.Job(location: Int32(location), service: service, windows: windows, demand: delivery,
                                              skills: try skills(j["skills"], "\(path).skills"),
                                              unassignedPenalty: 1 + Int64(priority)))
        }

        // max_tasks is a capacity of that many jobs, each weighing 1: it takes the one capacity dimension.
        if let first = maxTasks.first {
            if capacities { throw fail(first.path, "together with capacity: FieldRoute has one capacity dimension, which max_tasks takes") }
            for m in maxTasks { solverVehicles[m.vehicle].capacity = m.tasks }
            for k in solverJobs.indices { solverJobs[k].demand = 1 }
        }
        // A speed factor scales every duration as VROOM does, × round(100 / factor) / 100, each leg
        // rounded up to the second: VROOM keeps hundredths, so a FieldRoute arrival is never earlier
        // than VROOM's reckoning of the same route (an answer stays feasible by its rules).
        let percent = Int64((100 / (speed?.factor ?? 1)).rounded())
        let travelled = { (d: Int32) in Int32(min(Int64(Int32.max), (Int64(d) * percent + 99) / 100)) }

        // A missed job costs more than any set of routes could (priority 100 ten times a priority-0 job,
        // as VROOM weighs them), so the search leaves one out only when it cannot be served.
        let longest = max(Int64(travelled(durations.max() ?? 0)), Int64(costs?.max() ?? 0))
        let services = solverJobs.reduce(Int64(0)) { $0 + $1.service }, fixedCosts = solverVehicles.reduce(Int64(0)) { $0 + $1.fixedCost }
        let bound = min(Int64(1) << 40, longest * Int64(solverJobs.count + 2 * solverVehicles.count) + services + fixedCosts + 1)
        for k in solverJobs.indices { solverJobs[k].unassignedPenalty = (solverJobs[k].unassignedPenalty ?? 1) * bound }

        // The matrix with one more location for open ends: zero travel to and from it.
        let size = n + 1
        // With costs, the solver's "distance" is the cost it minimises; the answer reads distances from `distances`.
        let second = costs ?? distances
        var full = [Int32](repeating: 0, count: size * size), fullSecond = second.map { _ in [Int32](repeating: 0, count: size * size) }
        for i in 0..<n {
            for k in 0..<n {
                full[i * size + k] = travelled(durations[i * n + k])
                if let second { fullSecond?[i * size + k] = second[i * n + k] }
            }
        }
        do {
            let travel = try TravelMatrix(count: size, durations: full, distances: fullSecond)
            let problem = try RoutingProblem(jobs: solverJobs, vehicles: solverVehicles, travel: travel, objective: costs == nil ? .duration : .distance)
            return VroomProblem(problem: problem, vehicles: vehicles, jobs: jobs, hasCapacity: capacities, pickups: loadKind?.pickup ?? false,
                                matrixCount: n, distances: distances, coordinates: coordinates)
        } catch { throw fail("", "\(error)") }
    }
}
