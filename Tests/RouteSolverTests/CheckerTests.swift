@testable import RouteSolver
import Testing

@Suite struct CheckerTests {
    /// Depot at 0, jobs at 100, 200, 300 on a line.
    func problem(windows: [TimeWindow] = [TimeWindow(0, 1_000), TimeWindow(0, 1_000), TimeWindow(0, 1_000)],
                 demand: Int64 = 1, capacity: Int64 = 10, shiftEnd: Int64 = 10_000, maxDuration: Int64 = .max,
                 optional: Bool = false) throws -> RoutingProblem {
        let jobs = (0..<3).map { k in
            Job(location: Int32(k + 1), service: 5, windows: [windows[k]], demand: demand,
                skills: k == 2 ? SkillSet(bits: 2) : .none, unassignedPenalty: optional ? 1_000 : nil)
        }
        let vehicles = [
            Vehicle(start: 0, end: 0, shift: TimeWindow(0, shiftEnd), capacity: capacity, skills: SkillSet(bits: 2),
                    maxDuration: maxDuration),
            Vehicle(start: 0, end: 0, shift: TimeWindow(0, shiftEnd), capacity: capacity),
        ]
        return try RoutingProblem(jobs: jobs, vehicles: vehicles, travel: lineMatrix(4))
    }

    @Test func costsAndTimesOfAFeasibleRoute() throws {
        let report = Checker(problem: try problem()).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])]))
        #expect(report.isFeasible)
        #expect(report.distance == 600)  // 100 + 100 + 100 + 300
        #expect(report.cost == 600)
        #expect(report.routes[0].starts == [100, 205, 310])
        #expect(report.routes[0].endArrival == 615)
        #expect(report.routes[0].duration == 615)
    }

    @Test func durationStartsAtTheLatestUsefulDeparture() throws {
        // Job 0 opens at 500: leaving at 400 instead of 0 removes all waiting.
        let p = try problem(windows: [TimeWindow(500, 600), TimeWindow(0, 1_000), TimeWindow(0, 1_000)])
        let report = Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])]))
        #expect(report.routes[0].starts == [500, 605, 710])
        #expect(report.routes[0].duration == 615)
    }

    @Test func catchesEveryKindOfViolation() throws {
        let late = try problem(windows: [TimeWindow(0, 50), TimeWindow(0, 1_000), TimeWindow(0, 1_000)])
        #expect(Checker(problem: late).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])])).violations
            == [.lateStart(job: 0, start: 100, latest: 50)])
        let heavy = try problem(demand: 4)
        #expect(Checker(problem: heavy).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])])).violations
            == [.capacity(vehicle: 0, load: 12, capacity: 10)])
        let p = try problem()
        #expect(Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1]), .init(vehicle: 1, jobs: [2])]))
            .violations == [.skill(job: 2, vehicle: 1)])
        #expect(Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2, 1])])).violations
            == [.duplicateJob(job: 1)])
        #expect(Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 2])])).violations
            == [.missingRequiredJob(job: 1)])
        let short = try problem(shiftEnd: 600)
        #expect(Checker(problem: short).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])])).violations
            == [.shiftEnd(vehicle: 0, arrival: 615, shiftEnd: 600)])
        let capped = try problem(maxDuration: 400)
        #expect(Checker(problem: capped).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])])).violations
            == [.maxDuration(vehicle: 0, duration: 615, limit: 400)])
        #expect(Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2, 7])])).violations
            == [.unknownJob(7)])
        #expect(Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1]), .init(vehicle: 0, jobs: [2])]))
            .violations == [.vehicleUsedTwice(vehicle: 0)])
    }

    @Test func pinnedJobsMustRideTheirVehicle() throws {
        var jobs = try problem().jobs
        jobs[0].pinnedVehicle = 1
        let p = try RoutingProblem(jobs: jobs, vehicles: try problem().vehicles, travel: lineMatrix(4))
        #expect(Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0, 1, 2])])).violations
            == [.pinned(job: 0, vehicle: 0)])
    }

    @Test func optionalJobsCostTheirPenaltyAndSayWhy() throws {
        let p = try problem(optional: true)
        let report = Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0])]))
        #expect(report.isFeasible)
        #expect(report.unassigned == [1, 2])
        #expect(report.cost == 200 + 2_000)
        #expect(Checker(problem: p).reasons(for: [1, 2]) == [1: .noRoom, 2: .noRoom])
    }

    @Test func multipleWindowsUseTheFirstThatIsStillOpen() throws {
        let jobs = [Job(location: 1, service: 0, windows: [TimeWindow(0, 50), TimeWindow(300, 400)])]
        let p = try RoutingProblem(jobs: jobs, vehicles: [Vehicle(start: 0, end: 0)], travel: lineMatrix(2))
        let report = Checker(problem: p).check(Solution(routes: [.init(vehicle: 0, jobs: [0])]))
        #expect(report.isFeasible)
        #expect(report.routes[0].starts == [300])
    }
}
