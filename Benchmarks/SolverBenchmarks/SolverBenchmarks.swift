import Benchmark
import Foundation
@_spi(Benchmarks) import RouteSolver

/// Solomon R101 from ../shared when present, else a generated 100-job instance of the same shape.
func benchmarkProblem() -> RoutingProblem {
    let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/instances/solomon/R101.txt")
    if let text = try? String(contentsOf: shared, encoding: .utf8), let instance = try? Instance.parse(text, file: "R101.txt") {
        return instance.problem
    }
    var rng = SeededGenerator(seed: 101)
    var x = [35.0], y = [35.0]
    for _ in 0..<100 { x.append(Double(rng.below(70))); y.append(Double(rng.below(70))) }
    let jobs = (1...100).map { i -> Job in
        let open = Int64(rng.below(2_000)) * 10
        return Job(location: Int32(i), service: 100, windows: [TimeWindow(open, open + 100)], demand: Int64(1 + rng.below(30)))
    }
    let vehicle = Vehicle(start: 0, end: 0, shift: TimeWindow(0, 2_300), capacity: 200)
    // Generated data is valid by construction.
    return try! RoutingProblem(jobs: jobs, vehicles: Array(repeating: vehicle, count: 25),
                               travel: TravelMatrix.dimacs(x: x, y: y))
}

let benchmarks: @Sendable () -> Void = {
    let problem = benchmarkProblem()
    let probe = SearchProbe(problem: problem, seed: 1)
    let config = Benchmark.Configuration(metrics: [.wallClock, .throughput, .mallocCountTotal, .instructions],
                                         scalingFactor: .one, maxDuration: .seconds(3))

    Benchmark("Move pricing: relocate + swap + 2-opt* for every granular pair (R101)", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(probe.priceAllMoves()) }
    }

    Benchmark("Local search: one descent from a perturbed optimum (R101)", configuration: config) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(probe.localSearchDescent()) }
    }

    Benchmark("Solver: 200 iterations, seed 1 (R101)", configuration: .init(metrics: [.wallClock, .mallocCountTotal],
                                                                            maxDuration: .seconds(5), maxIterations: 5)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Solver(problem: problem, options: SolverOptions(seed: 1, iterationLimit: 200)).run().cost)
        }
    }
}
