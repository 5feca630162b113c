/// First-improvement local search over granular neighbourhoods (PyVRP's LocalSearch): for each job
/// `u` and each neighbour `v`, try relocate, swap, or-opt, 2-opt and 2-opt*; apply the first move that lowers the
/// penalised cost; repeat until a full pass finds nothing. Pairs whose routes have not changed since
/// `u` was last examined are skipped.
struct LocalSearch {
    let data: SearchData
    var evaluator: CostEvaluator
    /// Moves applied since creation (a deterministic work counter).
    private(set) var movesApplied = 0
    /// Move evaluations since creation.
    private(set) var evaluations = 0
    private var order: [Int32]

    init(data: SearchData, evaluator: CostEvaluator) {
        self.data = data
        self.evaluator = evaluator
        order = (0..<Int32(data.jobCount)).map { $0 }
    }

    /// Runs to a local optimum. `rng` shuffles the order in which jobs are examined.
    mutating func run(_ s: inout SearchState, rng: inout SeededGenerator) {
        order.shuffle(using: &rng)
        var improved = true
        while improved {
            improved = false
            for uu in order {
                let u = Int(uu)
                guard s.routeOf[u] >= 0 else { continue }
                let testedAt = s.lastTested[u]
                s.lastTested[u] = s.clock
                let base = u &* data.neighbourCount
                for k in 0..<data.neighbourCount {
                    let v = Int(data.neighbours[base &+ k])
                    guard s.routeOf[v] >= 0, s.routeOf[u] >= 0 else { continue }
                    if max(s.lastModified[Int(s.routeOf[u])], s.lastModified[Int(s.routeOf[v])]) <= testedAt { continue }
                    if tryPair(u, v, &s) { improved = true; continue }
                    let pv = Int(s.prev[v])
                    if data.isDepot(pv), tryPair(u, pv, &s) { improved = true }
                }
                if s.routeOf[u] >= 0, let empty = firstEmptyRoute(s), Int(s.routeOf[u]) != empty,
                   s.routeSize[Int(s.routeOf[u])] > 1 {
                    let depot = data.startDepot(empty)
                    if let delta = relocateDelta(u, after: depot, s), delta < 0 {
                        applyRelocate(u, after: depot, &s); improved = true
                    }
                }
            }
        }
    }

    /// Tries the moves for the pair in a fixed order; applies the first improving one.
    @inline(__always)
    private mutating func tryPair(_ u: Int, _ v: Int, _ s: inout SearchState) -> Bool {
        evaluations += 1
        if let d = relocateDelta(u, after: v, s), d < 0 { applyRelocate(u, after: v, &s); return true }
        if !data.isDepot(v) {
            if let d = relocateDelta(v, after: u, s), d < 0 { applyRelocate(v, after: u, &s); return true }
            if let d = swapDelta(u, v, s), d < 0 { applySwap(u, v, &s); return true }
        }
        if let d = relocatePairDelta(u, after: v, s), d < 0 { applyRelocatePair(u, after: v, &s); return true }
        if s.routeOf[u] == s.routeOf[v] {
            if !data.isDepot(v) {
                let (a, b) = s.position[u] < s.position[v] ? (u, v) : (v, u)
                if let d = twoOptDelta(a, b, s), d < 0 { applyTwoOpt(a, b, &s); return true }
            }
        } else {
            if let d = swapTailsDelta(u, v, s), d < 0 { applySwapTails(u, v, &s); return true }
            if !data.isDepot(v), !data.isDepot(Int(s.prev[u])) {
                let pu = Int(s.prev[u])
                if let d = swapTailsDelta(pu, v, s), d < 0 { applySwapTails(pu, v, &s); return true }
            }
        }
        return false
    }

    private func firstEmptyRoute(_ s: SearchState) -> Int? {
        for r in 0..<data.routeCount where s.routeSize[r] == 0 { return r }
        return nil
    }

    /// Penalised cost of a route after a move, from its distance, segment and load.
    @inline(__always)
    func price(_ r: Int, _ distance: Int64, _ segment: TimeSegment, _ load: Int64, empty: Bool = false) -> Int64 {
        evaluator.cost(route: r, distance: distance, segment: segment, load: load, empty: empty, data: data)
    }

    /// The penalty part of a route's current cost (what a move could at best save besides distance).
    @inline(__always)
    func penaltyPart(_ r: Int, _ s: SearchState) -> Int64 {
        s.routeSize[r] == 0 ? 0 : s.routeCost[r] - s.routeArcCost[r] - data.fixedCost[r]
    }

    mutating func noteApplied() { movesApplied += 1 }
}
