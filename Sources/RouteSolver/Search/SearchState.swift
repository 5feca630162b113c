/// A solution under search: routes as doubly linked lists over nodes, with every route's forward and
/// backward segments, cumulative distance and load cached per node, so moves price in O(1).
struct SearchState: Sendable {
    let data: SearchData
    var next: [Int32]
    var prev: [Int32]
    /// Route of each node, -1 for unassigned jobs.
    var routeOf: [Int32]
    var position: [Int32]
    /// Segment from the route's start depot through the node, and from the node through the end depot.
    var forward: [TimeSegment]
    var backward: [TimeSegment]
    /// Segment from the node through the route's last job (end depot excluded); for tails moved by 2-opt*.
    var backwardToLast: [TimeSegment]
    /// Arc cost from the start depot to the node, and load up to and including it.
    var cumulativeCost: [Int64]
    var cumulativeLoad: [Int64]
    /// Union of required skills from the node to the end of its route, and whether any is pinned.
    var tailSkills: [UInt64]
    var tailPinned: [Bool]
    /// Per route.
    var routeSize: [Int32]
    var routeLoad: [Int64]
    var routeArcCost: [Int64]
    var routeCost: [Int64]
    var lastModified: [Int]
    /// Per job: the clock when the local search last examined it (kept with the state, so a
    /// candidate derived from this state re-examines only what its changes touched).
    var lastTested: [Int]
    var clock = 0
    /// The clock when the local search last reached a local optimum of this state (-1: never). Every job
    /// assigned then had been examined after every change, so only routes changed since need a look.
    var searchedAt = -1
    /// Per route: the clock when SWAP* last tried it against its neighbouring routes.
    var swapStarTestedAt: [Int]
    /// Routes refreshed and jobs unlinked since ``forgetChanges()``: what ``copyChanges(from:)`` must copy.
    private(set) var changedRoutes: [Int32] = []
    private(set) var changedJobs: [Int32] = []
    private var routeChanged: [Bool]
    private var jobChanged: [Bool]
    var unassignedPenalty: Int64 = 0

    /// All jobs unassigned, all routes empty and priced.
    init(data: SearchData, evaluator: CostEvaluator) {
        self.data = data
        let nodes = data.jobCount + 2 * data.routeCount
        next = Array(repeating: -1, count: nodes); prev = Array(repeating: -1, count: nodes)
        routeOf = Array(repeating: -1, count: nodes); position = Array(repeating: 0, count: nodes)
        let zero = TimeSegment(service: 0, early: 0, late: 0)
        forward = Array(repeating: zero, count: nodes); backward = forward; backwardToLast = forward
        cumulativeCost = Array(repeating: 0, count: nodes); cumulativeLoad = cumulativeCost
        tailSkills = Array(repeating: 0, count: nodes); tailPinned = Array(repeating: false, count: nodes)
        routeSize = Array(repeating: 0, count: data.routeCount)
        routeLoad = Array(repeating: 0, count: data.routeCount)
        routeArcCost = routeLoad; routeCost = routeLoad
        lastModified = Array(repeating: 0, count: data.routeCount)
        lastTested = Array(repeating: -1, count: data.jobCount)
        routeChanged = Array(repeating: false, count: data.routeCount)
        swapStarTestedAt = Array(repeating: -1, count: data.routeCount)
        jobChanged = Array(repeating: false, count: data.jobCount)
        for r in 0..<data.routeCount {
            let s = data.startDepot(r), e = data.endDepot(r)
            next[s] = Int32(e); prev[e] = Int32(s)
            routeOf[s] = Int32(r); routeOf[e] = Int32(r)
        }
        for j in 0..<data.jobCount where data.penalty[j] >= 0 { unassignedPenalty += data.penalty[j] }
        for r in 0..<data.routeCount { refresh(route: r, cost: evaluator) }
    }

    /// Penalised objective: routes plus penalties of unassigned optional jobs.
    var penalisedCost: Int64 { routeCost.reduce(0, +) + unassignedPenalty }

    @inline(__always) func isAssigned(_ j: Int) -> Bool { routeOf[j] >= 0 }

    /// Recomputes every cache of route `r` after its node order changed. O(route length).
    mutating func refresh(route r: Int, cost evaluator: CostEvaluator) {
        let d = data
        var node = d.startDepot(r), pos: Int32 = 0
        forward[node] = d.single(node)
        cumulativeCost[node] = 0
        cumulativeLoad[node] = 0
        position[node] = 0
        while node != d.endDepot(r) {
            let succ = Int(next[node])
            pos += 1
            forward[succ] = TimeSegment.merge(forward[node], d.single(succ), edge: d.time(node, succ))
            cumulativeCost[succ] = cumulativeCost[node] + d.cost(node, succ)
            cumulativeLoad[succ] = cumulativeLoad[node] + d.demand[succ]
            position[succ] = pos
            routeOf[succ] = Int32(r)
            node = succ
        }
        let end = node
        backward[end] = d.single(end)
        tailSkills[end] = 0
        tailPinned[end] = false
        var after = end
        node = Int(prev[end])
        while node >= 0 {
            backward[node] = TimeSegment.merge(d.single(node), backward[after], edge: d.time(node, after))
            if !d.isDepot(node) {
                backwardToLast[node] = after == end ? d.single(node)
                    : TimeSegment.merge(d.single(node), backwardToLast[after], edge: d.time(node, after))
                tailSkills[node] = tailSkills[after] | d.skills[node]
                tailPinned[node] = tailPinned[after] || d.pinned[node] >= 0
            } else {
                tailSkills[node] = tailSkills[after]
                tailPinned[node] = tailPinned[after]
            }
            after = node
            node = Int(prev[node])
        }
        routeSize[r] = pos - 1
        routeLoad[r] = cumulativeLoad[end]
        routeArcCost[r] = cumulativeCost[end]
        routeCost[r] = evaluator.cost(route: r, distance: routeArcCost[r], segment: forward[end], load: routeLoad[r],
                                      empty: pos == 1, data: d)
        clock += 1
        lastModified[r] = clock
        if !routeChanged[r] { routeChanged[r] = true; changedRoutes.append(Int32(r)) }
    }

    /// Re-prices every route, e.g. after the penalty weights changed.
    mutating func reprice(_ evaluator: CostEvaluator) {
        for r in 0..<data.routeCount {
            let end = data.endDepot(r)
            routeCost[r] = evaluator.cost(route: r, distance: routeArcCost[r], segment: forward[end], load: routeLoad[r],
                                          empty: routeSize[r] == 0, data: data)
        }
    }

    // MARK: Editing (callers refresh the routes they touch)

    /// Unlinks job `j` from its route.
    mutating func unlink(_ j: Int) {
        let p = Int(prev[j]), n = Int(next[j])
        next[p] = Int32(n); prev[n] = Int32(p)
        routeOf[j] = -1
        if data.penalty[j] >= 0 { unassignedPenalty += data.penalty[j] }
        if !jobChanged[j] { jobChanged[j] = true; changedJobs.append(Int32(j)) }
    }

    /// Links job `j` right after node `after`.
    mutating func link(_ j: Int, after: Int) {
        let n = Int(next[after])
        next[after] = Int32(j); prev[j] = Int32(after); next[j] = Int32(n); prev[n] = Int32(j)
        routeOf[j] = routeOf[after]
        if data.penalty[j] >= 0 { unassignedPenalty -= data.penalty[j] }
    }

    /// Merges the single segments from `first` through `last` (same route, `first` not after `last`).
    @inline(__always)
    func segment(from first: Int, through last: Int) -> TimeSegment {
        var seg = data.single(first), node = first
        while node != last {
            let succ = Int(next[node])
            seg = TimeSegment.merge(seg, data.single(succ), edge: data.time(node, succ))
            node = succ
        }
        return seg
    }

    // MARK: Copying changes (the solver's candidate and current solution share all but what one
    // iteration touched, so accepting or rejecting copies only that, not the whole state)

    /// Makes the routes `routes` and the placement of `jobs` equal to `source`'s, with every per-route
    /// value. `source` must differ from this state only there.
    ///
    /// When a rejected candidate takes its routes back from the current solution, its newer
    /// `lastTested` stays: the current solution is a local optimum, so every job in it was examined
    /// after the last change of every route it holds, and skipping those pairs is still right.
    mutating func copyChanges(from source: SearchState, routes: [Int32], jobs: [Int32]) {
        for j in jobs where source.routeOf[Int(j)] < 0 { routeOf[Int(j)] = -1 }
        for r in routes {
            var node = data.startDepot(Int(r))
            let end = data.endDepot(Int(r))
            while true {
                next[node] = source.next[node]; prev[node] = source.prev[node]
                routeOf[node] = source.routeOf[node]; position[node] = source.position[node]
                forward[node] = source.forward[node]; backward[node] = source.backward[node]
                backwardToLast[node] = source.backwardToLast[node]
                cumulativeCost[node] = source.cumulativeCost[node]; cumulativeLoad[node] = source.cumulativeLoad[node]
                tailSkills[node] = source.tailSkills[node]; tailPinned[node] = source.tailPinned[node]
                if node == end { break }
                node = Int(source.next[node])
            }
            lastModified[Int(r)] = source.lastModified[Int(r)]
        }
        for r in 0..<data.routeCount {
            routeSize[r] = source.routeSize[r]; routeLoad[r] = source.routeLoad[r]
            routeArcCost[r] = source.routeArcCost[r]; routeCost[r] = source.routeCost[r]
        }
        unassignedPenalty = source.unassignedPenalty
    }

    /// Empties the change lists.
    mutating func forgetChanges() {
        for r in changedRoutes { routeChanged[Int(r)] = false }
        for j in changedJobs { jobChanged[Int(j)] = false }
        changedRoutes.removeAll(keepingCapacity: true)
        changedJobs.removeAll(keepingCapacity: true)
    }

    /// Checks that every cached value equals a fresh recomputation (debug builds and tests).
    func cachesAreConsistent(_ evaluator: CostEvaluator) -> Bool {
        var copy = self
        for r in 0..<data.routeCount { copy.refresh(route: r, cost: evaluator) }
        return copy.routeCost == routeCost && copy.forward == forward && copy.routeLoad == routeLoad
    }
}
