import Foundation
@testable import RouteSolver
import Testing

@Suite struct SolverTests {
    /// The cheapest feasible solution by enumeration: every order of the jobs, cut into two routes.
    /// (Debug builds make 8 jobs slow; 6 keeps the suite quick while still leaving many orders.)
    func bruteForce(_ p: RoutingProblem) -> Int64? {
        let checker = Checker(problem: p)
        var best: Int64? = nil
        var jobs = (0..<Int32(p.jobs.count)).map { $0 }
        func permute(_ k: Int) {
            if k == jobs.count {
                for cut in 0...jobs.count {
                    let s = Solution(routes: [.init(vehicle: 0, jobs: Array(jobs[..<cut])), .init(vehicle: 1, jobs: Array(jobs[cut...]))])
                    let r = checker.check(s)
                    if r.isFeasible, best.map({ r.cost < $0 }) ?? true { best = r.cost }
                }
                return
            }
            for i in k..<jobs.count {
                jobs.swapAt(k, i); permute(k + 1); jobs.swapAt(k, i)
            }
        }
        permute(0)
        return best
    }

    @Test(arguments: 1...6)
    func matchesTheOptimumOnSmallInstances(seed: UInt64) throws {
        let p = randomProblem(seed: seed * 7, jobs: 6, vehicles: 2, tight: seed % 2 == 1)
        let optimum = bruteForce(p)
        let result = Solver(problem: p, options: SolverOptions(seed: seed, iterationLimit: 300)).run()
        let report = Checker(problem: p).check(result.solution)
        if let optimum {
            #expect(report.isFeasible)
            #expect(report.cost == optimum)
            #expect(result.cost == optimum)
        } else {
            #expect(!report.isFeasible)
        }
    }

    @Test func sameSeedSameAnswer() {
        let p = randomProblem(seed: 11, jobs: 40, vehicles: 6)
        let a = Solver(problem: p, options: SolverOptions(seed: 5, iterationLimit: 150)).run()
        let b = Solver(problem: p, options: SolverOptions(seed: 5, iterationLimit: 150)).run()
        #expect(a.solution == b.solution)
        #expect(a.movesApplied == b.movesApplied)
        #expect(a.iterations == 150)
    }

    @Test func skillsPinsAndShiftsAreHonoured() throws {
        let base = randomProblem(seed: 3, jobs: 30, vehicles: 4, tight: false, skills: true)
        var jobs = base.jobs
        let free = jobs.indices.filter { jobs[$0].skills.bits == 0 }
        jobs[free[0]].pinnedVehicle = 2
        jobs[free[1]].pinnedVehicle = 3
        var vehicles = base.vehicles.map { v in var v = v; v.capacity = 200; return v }
        vehicles[3].shift = TimeWindow(2_000, 9_000)  // starts late, ends early
        vehicles[1].start = 5; vehicles[1].end = 9    // its own start and end
        let p = try RoutingProblem(jobs: jobs, vehicles: vehicles, travel: base.travel)
        let result = Solver(problem: p, options: SolverOptions(seed: 2, iterationLimit: 300)).run()
        let report = Checker(problem: p).check(result.solution)
        #expect(report.isFeasible, "\(report.violations)")
        let routeOf = Dictionary(uniqueKeysWithValues: result.solution.routes.flatMap { r in r.jobs.map { ($0, r.vehicle) } })
        #expect(routeOf[Int32(free[0])] == 2)
        #expect(routeOf[Int32(free[1])] == 3)
        for (j, job) in p.jobs.enumerated() where job.skills.bits != 0 { #expect(routeOf[Int32(j)] == 0) }
    }

    @Test func optionalJobsThatCannotFitAreLeftOutWithAReason() throws {
        var jobs = (1...4).map { Job(location: Int32($0), service: 10, windows: [TimeWindow(0, 5_000)], unassignedPenalty: 100_000) }
        jobs.append(Job(location: 4, service: 10, windows: [TimeWindow(20_000, 20_100)], unassignedPenalty: 50))
        jobs.append(Job(location: 2, service: 10, skills: SkillSet(bits: 4), unassignedPenalty: 50))
        let p = try RoutingProblem(jobs: jobs, vehicles: [Vehicle(start: 0, end: 0, shift: TimeWindow(0, 10_000))],
                                   travel: lineMatrix(5))
        let result = Solver(problem: p, options: SolverOptions(seed: 1, iterationLimit: 50)).run()
        let report = Checker(problem: p).check(result.solution)
        #expect(report.isFeasible)
        #expect(report.unassigned == [4, 5])
        #expect(Checker(problem: p).reasons(for: report.unassigned) == [4: .windowUnreachable, 5: .noSkilledVehicle])
        #expect(result.cost == 800 + 100)
    }

    @Test func stopsAtTheTimeLimit() {
        let p = randomProblem(seed: 4, jobs: 25, vehicles: 8, tight: false)
        let result = Solver(problem: p, options: SolverOptions(seed: 1, timeLimit: 0.5)).run()
        #expect(result.elapsedSeconds < 3)
        #expect(Checker(problem: p).check(result.solution).violations.allSatisfy {
            if case .missingRequiredJob = $0 { return false } else { return true }
        })
    }

    @Test func reportsProgress() {
        let p = randomProblem(seed: 8, jobs: 20, vehicles: 5)
        nonisolated(unsafe) var reports: [SolverProgress] = []
        _ = Solver(problem: p, options: SolverOptions(seed: 1, iterationLimit: 510)).run { reports.append($0) }
        #expect(reports.first?.iteration == 0)
        #expect(reports.contains { $0.iteration == 500 })
        // Best cost never gets worse once feasible.
        let feasible = reports.filter(\.feasible).map(\.bestCost)
        #expect(feasible == feasible.sorted(by: >))
    }
}

/// The shared Solomon set, when it sits beside the repository.
let solomonFolder: URL? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    let folder = root.appendingPathComponent("shared/instances/solomon")
    return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
}()

@Suite(.enabled(if: solomonFolder != nil, "../shared/instances/solomon is absent: skipping the reference-instance checks"))
struct SolomonReferenceTests {
    /// Every best-known solution the shared set ships passes the checker at exactly its stated cost,
    /// which pins the DIMACS convention of the readers and the checker.
    @Test func bestKnownSolutionsCheckOut() throws {
        let folder = try #require(solomonFolder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(names.count == 56)
        for name in names {
            let instance = try Instance.parse(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), file: name)
            let solPath = folder.appendingPathComponent("bks_solutions/\(name.replacingOccurrences(of: ".txt", with: ".sol"))")
            let sol = try SolutionFile.parse(try String(contentsOf: solPath, encoding: .utf8), file: solPath.path)
            let report = Checker(problem: instance.problem).check(try sol.solution(for: instance))
            #expect(report.isFeasible, "\(name): \(report.violations.prefix(3))")
            #expect(Double(report.distance) / 10 == sol.cost, "\(name)")
        }
    }
}

/// The shared Gehring–Homberger 1000-customer set, when it sits beside the repository.
let gehringHombergerFolder: URL? = {
    let folder = solomonFolder?.deletingLastPathComponent().appendingPathComponent("gh1000")
    return folder.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
}()

@Suite(.enabled(if: gehringHombergerFolder != nil, "../shared/instances/gh1000 is absent: skipping the VRPLIB reference checks"))
struct GehringHombergerReferenceTests {
    /// Every VRPLIB file reads, and its best-known solution checks out at exactly its stated cost.
    @Test func bestKnownSolutionsCheckOut() throws {
        let folder = try #require(gehringHombergerFolder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".vrp") }.sorted()
        #expect(names.count == 30)
        for name in names {
            let instance = try Instance.parse(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8), file: name)
            #expect(instance.problem.jobs.count == 1_000)
            let solPath = folder.appendingPathComponent(name.replacingOccurrences(of: ".vrp", with: ".sol"))
            let sol = try SolutionFile.parse(try String(contentsOf: solPath, encoding: .utf8), file: solPath.path)
            let report = Checker(problem: instance.problem).check(try sol.solution(for: instance))
            #expect(report.isFeasible, "\(name): \(report.violations.prefix(3))")
            #expect(abs(Double(report.distance) / 10 - (sol.cost ?? 0)) < 0.05, "\(name)")
        }
    }
}
