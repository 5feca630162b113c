@testable import RouteSolver
import Testing

/// The solver edits one candidate in place and copies only what an iteration touched: into the
/// current solution when accepted, back from it when not. Both must give the state a full copy gives.
@Suite struct StateSyncTests {
    /// Same routes, same caches on every routed node, same unassigned jobs, same per-route values.
    func same(_ a: SearchState, _ b: SearchState) -> Bool {
        let d = a.data
        for node in 0..<(d.jobCount + 2 * d.routeCount) {
            guard a.routeOf[node] == b.routeOf[node] else { return false }
            if a.routeOf[node] < 0 { continue }
            guard a.next[node] == b.next[node], a.prev[node] == b.prev[node], a.position[node] == b.position[node],
                  a.forward[node] == b.forward[node], a.backward[node] == b.backward[node],
                  d.isDepot(node) || a.backwardToLast[node] == b.backwardToLast[node],
                  a.cumulativeCost[node] == b.cumulativeCost[node], a.cumulativeLoad[node] == b.cumulativeLoad[node],
                  a.tailSkills[node] == b.tailSkills[node], a.tailPinned[node] == b.tailPinned[node]
            else { return false }
        }
        return a.routeSize == b.routeSize && a.routeLoad == b.routeLoad && a.routeArcCost == b.routeArcCost
            && a.routeCost == b.routeCost && a.unassignedPenalty == b.unassignedPenalty
    }

    @Test(arguments: 1...10)
    func acceptingOrRejectingCopiesExactlyWhatChanged(seed: UInt64) {
        let evaluator = CostEvaluator(timeWarpPenalty: 10, loadPenalty: 10)
        var (data, current) = randomSearchState(seed: seed, evaluator: evaluator)
        var rng = SeededGenerator(seed: seed)
        var search = LocalSearch(data: data, evaluator: evaluator)
        search.run(&current, rng: &rng)
        current.forgetChanges()

        var candidate = current
        let removed = Ruin(data: data, averageRemoved: 4).apply(to: &candidate, evaluator: evaluator, rng: &rng)
        #expect(!removed.isEmpty)
        // One removed job stays out, so a job that left every route is copied too.
        var insertion = Insertion(data: data, evaluator: evaluator)
        insertion.insert(Array(removed.dropLast()), into: &candidate, rng: &rng)
        search.run(&candidate, rng: &rng)
        #expect(candidate.routeOf[Int(removed[removed.count - 1])] < 0)
        #expect(!same(candidate, current))

        var accepted = current
        accepted.copyChanges(from: candidate, routes: candidate.changedRoutes, jobs: candidate.changedJobs)
        #expect(same(accepted, candidate))
        #expect(accepted.cachesAreConsistent(evaluator))

        var rejected = candidate
        rejected.copyChanges(from: current, routes: candidate.changedRoutes, jobs: candidate.changedJobs)
        #expect(same(rejected, current))
        #expect(rejected.cachesAreConsistent(evaluator))
    }

    @Test(arguments: 1...5)
    func aSnapshotRebuildsTheSameSolution(seed: UInt64) {
        let evaluator = CostEvaluator(timeWarpPenalty: 10, loadPenalty: 10)
        var (data, state) = randomSearchState(seed: seed, evaluator: evaluator)
        var rng = SeededGenerator(seed: seed)
        state.unlink(3)  // an unassigned job stays unassigned in the rebuilt state
        for r in 0..<data.routeCount { state.refresh(route: r, cost: evaluator) }
        var snapshot = Snapshot(state)
        var other = state
        var search = LocalSearch(data: data, evaluator: evaluator)
        search.run(&other, rng: &rng)
        snapshot.capture(other)
        let rebuilt = snapshot.state(data, evaluator: evaluator)
        #expect(same(rebuilt, other))
        #expect(rebuilt.penalisedCost == other.penalisedCost)
        #expect(snapshot.penalisedCost == other.penalisedCost)
        #expect(rebuilt.routeOf[3] < 0 || other.routeOf[3] >= 0)
    }
}
