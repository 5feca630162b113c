import Testing
@testable import RouteSolver

@Suite struct InsertionOptionsTests {
    /// Depot at 0, jobs at 1, 3 and 2 on a line (100 per step); one route 0 → 1 → 3 → 0.
    func lineProblem(windowOfNew: TimeWindow = .always) throws -> (RoutingProblem, Solution) {
        let jobs = [Job(location: 1), Job(location: 3), Job(location: 2, windows: windowOfNew == .always ? [] : [windowOfNew])]
        let problem = try RoutingProblem(jobs: jobs, vehicles: [Vehicle(start: 0, end: 0, shift: TimeWindow(0, 1_000))],
                                         travel: lineMatrix(4))
        return (problem, Solution(routes: [Solution.Route(vehicle: 0, jobs: [0, 1])]))
    }

    @Test func everyPositionIsPricedExactly() throws {
        let (problem, solution) = try lineProblem()
        let options = Checker(problem: problem).insertions(of: 2, into: solution)
        // 0 → 1 → 3 → 0 costs 600. Job 2 between 1 and 3, or after 3, costs nothing; first adds 200.
        #expect(options.map(\.position) == [1, 2, 0])
        #expect(options.map(\.costDelta) == [0, 0, 200])
        #expect(options.allSatisfy { $0.isFeasible })
        #expect(options[0].report.starts == [100, 200, 300])
    }

    @Test func infeasiblePositionsComeLastWithTheirViolations() throws {
        // Job 2 must start by 250: after job 3 it would arrive at 400.
        let (problem, solution) = try lineProblem(windowOfNew: TimeWindow(0, 250))
        let options = Checker(problem: problem).insertions(of: 2, into: solution)
        #expect(options.map(\.position) == [1, 0, 2])
        #expect(options.map(\.isFeasible) == [true, true, false])
        #expect(options[2].violations == [.lateStart(job: 2, start: 400, latest: 250)])
    }

    @Test func aWarmStartIsNeverWorsened() throws {
        let problem = randomProblem(seed: 4, jobs: 40, vehicles: 12, tight: false)
        let start = Solver(problem: problem, options: SolverOptions(seed: 1, iterationLimit: 5)).run()
        #expect(start.feasible)
        let warm = Solver(problem: problem, options: SolverOptions(seed: 2, iterationLimit: 0, initial: start.solution)).run()
        #expect(warm.cost <= start.cost)
        let longer = Solver(problem: problem, options: SolverOptions(seed: 2, iterationLimit: 50, initial: start.solution)).run()
        #expect(longer.feasible && longer.cost <= warm.cost)
    }
}
