/// SWAP* (Vidal 2022, as in HGS-CVRP and PyVRP): job `u` of one route and job `v` of another change
/// routes, each going to its best position in the other route rather than into the other's place.
///
/// For a pair of routes, every job's removal and its three cheapest insertions into the other route
/// are priced from the route segments (distance and time warp; load is priced per pair, exactly).
/// A pair `(u, v)` is chosen on those estimates (an insertion next to the job leaving counts only in
/// its place, which is priced exactly), and only the chosen pair is then priced exactly, in
/// O(route length). Route pairs are those where a job of one has one of its nearest neighbours in
/// the other, skipped when neither route changed since they were last tried.
extension LocalSearch {
    /// A SWAP* move: `u` goes after `afterU` (in `v`'s route), `v` after `afterV` (in `u`'s route).
    struct StarMove {
        var u: Int, afterU: Int, v: Int, afterV: Int
    }

    /// Neighbours per job that make two routes worth trying.
    static let swapStarNeighbours = 10

    /// Tries SWAP* on every pair of neighbouring routes changed since last tried; applies each move
    /// found to improve and marks its routes for the node moves. Returns true when one was applied.
    mutating func swapStarSweep(_ s: inout SearchState) -> Bool {
        var applied = false
        for r1 in 0..<data.routeCount where s.routeSize[r1] > 0 {
            let testedAt = s.swapStarTestedAt[r1]
            s.swapStarTestedAt[r1] = s.clock
            stampNeighbourRoutes(of: r1, s)
            for r2 in (r1 + 1)..<data.routeCount where routeStamp[r2] == stamp && s.routeSize[r2] > 0 {
                if max(s.lastModified[r1], s.lastModified[r2]) <= testedAt { continue }
                guard let move = bestSwapStar(r1, r2, s) else { continue }
                applySwapStar(move, &s)
                mark(route: r1, s)
                mark(route: r2, s)
                applied = true
            }
        }
        return applied
    }

    /// Stamps the routes holding one of the nearest neighbours of a job of route `r`.
    private mutating func stampNeighbourRoutes(of r: Int, _ s: borrowing SearchState) {
        stamp &+= 1
        let k = data.neighbourCount, near = min(k, Self.swapStarNeighbours)
        var x = Int(s.next[data.startDepot(r)])
        while !data.isDepot(x) {
            let base = x &* k
            for m in 0..<near {
                let other = s.routeOf[Int(data.neighbours[base &+ m])]
                if other >= 0 { routeStamp[Int(other)] = stamp }
            }
            x = Int(s.next[x])
        }
    }

    /// The best SWAP* move between routes `r1` and `r2`, when it improves the penalised cost.
    private mutating func bestSwapStar(_ r1: Int, _ r2: Int, _ s: borrowing SearchState) -> StarMove? {
        let d = data
        prepareSwapStar(route: r1, into: r2, s)
        prepareSwapStar(route: r2, into: r1, s)
        var best: StarMove?
        var bestDelta: Int64 = 0
        var u = Int(s.next[d.startDepot(r1)])
        while !d.isDepot(u) {
            defer { u = Int(s.next[u]) }
            guard d.canServe(route: r2, job: u) else { continue }
            var v = Int(s.next[d.startDepot(r2)])
            while !d.isDepot(v) {
                defer { v = Int(s.next[v]) }
                guard d.canServe(route: r1, job: v) else { continue }
                let shift = d.demand[v] - d.demand[u]
                var delta = starRemoval[u] + starRemoval[v] + loadPenaltyChange(r1, by: shift, s)
                    + loadPenaltyChange(r2, by: -shift, s)
                if delta >= 0 { continue }
                let (costV, afterV) = starInsertion(v, into: r1, replacing: u, s)
                delta += costV
                if delta >= 0 { continue }
                let (costU, afterU) = starInsertion(u, into: r2, replacing: v, s)
                delta += costU
                if delta < bestDelta {
                    bestDelta = delta
                    best = StarMove(u: u, afterU: afterU, v: v, afterV: afterV)
                }
            }
        }
        guard let move = best, exactSwapStarDelta(move, s) < 0 else { return nil }
        return move
    }

    /// For every job `x` of `ra`: the change of `ra`'s cost without it, and its three cheapest
    /// insertions into `rb` (all at the routes' present loads).
    private mutating func prepareSwapStar(route ra: Int, into rb: Int, _ s: borrowing SearchState) {
        let d = data
        var x = Int(s.next[d.startDepot(ra)])
        while !d.isDepot(x) {
            let p = Int(s.prev[x]), n = Int(s.next[x])
            let arcs = s.routeArcCost[ra] - d.cost(p, x) - d.cost(x, n) + d.cost(p, n)
            let seg = TimeSegment.merge(s.forward[p], s.backward[n], edge: d.time(p, n))
            starRemoval[x] = price(ra, arcs, seg, s.routeLoad[ra]) - s.routeCost[ra]
            let slot = x &* 3
            for k in 0..<3 { starCost[slot &+ k] = .max; starAfter[slot &+ k] = -1 }
            if d.canServe(route: rb, job: x) {
                var q = d.startDepot(rb)
                let end = d.endDepot(rb)
                while q != end {
                    let w = Int(s.next[q])
                    let added = d.cost(q, x) + d.cost(x, w) - (s.cumulativeCost[w] - s.cumulativeCost[q])
                    if added - penaltyPart(rb, s) < starCost[slot &+ 2] {
                        let inserted = TimeSegment.merge(TimeSegment.merge(s.forward[q], d.single(x), edge: d.time(q, x)),
                                                         s.backward[w], edge: d.time(x, w))
                        let cost = price(rb, s.routeArcCost[rb] + added, inserted, s.routeLoad[rb]) - s.routeCost[rb]
                        keepThree(cost, after: q, slot: slot)
                    }
                    q = w
                }
            }
            x = n
        }
    }

    @inline(__always)
    private mutating func keepThree(_ cost: Int64, after q: Int, slot: Int) {
        if cost < starCost[slot] {
            starCost[slot &+ 2] = starCost[slot &+ 1]; starAfter[slot &+ 2] = starAfter[slot &+ 1]
            starCost[slot &+ 1] = starCost[slot]; starAfter[slot &+ 1] = starAfter[slot]
            starCost[slot] = cost; starAfter[slot] = Int32(q)
        } else if cost < starCost[slot &+ 1] {
            starCost[slot &+ 2] = starCost[slot &+ 1]; starAfter[slot &+ 2] = starAfter[slot &+ 1]
            starCost[slot &+ 1] = cost; starAfter[slot &+ 1] = Int32(q)
        } else if cost < starCost[slot &+ 2] {
            starCost[slot &+ 2] = cost; starAfter[slot &+ 2] = Int32(q)
        }
    }

    /// Change of route `r`'s load penalty when its load changes by `shift`.
    @inline(__always)
    private func loadPenaltyChange(_ r: Int, by shift: Int64, _ s: borrowing SearchState) -> Int64 {
        let cap = data.capacity[r], load = s.routeLoad[r]
        let before = max(0, load - cap), after = max(0, load + shift - cap)
        return evaluator.loadPenalty * (after - before)
    }

    /// Estimated cost of inserting `x` into route `r` once `out` has left it, and the node to insert
    /// after: `out`'s place priced exactly, or the cheapest of `x`'s three best positions not next to `out`.
    @inline(__always)
    private func starInsertion(_ x: Int, into r: Int, replacing out: Int, _ s: borrowing SearchState) -> (Int64, Int) {
        let d = data
        let p = Int(s.prev[out]), n = Int(s.next[out])
        let arcs = s.routeArcCost[r] - d.cost(p, out) - d.cost(out, n) + d.cost(p, x) + d.cost(x, n)
        let seg = TimeSegment.merge(TimeSegment.merge(s.forward[p], d.single(x), edge: d.time(p, x)), s.backward[n],
                                    edge: d.time(x, n))
        var best = price(r, arcs, seg, s.routeLoad[r]) - s.routeCost[r] - starRemoval[out], after = p
        let slot = x &* 3
        for k in 0..<3 {
            let q = Int(starAfter[slot &+ k])
            if q < 0 { break }
            if q != out && q != p && starCost[slot &+ k] < best { best = starCost[slot &+ k]; after = q }
        }
        return (best, after)
    }

    /// Exact change of penalised cost of `move`.
    func exactSwapStarDelta(_ move: StarMove, _ s: borrowing SearchState) -> Int64 {
        let r1 = Int(s.routeOf[move.u]), r2 = Int(s.routeOf[move.v])
        return priceRebuilt(r1, removing: move.u, inserting: move.v, after: move.afterV, s)
            + priceRebuilt(r2, removing: move.v, inserting: move.u, after: move.afterU, s)
            - s.routeCost[r1] - s.routeCost[r2]
    }

    /// Penalised cost of route `r` with `out` taken out and `x` inserted after `after` (a node of `r`
    /// other than `out`), merged stop by stop.
    private func priceRebuilt(_ r: Int, removing out: Int, inserting x: Int, after: Int,
                              _ s: borrowing SearchState) -> Int64 {
        let d = data
        let start = d.startDepot(r), end = d.endDepot(r)
        var seg = d.single(start), arcs: Int64 = 0, last = start
        var node = start
        while true {
            if node != out && node != start {
                seg = TimeSegment.merge(seg, d.single(node), edge: d.time(last, node))
                arcs += d.cost(last, node)
                last = node
            }
            if node == after {
                seg = TimeSegment.merge(seg, d.single(x), edge: d.time(last, x))
                arcs += d.cost(last, x)
                last = x
            }
            if node == end { break }
            node = Int(s.next[node])
        }
        return price(r, arcs, seg, s.routeLoad[r] - d.demand[out] + d.demand[x])
    }

    mutating func applySwapStar(_ move: StarMove, _ s: inout SearchState) {
        let r1 = Int(s.routeOf[move.u]), r2 = Int(s.routeOf[move.v])
        #if DEBUG
        let expected = s.penalisedCost + exactSwapStarDelta(move, s)
        #endif
        s.unlink(move.u)
        s.unlink(move.v)
        s.link(move.v, after: move.afterV)
        s.link(move.u, after: move.afterU)
        s.refresh(route: r1, cost: evaluator)
        s.refresh(route: r2, cost: evaluator)
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "SWAP* mis-priced its move")
        #endif
    }
}
