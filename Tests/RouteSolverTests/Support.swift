@testable import RouteSolver

/// Locations on a line at x = 0, 100, 200, …; depot at 0; durations = distances = 100·|Δi|.
func lineMatrix(_ count: Int) -> TravelMatrix {
    var values = [Int32](repeating: 0, count: count * count)
    for i in 0..<count { for j in 0..<count { values[i * count + j] = Int32(abs(i - j) * 100) } }
    return try! TravelMatrix(count: count, durations: values)
}

/// Random Euclidean instance with windows, demands and a few skills; deterministic for a seed.
func randomProblem(seed: UInt64, jobs: Int, vehicles: Int, tight: Bool = true, skills: Bool = false) -> RoutingProblem {
    var rng = SeededGenerator(seed: seed)
    var x = [50.0], y = [50.0]
    for _ in 0..<jobs { x.append(Double(rng.below(100))); y.append(Double(rng.below(100))) }
    let matrix = TravelMatrix.dimacs(x: x, y: y)
    var list: [Job] = []
    for j in 0..<jobs {
        let open = Int64(rng.below(6_000))
        let width = Int64(tight ? 600 + rng.below(1_500) : 6_000)
        let skill = skills && rng.below(4) == 0 ? SkillSet(bits: 1) : .none
        list.append(Job(location: Int32(j + 1), service: 100, windows: [TimeWindow(open, open + width)],
                        demand: Int64(1 + rng.below(20)), skills: skill))
    }
    let fleet = (0..<vehicles).map { v in
        Vehicle(start: 0, end: 0, shift: TimeWindow(0, 12_000), capacity: 60, skills: SkillSet(bits: v == 0 ? 1 : 0))
    }
    return try! RoutingProblem(jobs: list, vehicles: fleet, travel: matrix)
}

/// A search state over `randomProblem(seed:…)` with every job on a random compatible route at a
/// random position, all routes refreshed.
func randomSearchState(seed: UInt64, evaluator: CostEvaluator) -> (SearchData, SearchState) {
    let problem = randomProblem(seed: seed, jobs: 14, vehicles: 4, tight: seed % 2 == 0, skills: seed % 3 == 0)
    let data = SearchData(problem: problem, neighbourCount: 13)
    var state = SearchState(data: data, evaluator: evaluator)
    var rng = SeededGenerator(seed: seed)
    // Random routes: each job to a random compatible route, in random order.
    var jobs = (0..<data.jobCount).map { $0 }
    jobs.shuffle(using: &rng)
    for j in jobs {
        let allowed = (0..<data.routeCount).filter { data.canServe(route: $0, job: j) }
        let r = allowed[rng.below(allowed.count)]
        // After a random node of the route.
        var nodes = [data.startDepot(r)]
        var n = Int(state.next[data.startDepot(r)])
        while n != data.endDepot(r) { nodes.append(n); n = Int(state.next[n]) }
        state.link(j, after: nodes[rng.below(nodes.count)])
    }
    for r in 0..<data.routeCount { state.refresh(route: r, cost: evaluator) }
    return (data, state)
}
