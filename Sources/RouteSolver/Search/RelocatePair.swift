extension LocalSearch {
    /// Or-opt: move the two consecutive jobs `u`, `next(u)` to just after node `v`, keeping their order.
    @inline(__always)
    func relocatePairDelta(_ u: Int, after v: Int, _ s: SearchState) -> Int64? {
        let d = data
        let x = Int(s.next[u])
        guard !d.isDepot(x), v != u, v != x else { return nil }
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        let p = Int(s.prev[u]), n = Int(s.next[x])
        if v == p { return nil }
        let w = Int(s.next[v])
        let pair = TimeSegment.merge(d.single(u), d.single(x), edge: d.time(u, x))
        // The pair's own arc leaves one route and joins the other (it cancels within one route).
        let removeCost = d.cost(p, n) - d.cost(p, u) - d.cost(u, x) - d.cost(x, n)
        let insertCost = d.cost(v, u) + d.cost(u, x) + d.cost(x, w) - d.cost(v, w)
        let pairLoad = d.demand[u] + d.demand[x]
        if ru != rv {
            guard d.canServe(route: rv, job: u), d.canServe(route: rv, job: x) else { return nil }
            let emptied = s.routeSize[ru] == 2
            var bound = removeCost + insertCost - penaltyPart(ru, s) - penaltyPart(rv, s)
            if emptied { bound -= d.fixedCost[ru] }
            if s.routeSize[rv] == 0 { bound += d.fixedCost[rv] }
            if bound >= 0 { return nil }
            let segU = TimeSegment.merge(s.forward[p], s.backward[n], edge: d.time(p, n))
            let segV = TimeSegment.merge(TimeSegment.merge(s.forward[v], pair, edge: d.time(v, u)), s.backward[w],
                                         edge: d.time(x, w))
            let newU = price(ru, s.routeArcCost[ru] + removeCost, segU, s.routeLoad[ru] - pairLoad, empty: emptied)
            let newV = price(rv, s.routeArcCost[rv] + insertCost, segV, s.routeLoad[rv] + pairLoad)
            return newU + newV - s.routeCost[ru] - s.routeCost[rv]
        }
        if removeCost + insertCost - penaltyPart(ru, s) >= 0 { return nil }
        let seg: TimeSegment
        if s.position[u] < s.position[v] {
            // start … p, n … v, u, x, w … end
            let middle = s.segment(from: n, through: v)
            seg = TimeSegment.merge(
                TimeSegment.merge(TimeSegment.merge(s.forward[p], middle, edge: d.time(p, n)), pair, edge: d.time(v, u)),
                s.backward[w], edge: d.time(x, w))
        } else {
            // start … v, u, x, w … p, n … end
            let middle = s.segment(from: w, through: p)
            seg = TimeSegment.merge(
                TimeSegment.merge(TimeSegment.merge(s.forward[v], pair, edge: d.time(v, u)), middle, edge: d.time(x, w)),
                s.backward[n], edge: d.time(p, n))
        }
        return price(ru, s.routeArcCost[ru] + removeCost + insertCost, seg, s.routeLoad[ru]) - s.routeCost[ru]
    }

    mutating func applyRelocatePair(_ u: Int, after v: Int, _ s: inout SearchState) {
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        #if DEBUG
        let expected = s.penalisedCost + (relocatePairDelta(u, after: v, s) ?? 0)
        #endif
        let x = Int(s.next[u])
        s.unlink(x)
        s.unlink(u)
        s.link(u, after: v)
        s.link(x, after: u)
        s.refresh(route: ru, cost: evaluator)
        if rv != ru { s.refresh(route: rv, cost: evaluator) }
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "or-opt mis-priced its move")
        #endif
    }
}
