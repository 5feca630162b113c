extension LocalSearch {
    /// Cost change of exchanging jobs `u` and `v`, or nil when not allowed or not improving.
    @inline(__always)
    func swapDelta(_ u: Int, _ v: Int, _ s: borrowing SearchState) -> Int64? {
        let d = data
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        let pu = Int(s.prev[u]), nu = Int(s.next[u]), pv = Int(s.prev[v]), nv = Int(s.next[v])
        if ru != rv {
            guard d.canServe(route: rv, job: u), d.canServe(route: ru, job: v) else { return nil }
            let costU = d.cost(pu, v) + d.cost(v, nu) - d.cost(pu, u) - d.cost(u, nu)
            let costV = d.cost(pv, u) + d.cost(u, nv) - d.cost(pv, v) - d.cost(v, nv)
            if costU + costV - penaltyPart(ru, s) - penaltyPart(rv, s) >= 0 { return nil }
            let segU = TimeSegment.merge(TimeSegment.merge(s.forward[pu], d.single(v), edge: d.time(pu, v)),
                                         s.backward[nu], edge: d.time(v, nu))
            let segV = TimeSegment.merge(TimeSegment.merge(s.forward[pv], d.single(u), edge: d.time(pv, u)),
                                         s.backward[nv], edge: d.time(u, nv))
            let loadShift = d.demand[v] - d.demand[u]
            let newU = price(ru, s.routeArcCost[ru] + costU, segU, s.routeLoad[ru] + loadShift)
            let newV = price(rv, s.routeArcCost[rv] + costV, segV, s.routeLoad[rv] - loadShift)
            return newU + newV - s.routeCost[ru] - s.routeCost[rv]
        }
        // Same route: order them so that `a` comes first.
        let (a, b) = s.position[u] < s.position[v] ? (u, v) : (v, u)
        let pa = Int(s.prev[a]), na = Int(s.next[a]), pb = Int(s.prev[b]), nb = Int(s.next[b])
        if na == b {
            // … pa, b, a, nb …: the same as relocating a after b.
            return nil
        }
        let delta = d.cost(pa, b) + d.cost(b, na) + d.cost(pb, a) + d.cost(a, nb)
            - d.cost(pa, a) - d.cost(a, na) - d.cost(pb, b) - d.cost(b, nb)
        if delta - penaltyPart(ru, s) >= 0 { return nil }
        var seg = TimeSegment.merge(s.forward[pa], d.single(b), edge: d.time(pa, b))
        seg = TimeSegment.merge(seg, s.segment(from: na, through: pb), edge: d.time(b, na))
        seg = TimeSegment.merge(seg, d.single(a), edge: d.time(pb, a))
        seg = TimeSegment.merge(seg, s.backward[nb], edge: d.time(a, nb))
        return price(ru, s.routeArcCost[ru] + delta, seg, s.routeLoad[ru]) - s.routeCost[ru]
    }

    mutating func applySwap(_ u: Int, _ v: Int, _ s: inout SearchState) {
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        #if DEBUG
        let expected = s.penalisedCost + (swapDelta(u, v, s) ?? 0)
        #endif
        let pu = Int(s.prev[u])
        let pv = Int(s.prev[v])
        // Unlink both, then link each where the other was. `swapDelta` never prices adjacent jobs
        // (that move is a relocate), so neither is the other's neighbour here.
        s.unlink(u)
        s.unlink(v)
        s.link(v, after: pu)
        s.link(u, after: pv)
        s.refresh(route: ru, cost: evaluator)
        if rv != ru { s.refresh(route: rv, cost: evaluator) }
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "swap mis-priced its move")
        #endif
    }
}
