/// First-improvement local search over granular neighbourhoods (PyVRP's LocalSearch): for each job
/// `u` and each neighbour `v`, try relocate, swap, or-opt, 2-opt and 2-opt*; apply the first move that
/// lowers the penalised cost; repeat until a full pass finds nothing, then (when enabled) try SWAP*
/// between neighbouring routes and start again if it moved anything. Pairs whose routes have not
/// changed since `u` was last examined are skipped.
struct LocalSearch {
    let data: SearchData
    var evaluator: CostEvaluator
    /// Moves applied since creation (a deterministic work counter).
    private(set) var movesApplied = 0
    /// Move evaluations since creation.
    private(set) var evaluations = 0
    private var order: [Int32]
    /// Jobs that must be examined: those on a route changed since they were last examined, or with a
    /// neighbour on one. The others would find every pair skipped.
    private var marked: [Bool]
    /// Whether a pass that finds no node move tries SWAP* between neighbouring routes.
    var useSwapStar = true
    // Scratch for SWAP* (SwapStar.swift): route stamps, and per job its removal price and its three
    // cheapest insertions into the other route of the pair.
    var routeStamp: [Int]
    var stamp = 0
    var starRemoval: [Int64]
    var starCost: [Int64]
    var starAfter: [Int32]

    init(data: SearchData, evaluator: CostEvaluator) {
        self.data = data
        self.evaluator = evaluator
        order = (0..<Int32(data.jobCount)).map { $0 }
        marked = Array(repeating: false, count: data.jobCount)
        routeStamp = Array(repeating: 0, count: data.routeCount)
        starRemoval = Array(repeating: 0, count: data.jobCount)
        starCost = Array(repeating: 0, count: 3 * data.jobCount)
        starAfter = Array(repeating: -1, count: 3 * data.jobCount)
    }

    /// Runs to a local optimum. `rng` shuffles the order in which jobs are examined.
    mutating func run(_ s: inout SearchState, rng: inout SeededGenerator) {
        order.shuffle(using: &rng)
        for r in 0..<data.routeCount where s.lastModified[r] > s.searchedAt { mark(route: r, s) }
        var improved = true
        while improved {
            improved = false
            for uu in order {
                let u = Int(uu)
                guard marked[u] else { continue }
                marked[u] = false
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
                        let ru = Int(s.routeOf[u])
                        applyRelocate(u, after: depot, &s); improved = true
                        mark(route: ru, s); mark(route: empty, s)
                    }
                }
            }
            if !improved && useSwapStar { improved = swapStarSweep(&s) }
        }
        s.searchedAt = s.clock
    }

    /// Marks the jobs of route `r` and every job that has one of them as a neighbour.
    mutating func mark(route r: Int, _ s: borrowing SearchState) {
        var node = Int(s.next[data.startDepot(r)])
        while !data.isDepot(node) {
            marked[node] = true
            for i in Int(data.reverseStart[node])..<Int(data.reverseStart[node &+ 1]) {
                marked[Int(data.reverseNeighbours[i])] = true
            }
            node = Int(s.next[node])
        }
    }

    /// A move the local search applies.
    private enum Move {
        case relocate(Int, after: Int), relocatePair(Int, after: Int), swap(Int, Int), twoOpt(Int, Int), swapTails(Int, Int)
    }

    /// Tries the moves for the pair in a fixed order; applies the first improving one and marks both
    /// routes it touched.
    @inline(__always)
    private mutating func tryPair(_ u: Int, _ v: Int, _ s: inout SearchState) -> Bool {
        evaluations += 1
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        switch firstImproving(u, v, s) {
        case nil: return false
        case .relocate(let a, let b): applyRelocate(a, after: b, &s)
        case .relocatePair(let a, let b): applyRelocatePair(a, after: b, &s)
        case .swap(let a, let b): applySwap(a, b, &s)
        case .twoOpt(let a, let b): applyTwoOpt(a, b, &s)
        case .swapTails(let a, let b): applySwapTails(a, b, &s)
        }
        mark(route: ru, s)
        mark(route: rv, s)
        return true
    }

    /// The first improving move for the pair, pricing only (one borrow of the state for all of them).
    private func firstImproving(_ u: Int, _ v: Int, _ s: borrowing SearchState) -> Move? {
        if let d = relocateDelta(u, after: v, s), d < 0 { return .relocate(u, after: v) }
        if !data.isDepot(v) {
            if let d = relocateDelta(v, after: u, s), d < 0 { return .relocate(v, after: u) }
            if let d = swapDelta(u, v, s), d < 0 { return .swap(u, v) }
        }
        if let d = relocatePairDelta(u, after: v, s), d < 0 { return .relocatePair(u, after: v) }
        if s.routeOf[u] == s.routeOf[v] {
            if !data.isDepot(v) {
                let (a, b) = s.position[u] < s.position[v] ? (u, v) : (v, u)
                if let d = twoOptDelta(a, b, s), d < 0 { return .twoOpt(a, b) }
            }
        } else {
            if let d = swapTailsDelta(u, v, s), d < 0 { return .swapTails(u, v) }
            if !data.isDepot(v), !data.isDepot(Int(s.prev[u])) {
                let pu = Int(s.prev[u])
                if let d = swapTailsDelta(pu, v, s), d < 0 { return .swapTails(pu, v) }
            }
        }
        return nil
    }

    private func firstEmptyRoute(_ s: borrowing SearchState) -> Int? {
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
    func penaltyPart(_ r: Int, _ s: borrowing SearchState) -> Int64 {
        s.routeSize[r] == 0 ? 0 : s.routeCost[r] - s.routeArcCost[r] - data.fixedCost[r]
    }

    mutating func noteApplied() { movesApplied += 1 }
}
