import ArgumentParser
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "solve",
            abstract: "Solve a benchmark instance (Solomon, VRPLIB VRPTW or VROOM JSON) without a database.",
            discussion: """
            Distances follow the DIMACS convention (Euclidean, truncated to one decimal). The result is \
            checked from scratch by an independent checker before it is printed.

            A .json file is a VROOM problem (vehicles, jobs, matrices): the answer is VROOM's output JSON \
            (code, summary, unassigned, routes with steps). Keys FieldRoute cannot honour are refused \
            with their path; README, "VROOM JSON", lists the supported ones. Locations given as coordinates \
            (vehicles' start and end, jobs' location, no matrices) take their matrices from the OSRM server \
            --osrm names, as vroom -r osrm does.

            Examples:
              fieldroute solve ../shared/instances/solomon/C101.txt --time-limit 5
              fieldroute solve R1_10_1.vrp --iterations 20000 --seed 7 --bks R1_10_1.sol --json
              fieldroute solve problem.json --time-limit 5 > answer.json
              fieldroute solve located.json --osrm http://127.0.0.1:5000
            """)

        @Argument(help: ArgumentHelp("Instance file: Solomon .txt or VRPLIB .vrp.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("Stop after this many seconds.", valueName: "s")) var timeLimit: Double?
        @Option(help: ArgumentHelp("Stop after this many iterations (deterministic for a seed).", valueName: "n"))
        var iterations: Int?
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Best-known solution (.sol) to report the gap against.", valueName: "file.sol"))
        var bks: String?
        @Flag(help: "Print JSON: routes as lists of customer numbers as in the instance file.") var json = false
        @Option(help: ArgumentHelp("An OSRM server for a VROOM problem whose locations are coordinates.", valueName: "url"))
        var osrm: String?
        // Search tuning, for benchmark studies (see SearchTuning); hidden from --help.
        @Option(help: .hidden) var startTemperature: Double?
        @Option(help: .hidden) var endTemperature: Double?
        @Option(help: .hidden) var averageRemoved: Double?
        @Option(help: .hidden) var restartAfter: Int?

        func validate() throws {
            if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit wants a positive number of seconds.") }
            if let iterations, iterations <= 0 { throw ValidationError("--iterations wants a positive whole number.") }
        }

        func run() throws {
            if file.lowercased().hasSuffix(".json") { try solveVroom(); return }
            guard osrm == nil else { throw ValidationError("--osrm is for VROOM JSON whose locations are coordinates.") }
            let instance = try BenchmarkRun.readInstance(path: file)
            let bksFile = try bks.map { try BenchmarkRun.readSolution(path: $0) }
            let limit = timeLimit ?? (iterations == nil ? 10 : nil)
            let terminal = isatty(STDERR_FILENO) != 0
            let overrides = BenchmarkRun.Overrides(startTemperature: startTemperature, endTemperature: endTemperature,
                                                   averageRemoved: averageRemoved, restartAfter: restartAfter)
            let result = BenchmarkRun.solve(instance, seed: seed, timeLimit: limit, iterations: iterations, overrides: overrides) { p in
                guard terminal else { return }
                let line = progressLine(iteration: p.iteration, seconds: p.elapsedSeconds, best: Double(p.bestCost) / 10,
                                        feasible: p.feasible, bks: bksFile?.cost)
                FileHandle.standardError.write(Data(line.utf8))
            }
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            let report = result.report(bks: bksFile)
            if json { try printJSON(report); return }
            print(report.text)
        }

        private func solveVroom() throws {
            guard bks == nil else { throw ValidationError("--bks is for Solomon and VRPLIB files, not VROOM JSON.") }
            guard let data = FileManager.default.contents(atPath: file) else { throw FieldRouteError.badInput("\(file): cannot read the file") }
            let router = try osrm.map { address throws(FieldRouteError) in try VroomRouter(osrm: address) }
            print(try VroomProblem.parse(data, file: file, router: router).answerText(seed: seed, timeLimit: timeLimit, iterations: iterations))
        }

        /// One updating line: iterations, the best cost so far and, once feasible with a BKS, its gap.
        private func progressLine(iteration: Int, seconds: Double, best: Double, feasible: Bool, bks: Double?) -> String {
            var line = String(format: "\riteration %d  %.0f s  best %.1f  ", iteration, seconds, best)
            if !feasible { line += "infeasible" } else if let bks, bks > 0 {
                line += String(format: "gap %+.2f %%", (best - bks) / bks * 100)
            } else { line += "feasible" }
            return line + "   "
        }
    }
}
