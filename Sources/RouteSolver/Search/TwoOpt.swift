extension LocalSearch {
    /// Intra-route 2-opt: reverse the jobs from `next(u)` through `v` (`u` before `v`, same route).
    /// O(length of the reversed part) when it may improve: the reversed segment's times and, for
    /// asymmetric costs, its arc costs are recomputed.
    @inline(__always)
    func twoOptDelta(_ u: Int, _ v: Int, _ s: borrowing SearchState) -> Int64? {
        let d = data
        let r = Int(s.routeOf[u])
        guard r == Int(s.routeOf[v]), s.position[u] < s.position[v] else { return nil }
        let first = Int(s.next[u])
        guard first != v else { return nil }  // reversing one job changes nothing
        let after = Int(s.next[v])
        let oldInner = s.cumulativeCost[v] - s.cumulativeCost[first]
        let ends = d.cost(u, v) + d.cost(first, after) - d.cost(u, first) - d.cost(v, after)
        // With symmetric costs the reversed part costs what it did, so hopeless moves are dropped before the walk.
        if d.symmetricCost && ends - penaltyPart(r, s) >= 0 { return nil }
        // Arc cost and times of the reversed inner part: walk it backwards.
        var inner: Int64 = 0
        var node = v
        var seg = d.single(v)
        while node != first {
            let before = Int(s.prev[node])
            inner += d.cost(node, before)
            seg = TimeSegment.merge(seg, d.single(before), edge: d.time(node, before))
            node = before
        }
        let delta = ends + inner - oldInner
        if delta - penaltyPart(r, s) >= 0 { return nil }
        let full = TimeSegment.merge(TimeSegment.merge(s.forward[u], seg, edge: d.time(u, v)), s.backward[after],
                                     edge: d.time(first, after))
        return price(r, s.routeArcCost[r] + delta, full, s.routeLoad[r]) - s.routeCost[r]
    }

    mutating func applyTwoOpt(_ u: Int, _ v: Int, _ s: inout SearchState) {
        let r = Int(s.routeOf[u])
        #if DEBUG
        let expected = s.penalisedCost + (twoOptDelta(u, v, s) ?? 0)
        #endif
        let first = Int(s.next[u]), after = Int(s.next[v])
        // Reverse in place: swap each inner node's links, then reattach both ends.
        var node = first
        while true {
            let following = Int(s.next[node])
            let p = s.prev[node]
            s.prev[node] = s.next[node]
            s.next[node] = p
            if node == v { break }
            node = following
        }
        s.next[u] = Int32(v); s.prev[v] = Int32(u)
        s.next[first] = Int32(after); s.prev[after] = Int32(first)
        s.refresh(route: r, cost: evaluator)
        noteApplied()
        #if DEBUG
        assert(s.penalisedCost == expected, "2-opt mis-priced its move")
        #endif
    }
}
