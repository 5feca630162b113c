extension LocalSearch {
    /// Cost change of moving job `u` to just after node `v` (a job or a start depot), or nil when
    /// the move is a no-op, not allowed, or cannot improve.
    @inline(__always)
    func relocateDelta(_ u: Int, after v: Int, _ s: borrowing SearchState) -> Int64? {
        relocateDelta(u, through: u, after: v, s)
    }

    /// Or-opt: the same for the two consecutive jobs `u`, `next(u)`, kept in order.
    @inline(__always)
    func relocatePairDelta(_ u: Int, after v: Int, _ s: borrowing SearchState) -> Int64? {
        let x = Int(s.next[u])
        guard !data.isDepot(x) else { return nil }
        return relocateDelta(u, through: x, after: v, s)
    }

    /// Moves the chain `u … x` (`x` is `u` or its successor) to just after `v`.
    @inline(__always)
    private func relocateDelta(_ u: Int, through x: Int, after v: Int, _ s: borrowing SearchState) -> Int64? {
        let d = data
        guard v != u, v != x else { return nil }
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        let p = Int(s.prev[u]), n = Int(s.next[x])
        if v == p { return nil }
        let w = Int(s.next[v])
        let chain = x == u ? d.single(u) : TimeSegment.merge(d.single(u), d.single(x), edge: d.time(u, x))
        // The chain's own arc (zero for one job) leaves one route and joins the other.
        let inner = x == u ? 0 : d.cost(u, x)
        let removeCost = d.cost(p, n) - d.cost(p, u) - inner - d.cost(x, n)
        let insertCost = d.cost(v, u) + inner + d.cost(x, w) - d.cost(v, w)
        if ru != rv {
            guard d.canServe(route: rv, job: u), x == u || d.canServe(route: rv, job: x) else { return nil }
            let chainLoad = x == u ? d.demand[u] : d.demand[u] + d.demand[x]
            let emptied = Int(s.routeSize[ru]) == (x == u ? 1 : 2)
            // Lower bound: distance change minus every penalty the two routes pay now.
            var bound = removeCost + insertCost - penaltyPart(ru, s) - penaltyPart(rv, s)
            if emptied { bound -= d.fixedCost[ru] }
            if s.routeSize[rv] == 0 { bound += d.fixedCost[rv] }
            if bound >= 0 { return nil }
            let segU = TimeSegment.merge(s.forward[p], s.backward[n], edge: d.time(p, n))
            let segV = TimeSegment.merge(TimeSegment.merge(s.forward[v], chain, edge: d.time(v, u)), s.backward[w],
                                         edge: d.time(x, w))
            let newU = price(ru, s.routeArcCost[ru] + removeCost, segU, s.routeLoad[ru] - chainLoad, empty: emptied)
            let newV = price(rv, s.routeArcCost[rv] + insertCost, segV, s.routeLoad[rv] + chainLoad)
            return newU + newV - s.routeCost[ru] - s.routeCost[rv]
        }
        if removeCost + insertCost - penaltyPart(ru, s) >= 0 { return nil }
        let seg: TimeSegment
        if s.position[u] < s.position[v] {
            // start … p, n … v, chain, w … end
            let middle = s.segment(from: n, through: v)
            seg = TimeSegment.merge(
                TimeSegment.merge(TimeSegment.merge(s.forward[p], middle, edge: d.time(p, n)), chain, edge: d.time(v, u)),
                s.backward[w], edge: d.time(x, w))
        } else {
            // start … v, chain, w … p, n … end
            let middle = s.segment(from: w, through: p)
            seg = TimeSegment.merge(
                TimeSegment.merge(TimeSegment.merge(s.forward[v], chain, edge: d.time(v, u)), middle, edge: d.time(x, w)),
                s.backward[n], edge: d.time(p, n))
        }
        return price(ru, s.routeArcCost[ru] + removeCost + insertCost, seg, s.routeLoad[ru]) - s.routeCost[ru]
    }

    mutating func applyRelocate(_ u: Int, after v: Int, _ s: inout SearchState) {
        applyRelocate(u, through: u, after: v, &s)
    }

    mutating func applyRelocatePair(_ u: Int, after v: Int, _ s: inout SearchState) {
        applyRelocate(u, through: Int(s.next[u]), after: v, &s)
    }

    private mutating func applyRelocate(_ u: Int, through x: Int, after v: Int, _ s: inout SearchState) {
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        #if DEBUG
        let expected = s.penalisedCost + (relocateDelta(u, through: x, after: v, s) ?? 0)
        #endif
        if x != u { s.unlink(x) }
        s.unlink(u)
        s.link(u, after: v)
        if x != u { s.link(x, after: u) }
        s.refresh(route: ru, cost: evaluator)
        if rv != ru { s.refresh(route: rv, cost: evaluator) }
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "relocate mis-priced its move")
        #endif
    }
}
