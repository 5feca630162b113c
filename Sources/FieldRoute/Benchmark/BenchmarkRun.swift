import Foundation
import RouteSolver

/// `fieldroute solve`: reads a benchmark instance, solves it, checks the result from scratch and
/// reports it against a best-known solution.
public enum BenchmarkRun {
    public static func readInstance(path: String) throws(FieldRouteError) -> Instance {
        do { return try Instance.parse(try readText(path), file: path) } catch let error as InstanceError {
            throw .instance(error)
        } catch { throw .instance(InstanceError(file: path, line: 0, reason: "cannot read the file")) }
    }

    public static func readSolution(path: String) throws(FieldRouteError) -> SolutionFile {
        do { return try SolutionFile.parse(try readText(path), file: path) } catch let error as InstanceError {
            throw .instance(error)
        } catch { throw .instance(InstanceError(file: path, line: 0, reason: "cannot read the file")) }
    }

    private static func readText(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw InstanceError(file: path, line: 0, reason: "not text")
        }
        return text
    }

    /// Search parameters to try instead of the tuned ones (nil keeps each), for tuning experiments.
    public struct Overrides: Sendable {
        public var startTemperature: Double?, endTemperature: Double?, averageRemoved: Double?, restartAfter: Int?
        public init(startTemperature: Double? = nil, endTemperature: Double? = nil, averageRemoved: Double? = nil,
                    restartAfter: Int? = nil) {
            self.startTemperature = startTemperature; self.endTemperature = endTemperature
            self.averageRemoved = averageRemoved; self.restartAfter = restartAfter
        }
    }

    public static func solve(_ instance: Instance, seed: UInt64, timeLimit: Double?, iterations: Int?,
                             overrides: Overrides = Overrides(), progress: ((SolverProgress) -> Void)? = nil) -> Outcome {
        var tuning = SearchTuning()
        if let t = overrides.startTemperature { tuning.startTemperature = t; tuning.longRouteStartTemperature = t }
        if let t = overrides.endTemperature { tuning.endTemperature = t }
        if let r = overrides.averageRemoved { tuning.averageRemoved = r }
        if let n = overrides.restartAfter { tuning.restartAfter = n }
        let options = SolverOptions(seed: seed, iterationLimit: iterations, timeLimit: timeLimit, tuning: tuning)
        let result = Solver(problem: instance.problem, options: options).run(progress: progress)
        return Outcome(instance: instance, result: result)
    }

    /// A solved instance.
    public struct Outcome: Sendable {
        public var instance: Instance
        public var result: SolverResult

        public func report(bks: SolutionFile?) -> Report {
            let check = Checker(problem: instance.problem).check(result.solution)
            let routes = result.solution.routes.map { $0.jobs.map { instance.jobNumbers[Int($0)] } }
            let distance = Double(check.distance) / 10
            var gap: Double? = nil
            if let bksCost = bks?.cost, bksCost > 0 { gap = (distance - bksCost) / bksCost * 100 }
            return Report(instance: instance.name, distance: distance, vehicles: check.vehiclesUsed,
                          feasible: check.isFeasible, violations: check.violations.map(\.description),
                          unassigned: check.unassigned.map { instance.jobNumbers[Int($0)] }, bks: bks?.cost, gapPercent: gap,
                          iterations: result.iterations, seconds: (result.elapsedSeconds * 1000).rounded() / 1000,
                          routes: routes)
        }
    }

    /// What `fieldroute solve` prints; distances in the instance's units (DIMACS: one decimal).
    public struct Report: Sendable, Codable {
        public var instance: String
        public var distance: Double
        public var vehicles: Int
        public var feasible: Bool
        public var violations: [String]
        public var unassigned: [Int]
        public var bks: Double?
        public var gapPercent: Double?
        public var iterations: Int
        public var seconds: Double
        /// Customer numbers as in the instance file, depot implicit.
        public var routes: [[Int]]

        public var text: String {
            var lines = routes.enumerated().map { k, r in "Route #\(k + 1): " + r.map(String.init).joined(separator: " ") }
            lines.append(String(format: "Cost %.1f", distance))
            lines.append("")
            var summary = "\(instance): distance \(String(format: "%.1f", distance)), \(vehicles) vehicles, "
                + (feasible ? "feasible" : "INFEASIBLE (\(violations.count) violations)")
            if let bks, let gapPercent { summary += String(format: ", BKS %.1f, gap %+.2f %%", bks, gapPercent) }
            summary += ", \(iterations) iterations in \(String(format: "%.2f", seconds)) s"
            lines.append(summary)
            lines += violations.prefix(10).map { "  violation: \($0)" }
            return lines.joined(separator: "\n")
        }
    }
}
