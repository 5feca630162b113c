/// A solution kept aside during the search (the best so far): only its successor links and its cost.
/// Capturing copies one array into storage it already owns, so a new best costs no allocation and
/// leaves the searched state unshared.
struct Snapshot {
    private(set) var next: [Int32]
    private(set) var penalisedCost: Int64

    init(_ s: SearchState) {
        next = s.next.map { $0 }  // storage of its own, so the state stays unshared
        penalisedCost = s.penalisedCost
    }

    mutating func capture(_ s: SearchState) {
        for i in next.indices { next[i] = s.next[i] }
        penalisedCost = s.penalisedCost
    }

    /// Jobs of route `r` in order.
    func jobs(ofRoute r: Int, _ data: SearchData) -> [Int32] {
        var out: [Int32] = []
        var node = Int(next[data.startDepot(r)])
        while node != data.endDepot(r) { out.append(Int32(node)); node = Int(next[node]) }
        return out
    }

    /// The solution as a fresh search state priced by `evaluator` (every job to be examined again).
    func state(_ data: SearchData, evaluator: CostEvaluator) -> SearchState {
        var s = SearchState(data: data, evaluator: evaluator)
        for r in 0..<data.routeCount {
            var after = data.startDepot(r)
            for j in jobs(ofRoute: r, data) { s.link(Int(j), after: after); after = Int(j) }
            s.refresh(route: r, cost: evaluator)
        }
        s.forgetChanges()
        return s
    }
}
