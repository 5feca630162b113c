import Testing
@testable import RouteSolver

/// Breaks taken on the way (VROOM's way): the leg is driven while waiting for a break's window.
@Suite struct EnRouteBreakTests {
    /// Depot at 0, jobs at 100 and 200 on a line (legs of 100 s), services 50, a shift 0–2000.
    func checker(windows: [TimeWindow] = []) throws -> Checker {
        let jobs = [Job(location: 1, service: 50, windows: windows), Job(location: 2, service: 50)]
        return Checker(problem: try RoutingProblem(jobs: jobs, vehicles: [Vehicle(start: 0, end: 0, shift: TimeWindow(0, 2_000))],
                                                   travel: lineMatrix(3), objective: .duration))
    }

    @Test func twoBreaksOnOneLegDriveWhileTheyWait() throws {
        // Free at 150 after job 0; the breaks open at 170 and 300: 20 s driven, rest 170–200, 80 s
        // more, then wait at 280 (the leg is done) until 300, rest 300–330, arrive at 330.
        let rests = [RestRule(windows: [TimeWindow(170, 175)], length: 30), RestRule(windows: [TimeWindow(300, 310)], length: 30)]
        let placed = try #require(try checker().placeBreaksEnRoute(rests, vehicle: 0, jobs: [0, 1], shiftEnd: 2_000))
        #expect(placed.placements.map(\.after) == [1, 1])
        #expect(placed.placements.map(\.start) == [170, 300] && placed.placements.map(\.drivenBefore) == [20, 80])
        #expect(placed.placements.map(\.waiting) == [0, 20])
        #expect(placed.arrivals == [100, 330] && placed.endArrival == 330 + 50 + 200)
    }

    @Test func aBreakGoesWhereTheDayEndsEarliest() throws {
        // Window 0–1000: taking it at the start (0–300) ends at 300 + 100 + 50 + 100 + 50 + 200 = 800, as anywhere else.
        let rest = [RestRule(windows: [TimeWindow(0, 1_000)], length: 300)]
        let placed = try #require(try checker().placeBreaksEnRoute(rest, vehicle: 0, jobs: [0, 1], shiftEnd: 2_000))
        #expect(placed.endArrival == 800)
        // A job that must start by 120 rules out a break before it.
        let tight = try #require(try checker(windows: [TimeWindow(0, 120)]).placeBreaksEnRoute(rest, vehicle: 0, jobs: [0, 1], shiftEnd: 2_000))
        #expect(tight.placements.first?.after ?? 0 >= 1 && tight.arrivals.first == 100)
    }

    @Test func noPlacementWhenTheDayIsTooShort() throws {
        let rest = [RestRule(windows: [TimeWindow(0, 1_000)], length: 300)]
        #expect(try checker().placeBreaksEnRoute(rest, vehicle: 0, jobs: [0, 1], shiftEnd: 799) == nil)
        // A window that opens after the shift has ended: no placement.
        let late = [RestRule(windows: [TimeWindow(3_000, 3_100)], length: 10)]
        #expect(try checker().placeBreaksEnRoute(late, vehicle: 0, jobs: [0, 1], shiftEnd: 2_000) == nil)
    }
}
