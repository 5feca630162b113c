/// The problem flattened for the search: one entry per node in contiguous arrays. Nodes
/// `0..<jobCount` are jobs; route `r` has start depot node `jobCount + 2r` and end depot node
/// `jobCount + 2r + 1`.
final class SearchData: Sendable {
    /// Open windows are clamped to this, so segment arithmetic never overflows.
    static let horizon: Int64 = 1 << 50

    let jobCount: Int
    let routeCount: Int
    let location: [Int32]
    let service: [Int64]
    let early: [Int64]
    let late: [Int64]
    let demand: [Int64]
    let skills: [UInt64]
    /// Per job: the only route allowed, or -1.
    let pinned: [Int32]
    /// Per job: cost of leaving it out, or -1 when required.
    let penalty: [Int64]
    let capacity: [Int64]
    let maxDuration: [Int64]
    let fixedCost: [Int64]
    let vehicleSkills: [UInt64]
    let matrixSize: Int
    /// Objective arc costs and durations, row-major over locations.
    let arcCost: [Int32]
    let arcTime: [Int32]
    /// True when `arcCost` equals its transpose (then a row serves as the column).
    let symmetricCost: Bool
    /// Per job, its `neighbourCount` most promising neighbours (granular neighbourhood), flat.
    let neighbours: [Int32]
    let neighbourCount: Int
    /// Per job, the jobs that count it among their neighbours (CSR: `reverseNeighbours[reverseStart[j]..<reverseStart[j + 1]]`),
    /// so a changed route tells the local search which jobs must look again.
    let reverseNeighbours: [Int32]
    let reverseStart: [Int32]

    init(problem p: RoutingProblem, neighbourCount k: Int = 40) {
        let n = p.jobs.count, v = p.vehicles.count
        jobCount = n; routeCount = v
        var location: [Int32] = [], service: [Int64] = [], early: [Int64] = [], late: [Int64] = []
        var demand: [Int64] = [], skills: [UInt64] = []
        func clamp(_ t: Int64) -> Int64 { min(max(t, -Self.horizon), Self.horizon) }
        for job in p.jobs {
            // The search keeps one window per job: the widest (earliest on ties). The checker accepts
            // any of them, so solutions found this way are feasible for the full set.
            let w = job.windows.max { ($0.end - $0.start, -$0.start) < ($1.end - $1.start, -$1.start) } ?? .always
            location.append(job.location); service.append(job.service)
            early.append(clamp(w.start)); late.append(clamp(w.end))
            demand.append(job.demand); skills.append(job.skills.bits)
        }
        for vehicle in p.vehicles {
            let s = clamp(vehicle.shift.start), e = clamp(vehicle.shift.end)
            location.append(vehicle.start); service.append(0); early.append(s); late.append(e)
            location.append(vehicle.end); service.append(0); early.append(s); late.append(e)
            demand.append(0); demand.append(0); skills.append(0); skills.append(0)
        }
        self.location = location; self.service = service; self.early = early; self.late = late
        self.demand = demand; self.skills = skills
        pinned = p.jobs.map { $0.pinnedVehicle ?? -1 }
        penalty = p.jobs.map { $0.unassignedPenalty ?? -1 }
        capacity = p.vehicles.map(\.capacity)
        maxDuration = p.vehicles.map { min($0.maxDuration, Self.horizon) }
        fixedCost = p.vehicles.map(\.fixedCost)
        vehicleSkills = p.vehicles.map(\.skills.bits)
        matrixSize = p.travel.count
        arcCost = p.objective == .distance ? p.travel.distances : p.travel.durations
        arcTime = p.travel.durations
        symmetricCost = Self.isSymmetric(arcCost, size: p.travel.count)
        neighbourCount = min(k, max(0, n - 1))
        neighbours = Self.granularNeighbours(jobs: n, k: neighbourCount, location: location, service: service,
                                             early: early, late: late, cost: arcCost, time: arcTime, size: p.travel.count)
        (reverseNeighbours, reverseStart) = Self.reversed(neighbours, jobs: n, k: neighbourCount)
    }

    @inline(__always) func cost(_ i: Int, _ j: Int) -> Int64 {
        Int64(arcCost[Int(location[i]) &* matrixSize &+ Int(location[j])])
    }

    @inline(__always) func time(_ i: Int, _ j: Int) -> Int64 {
        Int64(arcTime[Int(location[i]) &* matrixSize &+ Int(location[j])])
    }

    @inline(__always) func single(_ i: Int) -> TimeSegment {
        TimeSegment(service: service[i], early: early[i], late: late[i])
    }

    @inline(__always) func startDepot(_ r: Int) -> Int { jobCount + 2 * r }
    @inline(__always) func endDepot(_ r: Int) -> Int { jobCount + 2 * r + 1 }
    @inline(__always) func isDepot(_ i: Int) -> Bool { i >= jobCount }

    /// True when route `r`'s vehicle may serve job `j`.
    @inline(__always) func canServe(route r: Int, job j: Int) -> Bool {
        skills[j] & ~vehicleSkills[r] == 0 && (pinned[j] < 0 || Int(pinned[j]) == r)
    }

    private static func isSymmetric(_ m: [Int32], size: Int) -> Bool {
        for i in 0..<size {
            for j in (i + 1)..<size where m[i * size + j] != m[j * size + i] { return false }
        }
        return true
    }

    private static func reversed(_ neighbours: [Int32], jobs n: Int, k: Int) -> ([Int32], [Int32]) {
        var start = [Int32](repeating: 0, count: n + 1)
        for v in neighbours { start[Int(v) + 1] += 1 }
        for j in 0..<n { start[j + 1] += start[j] }
        var fill = start
        var list = [Int32](repeating: 0, count: neighbours.count)
        for u in 0..<n {
            for m in 0..<k {
                let v = Int(neighbours[u * k + m])
                list[Int(fill[v])] = Int32(u)
                fill[v] += 1
            }
        }
        return (list, start)
    }

    /// Proximity as in Vidal (2022): arc cost plus weighted minimal waiting and time warp, symmetrised,
    /// then the `k` closest per job.
    private static func granularNeighbours(jobs n: Int, k: Int, location: [Int32], service: [Int64], early: [Int64],
                                           late: [Int64], cost: [Int32], time: [Int32], size: Int) -> [Int32] {
        guard k > 0 else { return [] }
        func proximity(_ i: Int, _ j: Int) -> Double {
            let li = Int(location[i]), lj = Int(location[j])
            let c = Double(cost[li * size + lj]), t = Int64(time[li * size + lj])
            let wait = max(0, early[j] - service[i] - t - late[i])
            let warp = max(0, early[i] + service[i] + t - late[j])
            return c + 0.2 * Double(wait) + 1.0 * Double(warp)
        }
        var result = [Int32](repeating: 0, count: n * k)
        var scored = [(Double, Int32)]()
        scored.reserveCapacity(n)
        for i in 0..<n {
            scored.removeAll(keepingCapacity: true)
            for j in 0..<n where j != i { scored.append((min(proximity(i, j), proximity(j, i)), Int32(j))) }
            // Partial selection is enough, but a full sort of ≤ 1000 entries per job costs little once.
            scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for m in 0..<k { result[i * k + m] = scored[m].1 }
        }
        return result
    }
}
