extension LocalSearch {
    /// 2-opt* between two routes: `u`'s route continues with what followed `v`, and `v`'s route with
    /// what followed `u`; each keeps its own end depot. `u` and `v` may be start depots.
    @inline(__always)
    func swapTailsDelta(_ u: Int, _ v: Int, _ s: borrowing SearchState) -> Int64? {
        let d = data
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        guard ru != rv else { return nil }
        let eu = d.endDepot(ru), ev = d.endDepot(rv)
        let tu = Int(s.next[u]), tv = Int(s.next[v])  // first nodes of the tails (maybe end depots)
        if tu == eu && tv == ev { return nil }
        if tv != ev && !tailFits(tv, route: ru, s) { return nil }
        if tu != eu && !tailFits(tu, route: rv, s) { return nil }
        let lastU = Int(s.prev[eu]), lastV = Int(s.prev[ev])
        // Arc cost of each new route: head up to u, link, tail to its last job, link to own end depot.
        func tailCost(_ t: Int, _ last: Int) -> Int64 { s.cumulativeCost[last] - s.cumulativeCost[t] }
        let newCostU = s.cumulativeCost[u] + (tv == ev ? d.cost(u, eu) : d.cost(u, tv) + tailCost(tv, lastV) + d.cost(lastV, eu))
        let newCostV = s.cumulativeCost[v] + (tu == eu ? d.cost(v, ev) : d.cost(v, tu) + tailCost(tu, lastU) + d.cost(lastU, ev))
        var bound = newCostU + newCostV - s.routeArcCost[ru] - s.routeArcCost[rv] - penaltyPart(ru, s) - penaltyPart(rv, s)
        let emptyU = d.isDepot(u) && tv == ev, emptyV = d.isDepot(v) && tu == eu
        if emptyU { bound -= d.fixedCost[ru] }
        if emptyV { bound -= d.fixedCost[rv] }
        if bound >= 0 { return nil }
        func joined(_ head: Int, _ tail: Int, _ tailEnd: Int, _ end: Int) -> TimeSegment {
            if tail == tailEnd { return TimeSegment.merge(s.forward[head], d.single(end), edge: d.time(head, end)) }
            let last = Int(s.prev[tailEnd])
            let body = TimeSegment.merge(s.forward[head], s.backwardToLast[tail], edge: d.time(head, tail))
            return TimeSegment.merge(body, d.single(end), edge: d.time(last, end))
        }
        let segU = joined(u, tv, ev, eu), segV = joined(v, tu, eu, ev)
        let loadU = s.cumulativeLoad[u] + s.routeLoad[rv] - s.cumulativeLoad[v]
        let loadV = s.cumulativeLoad[v] + s.routeLoad[ru] - s.cumulativeLoad[u]
        let newU = price(ru, newCostU, segU, loadU, empty: emptyU)
        let newV = price(rv, newCostV, segV, loadV, empty: emptyV)
        return newU + newV - s.routeCost[ru] - s.routeCost[rv]
    }

    /// True when route `r`'s vehicle may serve every job from `t` to the end of `t`'s route.
    @inline(__always)
    private func tailFits(_ t: Int, route r: Int, _ s: borrowing SearchState) -> Bool {
        guard s.tailSkills[t] & ~data.vehicleSkills[r] == 0 else { return false }
        guard s.tailPinned[t] else { return true }
        var node = t
        while !data.isDepot(node) {
            if !data.canServe(route: r, job: node) { return false }
            node = Int(s.next[node])
        }
        return true
    }

    mutating func applySwapTails(_ u: Int, _ v: Int, _ s: inout SearchState) {
        let d = data
        let ru = Int(s.routeOf[u]), rv = Int(s.routeOf[v])
        #if DEBUG
        let expected = s.penalisedCost + (swapTailsDelta(u, v, s) ?? 0)
        #endif
        let eu = d.endDepot(ru), ev = d.endDepot(rv)
        let tu = Int(s.next[u]), tv = Int(s.next[v])
        let lastU = Int(s.prev[eu]), lastV = Int(s.prev[ev])
        if tv != ev {
            s.next[u] = Int32(tv); s.prev[tv] = Int32(u)
            s.next[lastV] = Int32(eu); s.prev[eu] = Int32(lastV)
        } else {
            s.next[u] = Int32(eu); s.prev[eu] = Int32(u)
        }
        if tu != eu {
            s.next[v] = Int32(tu); s.prev[tu] = Int32(v)
            s.next[lastU] = Int32(ev); s.prev[ev] = Int32(lastU)
        } else {
            s.next[v] = Int32(ev); s.prev[ev] = Int32(v)
        }
        s.refresh(route: ru, cost: evaluator)
        s.refresh(route: rv, cost: evaluator)
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "2-opt* mis-priced its move")
        #endif
    }
}
