/// Greedy insertion with blinks (Christiaens & Vanden Berghe's SISR recreate): each job goes to the
/// cheapest position over all routes by penalised cost, each position skipped with a small
/// probability so that repeated runs explore different solutions.
struct Insertion {
    let data: SearchData
    var evaluator: CostEvaluator
    var blinkRate: Double = 0.01

    /// Inserts `jobs` in the given order. Optional jobs whose best insertion costs more than their
    /// penalty, and jobs no vehicle may serve, stay unassigned.
    mutating func insert(_ jobs: [Int32], into s: inout SearchState, rng: inout SeededGenerator) {
        for jj in jobs {
            let j = Int(jj)
            guard let (after, delta) = bestPosition(for: j, in: s, rng: &rng) else { continue }
            if data.penalty[j] >= 0 && delta >= data.penalty[j] { continue }
            let r = Int(s.routeOf[after])
            s.link(j, after: after)
            s.refresh(route: r, cost: evaluator)
        }
    }

    /// The cheapest node to insert `j` after, over every position of every route, and the change of
    /// penalised route cost. (Trying only positions next to granular neighbours was measured on
    /// R1_10_1: faster per insertion but a gap of 3.4 % instead of 2.3 % at 20 s, so it is not used.)
    func bestPosition(for j: Int, in s: SearchState, rng: inout SeededGenerator) -> (Int, Int64)? {
        let d = data
        var bestNode = -1, bestCost = Int64.max
        var triedEmpty = false
        for r in 0..<d.routeCount where d.canServe(route: r, job: j) {
            if s.routeSize[r] == 0 {
                if triedEmpty { continue }  // identical empty vehicles: one try is enough
                triedEmpty = true
            }
            var v = d.startDepot(r)
            let end = d.endDepot(r)
            let load = s.routeLoad[r] + d.demand[j]
            let penalties = s.routeCost[r] - s.routeArcCost[r]
            // Arc costs come from row j only when the matrix is symmetric (one cache-friendly row instead
            // of a column), and the replaced arc from the route's cumulative cost.
            let rowJ = Int(d.location[j]) &* d.matrixSize
            var toJ = d.cost(v, j)
            while v != end {
                let w = Int(s.next[v])
                let fromJ = Int64(d.arcCost[rowJ &+ Int(d.location[w])])
                let added = toJ + fromJ - (s.cumulativeCost[w] - s.cumulativeCost[v])
                // Penalties can only fall by what the route pays now: skip hopeless positions. The blink
                // is drawn only for positions that could win, which changes nothing but the cost.
                if added - penalties < bestCost, rng.unit() >= blinkRate {
                    let seg = TimeSegment.merge(TimeSegment.merge(s.forward[v], d.single(j), edge: d.time(v, j)),
                                                s.backward[w], edge: d.time(j, w))
                    let cost = evaluator.cost(route: r, distance: s.routeArcCost[r] + added, segment: seg, load: load,
                                              empty: false, data: d) - s.routeCost[r]
                    if cost < bestCost { bestNode = v; bestCost = cost }
                }
                toJ = d.symmetricCost ? fromJ : d.cost(w, j)
                v = w
            }
        }
        return bestNode < 0 ? nil : (bestNode, bestCost)
    }
}
