@testable import RouteSolver
import Testing

/// Every O(1) move price equals the cost difference after applying the move and recomputing
/// the routes from scratch, on random small instances.
@Suite struct MoveDeltaTests {
    /// Applies an edit on a copy, recomputes all routes and returns the true cost change.
    func trueDelta(_ state: SearchState, _ evaluator: CostEvaluator, _ edit: (inout SearchState) -> Void) -> Int64 {
        var copy = state
        edit(&copy)
        for r in 0..<copy.data.routeCount { copy.refresh(route: r, cost: evaluator) }
        return copy.penalisedCost - state.penalisedCost
    }

    @Test(arguments: 1...12)
    func pricesMatchRecomputation(seed: UInt64) {
        // Huge penalties make every lower-bound skip exact: a returned delta must equal the truth.
        let evaluator = CostEvaluator(timeWarpPenalty: 3, loadPenalty: 7)
        let (data, state) = randomSearchState(seed: seed, evaluator: evaluator)
        let ls = LocalSearch(data: data, evaluator: evaluator)
        var checked = 0
        for u in 0..<data.jobCount {
            for v in 0..<(data.jobCount + 2 * data.routeCount) where v != u {
                let isEnd = data.isDepot(v) && (v - data.jobCount) % 2 == 1
                if isEnd { continue }
                if let delta = ls.relocateDelta(u, after: v, state) {
                    let truth = trueDelta(state, evaluator) { s in s.unlink(u); s.link(u, after: v) }
                    #expect(delta == truth, "relocate \(u) after \(v)")
                    checked += 1
                }
                if !data.isDepot(v), let delta = ls.swapDelta(u, v, state) {
                    var lsCopy = ls
                    let truth = trueDelta(state, evaluator) { s in lsCopy.applySwap(u, v, &s) }
                    #expect(delta == truth, "swap \(u) \(v)")
                    checked += 1
                }
                if let delta = ls.relocatePairDelta(u, after: v, state) {
                    var lsCopy = ls
                    let truth = trueDelta(state, evaluator) { s in lsCopy.applyRelocatePair(u, after: v, &s) }
                    #expect(delta == truth, "or-opt \(u) after \(v)")
                    checked += 1
                }
                if !data.isDepot(v), let delta = ls.twoOptDelta(u, v, state) {
                    var lsCopy = ls
                    let truth = trueDelta(state, evaluator) { s in lsCopy.applyTwoOpt(u, v, &s) }
                    #expect(delta == truth, "2-opt \(u) \(v)")
                    checked += 1
                }
                if let delta = ls.swapTailsDelta(u, v, state) {
                    var lsCopy = ls
                    let truth = trueDelta(state, evaluator) { s in lsCopy.applySwapTails(u, v, &s) }
                    #expect(delta == truth, "2-opt* \(u) \(v)")
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
    }

    @Test func segmentMergeIsAssociative() {
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<2_000 {
            func random() -> TimeSegment {
                let e = Int64(rng.below(1_000))
                return TimeSegment(service: Int64(rng.below(50)), early: e, late: e + Int64(rng.below(300)))
            }
            let a = random(), b = random(), c = random()
            let e1 = Int64(rng.below(200)), e2 = Int64(rng.below(200))
            let left = TimeSegment.merge(TimeSegment.merge(a, b, edge: e1), c, edge: e2)
            let right = TimeSegment.merge(a, TimeSegment.merge(b, c, edge: e2), edge: e1)
            #expect(left.duration == right.duration && left.timeWarp == right.timeWarp)
        }
    }
}
