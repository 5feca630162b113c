extension LocalSearch {
    /// Cost change of moving job `u` to just after node `v` (a job or a start depot), or nil when
    /// the move is a no-op or not allowed.
    @inline(__always)
    func relocateDelta(_ u: Int, after v: Int, _ s: SearchState) -> Int64? {
        let d = data
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        let p = Int(s.prev[u]), n = Int(s.next[u])
        if v == p || v == u { return nil }
        let w = Int(s.next[v])
        let removeCost = d.cost(p, n) - d.cost(p, u) - d.cost(u, n)
        let insertCost = d.cost(v, u) + d.cost(u, w) - d.cost(v, w)
        if ru != rv {
            guard d.canServe(route: rv, job: u) else { return nil }
            let emptied = s.routeSize[ru] == 1
            let wasEmpty = s.routeSize[rv] == 0
            // Lower bound: distance change minus every penalty the two routes pay now.
            var bound = removeCost + insertCost - penaltyPart(ru, s) - penaltyPart(rv, s)
            if emptied { bound -= d.fixedCost[ru] }
            if wasEmpty { bound += d.fixedCost[rv] }
            if bound >= 0 { return nil }
            let segU = TimeSegment.merge(s.forward[p], s.backward[n], edge: d.time(p, n))
            let segV = TimeSegment.merge(TimeSegment.merge(s.forward[v], d.single(u), edge: d.time(v, u)),
                                         s.backward[w], edge: d.time(u, w))
            let newU = price(ru, s.routeArcCost[ru] + removeCost, segU, s.routeLoad[ru] - d.demand[u], empty: emptied)
            let newV = price(rv, s.routeArcCost[rv] + insertCost, segV, s.routeLoad[rv] + d.demand[u])
            return newU + newV - s.routeCost[ru] - s.routeCost[rv]
        }
        if removeCost + insertCost - penaltyPart(ru, s) >= 0 { return nil }
        let seg: TimeSegment
        if s.position[u] < s.position[v] {
            // start … p, n … v, u, w … end
            let middle = s.segment(from: n, through: v)
            seg = TimeSegment.merge(
                TimeSegment.merge(TimeSegment.merge(s.forward[p], middle, edge: d.time(p, n)), d.single(u), edge: d.time(v, u)),
                s.backward[w], edge: d.time(u, w))
        } else {
            // start … v, u, w … p, n … end
            let middle = s.segment(from: w, through: p)
            seg = TimeSegment.merge(
                TimeSegment.merge(TimeSegment.merge(s.forward[v], d.single(u), edge: d.time(v, u)), middle, edge: d.time(u, w)),
                s.backward[n], edge: d.time(p, n))
        }
        return price(ru, s.routeArcCost[ru] + removeCost + insertCost, seg, s.routeLoad[ru]) - s.routeCost[ru]
    }

    mutating func applyRelocate(_ u: Int, after v: Int, _ s: inout SearchState) {
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        #if DEBUG
        let expected = s.penalisedCost + (relocateDelta(u, after: v, s) ?? 0)
        #endif
        s.unlink(u)
        s.link(u, after: v)
        s.refresh(route: ru, cost: evaluator)
        if rv != ru { s.refresh(route: rv, cost: evaluator) }
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "relocate mis-priced its move")
        #endif
    }
}
