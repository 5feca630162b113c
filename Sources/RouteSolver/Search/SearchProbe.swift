/// Entry points into the search internals for package-benchmark (`Benchmarks/SolverBenchmarks`):
/// pricing every granular move once, and one local-search descent from a fixed perturbed start.
@_spi(Benchmarks)
public struct SearchProbe {
    let data: SearchData
    let evaluator: CostEvaluator
    let start: SearchState
    var rng: SeededGenerator

    /// Builds the search data and a local optimum perturbed by one ruin-and-recreate, all from `seed`.
    public init(problem: RoutingProblem, seed: UInt64 = 1) {
        data = SearchData(problem: problem)
        evaluator = CostEvaluator(timeWarpPenalty: 10, loadPenalty: 10)
        rng = SeededGenerator(seed: seed)
        var state = SearchState(data: data, evaluator: evaluator)
        var insertion = Insertion(data: data, evaluator: evaluator)
        insertion.insert((0..<Int32(data.jobCount)).map { $0 }, into: &state, rng: &rng)
        var search = LocalSearch(data: data, evaluator: evaluator)
        search.run(&state, rng: &rng)
        let removed = Ruin(data: data).apply(to: &state, evaluator: evaluator, rng: &rng)
        insertion.insert(removed, into: &state, rng: &rng)
        for k in state.lastTested.indices { state.lastTested[k] = -1 }
        state.searchedAt = -1
        start = state
    }

    /// Prices relocate, swap and 2-opt* for every job and each of its neighbours; returns how many
    /// moves would improve (so the work cannot be optimised away).
    public func priceAllMoves() -> Int {
        let search = LocalSearch(data: data, evaluator: evaluator)
        var improving = 0
        for u in 0..<data.jobCount where start.routeOf[u] >= 0 {
            let base = u * data.neighbourCount
            for k in 0..<data.neighbourCount {
                let v = Int(data.neighbours[base + k])
                guard start.routeOf[v] >= 0 else { continue }
                if let d = search.relocateDelta(u, after: v, start), d < 0 { improving += 1 }
                if let d = search.swapDelta(u, v, start), d < 0 { improving += 1 }
                if let d = search.swapTailsDelta(u, v, start), d < 0 { improving += 1 }
            }
        }
        return improving
    }

    /// Move evaluations `priceAllMoves()` performs.
    public var movesPerPricing: Int { 3 * data.jobCount * data.neighbourCount }

    /// One full local-search descent from the perturbed start; returns the moves applied.
    public func localSearchDescent() -> Int {
        var state = start
        var rng = self.rng
        var search = LocalSearch(data: data, evaluator: evaluator)
        search.run(&state, rng: &rng)
        return search.movesApplied
    }
}
