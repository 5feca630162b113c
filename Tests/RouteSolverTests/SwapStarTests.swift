@testable import RouteSolver
import Testing

/// SWAP*: exact prices equal recomputation; the sweep skips only route pairs that would find nothing.
@Suite struct SwapStarTests {
    /// Nodes a job may be inserted after in route `r` once `out` has left: the start depot and every job but `out`.
    func positions(_ s: SearchState, route r: Int, without out: Int) -> [Int] {
        var nodes = [s.data.startDepot(r)]
        var n = Int(s.next[s.data.startDepot(r)])
        while !s.data.isDepot(n) {
            if n != out { nodes.append(n) }
            n = Int(s.next[n])
        }
        return nodes
    }

    @Test(arguments: 1...8)
    func exactPricesMatchRecomputation(seed: UInt64) {
        let evaluator = CostEvaluator(timeWarpPenalty: 3, loadPenalty: 7)
        let (data, state) = randomSearchState(seed: seed, evaluator: evaluator)
        let ls = LocalSearch(data: data, evaluator: evaluator)
        var checked = 0
        for u in 0..<data.jobCount {
            for v in 0..<data.jobCount where state.routeOf[v] != state.routeOf[u] {
                let ru = Int(state.routeOf[u]), rv = Int(state.routeOf[v])
                for afterV in positions(state, route: ru, without: u) {
                    for afterU in positions(state, route: rv, without: v) {
                        let move = LocalSearch.StarMove(u: u, afterU: afterU, v: v, afterV: afterV)
                        var copy = state
                        var lsCopy = ls
                        lsCopy.applySwapStar(move, &copy)
                        for r in 0..<data.routeCount { copy.refresh(route: r, cost: evaluator) }
                        #expect(ls.exactSwapStarDelta(move, state) == copy.penalisedCost - state.penalisedCost,
                                "SWAP* \(u) after \(afterU), \(v) after \(afterV)")
                        #expect(copy.routeOf[u] == Int32(rv) && copy.routeOf[v] == Int32(ru))
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 500)
    }

    @Test(arguments: 1...8)
    func aConvergedSearchLeavesNoMoveToSkippedPairs(seed: UInt64) {
        let evaluator = CostEvaluator(timeWarpPenalty: 10, loadPenalty: 10)
        var (data, state) = randomSearchState(seed: seed, evaluator: evaluator)
        var rng = SeededGenerator(seed: seed)
        var search = LocalSearch(data: data, evaluator: evaluator)
        let before = state.penalisedCost
        search.run(&state, rng: &rng)
        #expect(state.penalisedCost <= before)
        #expect(state.cachesAreConsistent(evaluator))
        // Nothing changed since the last sweep: every pair is skipped.
        var again = state
        let skippedAll = !search.swapStarSweep(&again)
        #expect(skippedAll)
        // Trying every pair afresh finds nothing either: the skipped pairs had nothing to give.
        for r in 0..<data.routeCount { again.swapStarTestedAt[r] = -1 }
        let foundNothing = !search.swapStarSweep(&again)
        #expect(foundNothing)
        #expect(again.penalisedCost == state.penalisedCost)
    }
}
