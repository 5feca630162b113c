#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How long and how the solver searches.
public struct SolverOptions: Sendable {
    public var seed: UInt64
    /// Stop after this many ruin-and-recreate iterations; with a seed, the result is reproducible.
    public var iterationLimit: Int?
    /// Stop after this many seconds (wall clock).
    public var timeLimit: Double?
    /// Granular neighbourhood size.
    public var neighbourCount: Int
    public var tuning: SearchTuning
    /// A solution to start from (re-optimising a day in progress): its routes are kept as they are,
    /// jobs it leaves out are inserted greedily, then the search improves on it. The result is never
    /// worse than this start when the start is feasible.
    public var initial: Solution?

    public init(seed: UInt64 = 1, iterationLimit: Int? = nil, timeLimit: Double? = nil, neighbourCount: Int = 40,
                tuning: SearchTuning = SearchTuning(), initial: Solution? = nil) {
        self.seed = seed; self.iterationLimit = iterationLimit; self.timeLimit = timeLimit
        self.neighbourCount = neighbourCount; self.tuning = tuning; self.initial = initial
    }
}

/// The metaheuristic's knobs; the defaults were chosen on the Solomon set (Benchmarks/solver_quality.py).
public struct SearchTuning: Sendable, Equatable {
    /// Simulated-annealing temperature at the start and at the end, as a share of the average arc cost
    /// of the first solution; it falls geometrically in between.
    public var startTemperature: Double = 5
    /// The start temperature above `longRouteRuinAbove` jobs when routes average `longRoute` jobs or
    /// more. Measured on the Gehring–Homberger `_1` instances at 60 s (seed 1, single runs, ±0.4
    /// points run to run): 10 instead of 5 took R2 from 0.79 to 0.48–0.89 %, RC2 1.15 → 0.72–0.90 %;
    /// on RC1 (routes of ~10 jobs) it gave 2.74–3.32 % against 2.44–2.82 %; 20 was worse on R2 and RC2.
    public var longRouteStartTemperature: Double = 10
    /// Jobs per route from which a large instance counts as having long routes.
    public var longRoute: Double = 20
    public var endTemperature: Double = 0.02
    /// Average number of jobs one ruin removes (capped at a fifth of the jobs).
    public var averageRemoved: Double = 10
    /// Iterations without a new best after which the search continues from the best solution.
    public var restartAfter: Int = 3_000
    /// Above this many jobs the ruin grows to half the average route length (at most 30).
    public var longRouteRuinAbove: Int = 200
    /// The local search adds SWAP* when the first solution's routes average fewer jobs than this. Its
    /// work grows with the product of two routes' lengths. Measured at 60 s, seed 1, against the same
    /// build without it: RC1_10_1 2.58 → 2.23 %, R1_10_2 2.60 → 2.16 % with half the iterations, but
    /// R2_10_4 3.01 → 4.91 %, RC2_10_4 3.30 → 5.77 %, R2_10_1 0.92 → 1.11 % (routes of 30+ jobs).
    public var swapStarBelow: Double = 20

    public init() {}
}

/// A progress report, sent on every new best and every few hundred iterations.
public struct SolverProgress: Sendable {
    public var iteration: Int
    /// Objective of the best feasible solution, or the penalised cost while none is known.
    public var bestCost: Int64
    public var feasible: Bool
    public var elapsedSeconds: Double
}

/// What the solver found.
public struct SolverResult: Sendable {
    public var solution: Solution
    /// Objective as the ``Checker`` counts it (when feasible).
    public var cost: Int64
    public var feasible: Bool
    public var iterations: Int
    public var elapsedSeconds: Double
    /// Local-search moves applied: a deterministic measure of work.
    public var movesApplied: Int
}

/// Iterated local search with ruin and recreate (SISR strings + greedy insertion with blinks), a
/// granular local search (relocate, swap, or-opt, 2-opt, 2-opt*, and SWAP* when routes are short)
/// priced in O(1) from route segments with time-warp and load penalties that adapt to keep about half
/// the candidates feasible, and simulated-annealing acceptance.
///
///     let result = Solver(problem: problem, options: SolverOptions(seed: 1, timeLimit: 5)).run()
///     Checker(problem: problem).check(result.solution).isFeasible
public struct Solver: Sendable {
    public let problem: RoutingProblem
    public let options: SolverOptions

    public init(problem: RoutingProblem, options: SolverOptions = SolverOptions(iterationLimit: 2_000)) {
        self.problem = problem; self.options = options
    }

    public func run(progress: ((SolverProgress) -> Void)? = nil) -> SolverResult {
        let clock = ContinuousClock(), started = clock.now
        func elapsed() -> Double {
            let d = clock.now - started
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let data = SearchData(problem: problem, neighbourCount: options.neighbourCount)
        var rng = SeededGenerator(seed: options.seed)
        var evaluator = CostEvaluator(timeWarpPenalty: 10, loadPenalty: initialLoadPenalty(data))
        var search = LocalSearch(data: data, evaluator: evaluator)
        search.useSwapStar = false
        var insertion = Insertion(data: data, evaluator: evaluator)
        var ruin = Ruin(data: data, averageRemoved: min(options.tuning.averageRemoved, max(2, Double(data.jobCount) / 5)))

        var current = SearchState(data: data, evaluator: evaluator)
        var all = (0..<Int32(data.jobCount)).map { $0 }
        all.shuffle(using: &rng)
        if let initial = options.initial {
            var placed = [Bool](repeating: false, count: data.jobCount)
            for route in initial.routes where route.vehicle >= 0 && Int(route.vehicle) < data.routeCount {
                var after = data.startDepot(Int(route.vehicle))
                for j in route.jobs where j >= 0 && Int(j) < data.jobCount && !placed[Int(j)] {
                    current.link(Int(j), after: after)
                    placed[Int(j)] = true
                    after = Int(j)
                }
                current.refresh(route: Int(route.vehicle), cost: evaluator)
            }
            all.removeAll { placed[Int($0)] }
        }
        insertion.insert(all, into: &current, rng: &rng)
        let start = current
        search.run(&current, rng: &rng)

        var longRoutes = false
        let used = max(1, current.routeSize.filter { $0 > 0 }.count)
        let averageSize = Double(data.jobCount) / Double(used)
        search.useSwapStar = averageSize < options.tuning.swapStarBelow
        if data.jobCount > options.tuning.longRouteRuinAbove {
            // Long routes want bigger ruins: measured on R2_10_1 (routes of ~50 jobs), 25 removed gave
            // 1.2 % at 30 s against 3.9 % with 10; on short routes (RC1_10_1) 10 stays better.
            ruin.averageRemoved = max(ruin.averageRemoved, min(30, averageSize / 2))
            longRoutes = averageSize >= options.tuning.longRoute
        }
        var best: Snapshot? = isFeasible(current) ? Snapshot(current) : nil
        if options.initial != nil, isFeasible(start), best.map({ start.penalisedCost < $0.penalisedCost }) ?? true {
            best = Snapshot(start)
        }
        var bestInfeasible = Snapshot(current)
        let arcs = Double(max(1, data.jobCount + data.routeCount))
        let averageArc = Double(current.routeArcCost.reduce(0, +)) / arcs
        let tuning = options.tuning
        let startTemperature = max(1, (longRoutes ? tuning.longRouteStartTemperature : tuning.startTemperature) * averageArc)
        let endTemperature = max(0.1, tuning.endTemperature * averageArc)
        var recentFeasible = 0, recentCount = 0
        var iteration = 0, lastImprovement = 0
        // The candidate is edited in place; each iteration copies only the routes it touched, into
        // `current` when accepted or back from it when not.
        current.forgetChanges()
        var candidate = current

        func report(_ force: Bool) {
            guard let progress, force || iteration % 500 == 0 else { return }
            let cost = best.map(\.penalisedCost) ?? bestInfeasible.penalisedCost
            progress(SolverProgress(iteration: iteration, bestCost: cost, feasible: best != nil, elapsedSeconds: elapsed()))
        }
        report(true)

        while true {
            let fraction: Double
            if let limit = options.iterationLimit {
                if iteration >= limit { break }
                fraction = Double(iteration) / Double(limit)
            } else if let limit = options.timeLimit {
                let t = elapsed()
                if t >= limit { break }
                fraction = t / limit
            } else { break }
            if let limit = options.timeLimit, options.iterationLimit != nil, elapsed() >= limit { break }
            iteration += 1

            var removed = ruin.apply(to: &candidate, evaluator: evaluator, rng: &rng)
            sortForInsertion(&removed, data: data, rng: &rng)
            insertion.insert(removed, into: &candidate, rng: &rng)
            search.run(&candidate, rng: &rng)

            let feasible = isFeasible(candidate)
            if feasible {
                recentFeasible += 1
                if best == nil || candidate.penalisedCost < best?.penalisedCost ?? .max {
                    if best == nil { best = Snapshot(candidate) } else { best?.capture(candidate) }
                    lastImprovement = iteration
                    report(true)
                }
            } else if best == nil && candidate.penalisedCost < bestInfeasible.penalisedCost {
                bestInfeasible.capture(candidate)
            }
            recentCount += 1

            let temperature = startTemperature * pow(endTemperature / startTemperature, fraction)
            let threshold = -temperature * log(max(rng.unit(), 1e-12))
            if Double(candidate.penalisedCost) < Double(current.penalisedCost) + threshold {
                current.copyChanges(from: candidate, routes: candidate.changedRoutes, jobs: candidate.changedJobs)
            } else {
                candidate.copyChanges(from: current, routes: candidate.changedRoutes, jobs: candidate.changedJobs)
            }
            candidate.forgetChanges()
            if iteration - lastImprovement >= options.tuning.restartAfter, let best {
                // Stuck: continue from the best solution, priced with today's penalties.
                let restart = best.state(data, evaluator: evaluator)
                current = restart
                candidate = restart
                lastImprovement = iteration
            }

            if recentCount == 20 {
                // Aim for about half the candidates feasible (Vidal's target is 0.43 for HGS).
                let share = Double(recentFeasible) / Double(recentCount)
                if share < 0.3 {
                    evaluator.timeWarpPenalty = min(100_000, evaluator.timeWarpPenalty * 13 / 10 + 1)
                    evaluator.loadPenalty = min(100_000, evaluator.loadPenalty * 13 / 10 + 1)
                } else if share > 0.6 {
                    evaluator.timeWarpPenalty = max(1, evaluator.timeWarpPenalty * 85 / 100)
                    evaluator.loadPenalty = max(1, evaluator.loadPenalty * 85 / 100)
                }
                search.evaluator = evaluator
                insertion.evaluator = evaluator
                current.reprice(evaluator)
                candidate.reprice(evaluator)
                recentFeasible = 0; recentCount = 0
            }
            report(false)
        }

        let final = best ?? bestInfeasible
        let routes = (0..<data.routeCount).map { Solution.Route(vehicle: Int32($0), jobs: final.jobs(ofRoute: $0, data)) }
        let solution = Solution(routes: routes)
        let check = Checker(problem: problem).check(solution)
        return SolverResult(solution: solution, cost: check.cost, feasible: check.isFeasible, iterations: iteration,
                            elapsedSeconds: elapsed(), movesApplied: search.movesApplied)
    }

    private func initialLoadPenalty(_ d: SearchData) -> Int64 {
        let maxArc = Int64(d.arcCost.max() ?? 1)
        let maxDemand = max(1, d.demand.max() ?? 1)
        return max(1, maxArc / maxDemand)
    }

    private func isFeasible(_ s: SearchState) -> Bool {
        let d = s.data
        for r in 0..<d.routeCount where s.routeSize[r] > 0 {
            let seg = s.forward[d.endDepot(r)]
            if seg.timeWarp > 0 || seg.duration > d.maxDuration[r] || s.routeLoad[r] > d.capacity[r] { return false }
        }
        for j in 0..<d.jobCount where s.routeOf[j] < 0 && d.penalty[j] < 0 { return false }
        return true
    }

    /// SISR's insertion orders: random, by demand, far from the depot first, by window opening.
    private func sortForInsertion(_ jobs: inout [Int32], data d: SearchData, rng: inout SeededGenerator) {
        let pick = rng.below(11)
        switch pick {
        case 0..<4: jobs.shuffle(using: &rng)
        case 4..<8: jobs.sort { d.demand[Int($0)] > d.demand[Int($1)] || (d.demand[Int($0)] == d.demand[Int($1)] && $0 < $1) }
        case 8..<10:
            let depot = d.startDepot(0)
            jobs.sort { d.cost(depot, Int($0)) > d.cost(depot, Int($1)) || (d.cost(depot, Int($0)) == d.cost(depot, Int($1)) && $0 < $1) }
        default: jobs.sort { d.early[Int($0)] < d.early[Int($1)] || (d.early[Int($0)] == d.early[Int($1)] && $0 < $1) }
        }
    }
}

