import FieldRoute
import Foundation
import Testing

/// Issue 19, part 1: VROOM JSON in and out of `solve`.
@Suite struct VroomTests {
    static let durations = [[0, 300, 200, 100], [300, 0, 150, 250], [200, 150, 0, 120], [100, 250, 120, 0]]

    func problem(_ vehicle: String, jobs: String? = nil) -> Data {
        Data("""
            {"vehicles": [\(vehicle)],
             "jobs": \(jobs ?? """
                [{"id": 1, "location_index": 1, "service": 100, "delivery": [1], "time_windows": [[500, 600]]},
                 {"id": 2, "location_index": 2, "service": 50, "delivery": [2], "description": "gate code 12"},
                 {"id": 3, "location_index": 3, "delivery": [5]}]
                """),
             "matrices": {"car": {"durations": \(Self.durations)}}}
            """.utf8)
    }

    func solve(_ data: Data, iterations: Int = 300) throws -> [String: Any] {
        let answer = try VroomProblem.parse(data, file: "p.json").solve(seed: 1, timeLimit: nil, iterations: iterations)
        // What the CLI prints: it must be JSON.
        let text = try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])
        return try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
    }

    @Test func anAnswerIsVroomsShapeAndItsTimesAreExact() throws {
        let answer = try solve(problem(#"{"id": 7, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 10000]}"#))
        #expect(answer["code"] as? Int == 0)
        let summary = try #require(answer["summary"] as? [String: Any])
        // Job 3 alone exceeds the capacity: unassigned, with its id; the others make one route.
        let unassigned = try #require(answer["unassigned"] as? [[String: Any]])
        #expect(unassigned.map { $0["id"] as? Int } == [3] && unassigned.first?["type"] as? String == "job")
        #expect(summary["routes"] as? Int == 1 && summary["unassigned"] as? Int == 1)
        #expect(summary["cost"] as? Int == 650 && summary["service"] as? Int == 150 && summary["delivery"] as? [Int] == [3])
        let route = try #require((answer["routes"] as? [[String: Any]])?.first)
        #expect(route["vehicle"] as? Int == 7)
        let steps = try #require(route["steps"] as? [[String: Any]])
        #expect(steps.map { $0["type"] as? String } == ["start", "job", "job", "end"])
        // Recompute every time from the matrix: arrival, waiting until the window, cumulative travel, load.
        var t = 0, travelled = 0, at = 0, load = 3, waited = 0
        for step in steps.dropFirst() {
            let to = try #require(step["location_index"] as? Int)
            t += Self.durations[at][to]; travelled += Self.durations[at][to]
            #expect(step["arrival"] as? Int == t && step["duration"] as? Int == travelled)
            if step["type"] as? String == "job" {
                let id = try #require(step["id"] as? Int)
                let opens = id == 1 ? 500 : 0
                let wait = max(0, opens - t)
                #expect(step["waiting_time"] as? Int == wait)
                waited += wait
                t += wait + (id == 1 ? 100 : 50)
                load -= id == 1 ? 1 : 2
                #expect(step["load"] as? [Int] == [load])
                if id == 2 { #expect(step["description"] as? String == "gate code 12") }
            }
            at = to
        }
        #expect(route["duration"] as? Int == travelled && route["waiting_time"] as? Int == waited)
    }

    @Test func anOpenEndedRouteStopsAtItsLastJob() throws {
        let answer = try solve(problem(#"{"id": 1, "start_index": 0}"#,
                                       jobs: #"[{"id": 10, "location_index": 3}, {"id": 11, "location_index": 2}]"#))
        let route = try #require((answer["routes"] as? [[String: Any]])?.first)
        let steps = try #require(route["steps"] as? [[String: Any]])
        #expect(steps.map { $0["type"] as? String } == ["start", "job", "job"])
        // 0 → 3 → 2 is 100 + 120; no way home.
        #expect(steps.compactMap { $0["id"] as? Int } == [10, 11] && route["cost"] as? Int == 220)
    }

    @Test func vroomsOwnDocsExampleWithItsOlderMatrixKeySolvesToItsOptimum() throws {
        // docs/example_2.json of VROOM: one vehicle from 0 to 3, two jobs; 0 → 1 → 2 → 3 is 2104 + 2255 + 1102.
        let example = Data("""
            {"vehicles": [{"id": 0, "start_index": 0, "end_index": 3}],
             "jobs": [{"id": 1414, "location_index": 1}, {"id": 1515, "location_index": 2}],
             "matrix": [[0, 2104, 197, 1299], [2103, 0, 2255, 3152], [197, 2256, 0, 1102], [1299, 3153, 1102, 0]]}
            """.utf8)
        let answer = try solve(example, iterations: 50)
        #expect((answer["summary"] as? [String: Any])?["cost"] as? Int == 5461)
        let steps = try #require((answer["routes"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]])
        #expect(steps.compactMap { $0["id"] as? Int } == [1414, 1515])
        #expect(steps.last?["location_index"] as? Int == 3 && steps.last?["arrival"] as? Int == 5461)
    }

    @Test func whatFieldRouteCannotHonourIsRefusedWithItsPath() {
        let cases: [(String, String?, String)] = [
            (#"{"id": 1, "start_index": 0, "steps": []}"#, nil, "p.json: vehicles[0].steps: not supported by FieldRoute"),
            (#"{"id": 1, "start_index": 0, "capacity": [4, 2]}"#, nil, "p.json: vehicles[0].capacity: only one capacity dimension is supported, got 2"),
            (#"{"id": 1, "start_index": 0, "max_travel_time": 10}"#, nil, "p.json: vehicles[0].max_travel_time: not supported by FieldRoute"),
            (#"{"id": 1, "start_index": 9}"#, nil, "p.json: vehicles[0].start_index: wants a whole number in 0…3, got 9"),
            (#"{"id": 1}"#, nil, "p.json: vehicles[0]: wants start_index or end_index"),
            (#"{"id": 1, "start_index": 0, "colour": "red"}"#, nil, "p.json: vehicles[0].colour: unknown key"),
            (#"{"id": 1, "start_index": 0}"#, #"[{"id": 1, "location": [4.8, 45.7]}]"#,
             "p.json: jobs[0].location: with matrices, give location_index too"),
            (#"{"id": 1, "start_index": 0}"#, #"[{"id": 1, "location_index": 1, "setup": 10}]"#, "p.json: jobs[0].setup: not supported by FieldRoute"),
            (#"{"id": 1, "start_index": 0}"#, #"[{"id": 1, "location_index": 1, "time_windows": [[600, 500]]}]"#,
             "p.json: jobs[0].time_windows[0]: wants [start, end] with start ≤ end"),
            (#"{"id": 1, "start_index": 0}"#, #"[{"id": 1, "location_index": 1, "service": 1e300}]"#, "p.json: jobs[0].service: wants a whole number"),
        ]
        for (vehicle, jobs, message) in cases {
            #expect("\(message)") { _ = try VroomProblem.parse(problem(vehicle, jobs: jobs), file: "p.json") } throws: { error in
                (error as? FieldRouteError)?.isBadInput == true && "\(error)".hasPrefix(message)
            }
        }
        let shipments = Data(#"{"vehicles": [], "jobs": [], "shipments": [], "matrices": {}}"#.utf8)
        #expect(throws: FieldRouteError.self) { _ = try VroomProblem.parse(shipments, file: "p.json") }
    }
}

/// VROOM's `max_tasks` and `speed_factor`, as VROOM reads them.
@Suite struct VroomVehicleLimitTests {
    let base = VroomTests()

    func answer(_ vehicles: String) throws -> [String: Any] {
        try base.solve(base.problem(vehicles, jobs: #"[{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2}, {"id": 3, "location_index": 3}]"#))
    }

    @Test func maxTasksCapsTheJobsOfARoute() throws {
        let one = try answer(#"{"id": 1, "start_index": 0, "end_index": 0, "max_tasks": 2}"#)
        #expect((one["summary"] as? [String: Any])?["unassigned"] as? Int == 1)
        let two = try answer(#"{"id": 1, "start_index": 0, "end_index": 0, "max_tasks": 2}, {"id": 2, "start_index": 0, "end_index": 0, "max_tasks": 1}"#)
        let routes = try #require(two["routes"] as? [[String: Any]])
        #expect((two["summary"] as? [String: Any])?["unassigned"] as? Int == 0)
        let jobsPerVehicle = routes.map { r in ((r["vehicle"] as? Int) ?? 0, ((r["steps"] as? [[String: Any]]) ?? []).filter { $0["type"] as? String == "job" }.count) }
        #expect(jobsPerVehicle.allSatisfy { $0.0 == 1 ? $0.1 <= 2 : $0.1 <= 1 })
        #expect(jobsPerVehicle.map(\.1).reduce(0, +) == 3)
    }

    @Test func aSpeedFactorScalesEveryDurationAsVroomDoes() throws {
        let plain = try answer(#"{"id": 1, "start_index": 0, "end_index": 0}"#)
        let fast = try answer(#"{"id": 1, "start_index": 0, "end_index": 0, "speed_factor": 2}"#)
        let slow = try answer(#"{"id": 1, "start_index": 0, "end_index": 0, "speed_factor": 1.5}"#)
        let cost = { (a: [String: Any]) in (a["summary"] as? [String: Any])?["cost"] as? Int }
        // 0 → 3 → 2 → 1 → 0 = 100 + 120 + 150 + 300 = 670 s; at twice the speed 50 + 60 + 75 + 150.
        #expect(cost(plain) == 670 && cost(fast) == 335)
        // 1.5: × round(100 / 1.5) / 100 = × 0.67 per leg, rounded up: 67 + 81 + 101 + 201 (VROOM, in
        // hundredths: arrivals 201, 301, 381, 448; never later than these).
        #expect(cost(slow) == 450)
    }

    @Test func whatOneMatrixOrOneCapacityCannotHoldIsRefused() {
        for (vehicles, message) in [
            (#"{"id": 1, "start_index": 0, "speed_factor": 2}, {"id": 2, "start_index": 0}"#,
             "p.json: vehicles[1].speed_factor: is 1.0, vehicles[0].speed_factor 2.0: FieldRoute needs one speed factor for every vehicle"),
            (#"{"id": 1, "start_index": 0, "speed_factor": 0}"#, "p.json: vehicles[0].speed_factor: wants a number in (0, 5]"),
            (#"{"id": 1, "start_index": 0, "max_tasks": 2, "capacity": [4]}"#, "p.json: vehicles[0].max_tasks: together with capacity"),
            (#"{"id": 1, "start_index": 0, "max_tasks": -1}"#, "p.json: vehicles[0].max_tasks: wants a whole number in 0…1000000"),
        ] {
            #expect("\(message)") { _ = try VroomProblem.parse(base.problem(vehicles), file: "p.json") } throws: { error in
                "\(error)".hasPrefix(message)
            }
        }
    }
}

/// VROOM's `breaks`: one per vehicle with one window, taken on the way as VROOM takes it.
@Suite struct VroomBreakTests {
    let base = VroomTests()
    let jobs = #"[{"id": 1, "location_index": 1, "service": 60}, {"id": 2, "location_index": 2, "service": 60}, {"id": 3, "location_index": 3, "service": 60}]"#
    let lunch = #""breaks": [{"id": 9, "time_windows": [[400, 500]], "service": 100, "description": "lunch"}]"#

    @Test func aBreakIsTakenOnTheWayAsVroomTakesIt() throws {
        let answer = try base.solve(base.problem(#"{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 2000], \#(lunch)}"#, jobs: jobs))
        // pyvroom 1.15.2 on this problem: cost 670, service 280 (jobs and the break), the end at 950.
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(summary["cost"] as? Int == 670 && summary["service"] as? Int == 280 && summary["unassigned"] as? Int == 0)
        let steps = try #require(((answer["routes"] as? [[String: Any]])?.first)?["steps"] as? [[String: Any]])
        let rest = try #require(steps.first { $0["type"] as? String == "break" })
        #expect(rest["id"] as? Int == 9 && rest["service"] as? Int == 100 && rest["description"] as? String == "lunch")
        #expect((400...500).contains(rest["arrival"] as? Int ?? 0) && rest["location_index"] == nil)
        #expect(steps.last?["arrival"] as? Int == 950)
        vroomRule(steps, service: 100)
    }

    /// Every arrival by VROOM's rule: a leg is driven while waiting for a break's window, the rest
    /// of it after the break (`service` of each break by id, else `service`).
    func vroomRule(_ steps: [[String: Any]], service: Int, services: [Int: Int] = [:]) {
        var time = 0, at = 0, drivenOnLeg = 0
        var pending: [(start: Int, length: Int)] = []
        for step in steps.dropFirst() {
            if step["type"] as? String == "break" {
                pending.append((step["arrival"] as? Int ?? 0, services[step["id"] as? Int ?? 0] ?? service))
                continue
            }
            let to = step["location_index"] as? Int ?? 0, leg = VroomTests.durations[at][to]
            drivenOnLeg = 0
            for rest in pending {
                let before = min(leg - drivenOnLeg, rest.start - time)
                drivenOnLeg += before
                time = rest.start + rest.length
            }
            time += leg - drivenOnLeg
            #expect(step["arrival"] as? Int == time, "\(step)")
            time += step["service"] as? Int ?? 0
            at = to; pending = []
        }
    }

    @Test func twoBreaksAreTakenInTheirWindows() throws {
        let breaks = #""breaks": [{"id": 9, "time_windows": [[400, 500]], "service": 100}, {"id": 8, "time_windows": [[100, 200]], "service": 50}]"#
        let answer = try base.solve(base.problem(#"{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 3000], \#(breaks)}"#, jobs: jobs))
        // pyvroom 1.15.2: cost 670, service 330, the end at 1000 (8 at 100, 9 at 410, in another order).
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(summary["cost"] as? Int == 670 && summary["service"] as? Int == 330 && summary["unassigned"] as? Int == 0)
        let steps = try #require(((answer["routes"] as? [[String: Any]])?.first)?["steps"] as? [[String: Any]])
        let rests = steps.filter { $0["type"] as? String == "break" }
        #expect(rests.map { $0["id"] as? Int } == [8, 9])
        #expect((100...200).contains(rests[0]["arrival"] as? Int ?? -1) && (400...500).contains(rests[1]["arrival"] as? Int ?? -1))
        #expect(steps.last?["arrival"] as? Int == 1_000)
        vroomRule(steps, service: 0, services: [8: 50, 9: 100])
    }

    @Test func aBreakTakesTheFirstOfItsWindowsThatFits() throws {
        // The vehicle starts at 100, after the first window has closed: the break goes in the second,
        // and nothing waits (100 + 670 driving + 180 service + 100 break).
        let two = #""breaks": [{"id": 9, "time_windows": [[0, 50], [600, 700]], "service": 100}]"#
        let answer = try base.solve(base.problem(#"{"id": 1, "start_index": 0, "end_index": 0, "time_window": [100, 2000], \#(two)}"#, jobs: jobs))
        let steps = try #require(((answer["routes"] as? [[String: Any]])?.first)?["steps"] as? [[String: Any]])
        let rest = try #require(steps.first { $0["type"] as? String == "break" })
        #expect((600...700).contains(rest["arrival"] as? Int ?? -1), "\(rest)")
        #expect(steps.last?["arrival"] as? Int == 1_050 && (answer["summary"] as? [String: Any])?["unassigned"] as? Int == 0)
    }

    @Test func aJobThatLeavesTheBreakNoRoomIsUnassigned() throws {
        // 670 s of driving, 180 of service and the 100-s break do not fit in 900 s.
        let answer = try base.solve(base.problem(#"{"id": 1, "start_index": 0, "end_index": 0, "time_window": [0, 900], \#(lunch)}"#, jobs: jobs))
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(summary["unassigned"] as? Int == 1)
        let steps = try #require(((answer["routes"] as? [[String: Any]])?.first)?["steps"] as? [[String: Any]])
        #expect(steps.contains { $0["type"] as? String == "break" })
        #expect((steps.last?["arrival"] as? Int ?? .max) <= 900)
    }

    @Test func whatOnePlacementCannotHonourIsRefused() {
        for (breaks, message) in [
            (#"[{"id": 1, "time_windows": [[0, 10]]}, {"id": 1, "time_windows": [[20, 30]]}]"#, "vehicles[0].breaks[1].id: 1 is used twice"),
            (#"[{"id": 1, "time_windows": [[0, 10], [5, 30]]}]"#, "vehicles[0].breaks[0].time_windows: windows overlap"),
            (#"[{"id": 1, "time_windows": []}]"#, "vehicles[0].breaks[0].time_windows: wants 1 to 100 windows"),
            (#"[{"id": 1, "time_windows": [[0, 10]], "max_load": [3]}]"#, "vehicles[0].breaks[0].max_load: not supported by FieldRoute"),
            (#"[{"id": 1, "time_windows": [[10, 0]]}]"#, "vehicles[0].breaks[0].time_windows[0]: wants [start, end]"),
        ] {
            #expect("\(message)") {
                _ = try VroomProblem.parse(base.problem(#"{"id": 1, "start_index": 0, "breaks": \#(breaks)}"#), file: "p.json")
            } throws: { error in "\(error)".hasPrefix("p.json: " + message) }
        }
    }
}

/// VROOM's pickups, costs matrices and fixed vehicle costs (pyvroom 1.15.2 gives the figures below).
@Suite struct VroomCostTests {
    let base = VroomTests()
    let costs = "[[0, 3, 2, 1], [3, 0, 1, 2], [2, 1, 0, 1], [1, 2, 1, 0]]"

    func located(_ vehicle: String, jobs: String, costs: String? = nil) -> Data {
        let extra = costs.map { #", "costs": \#($0)"# } ?? ""
        return Data(#"{"vehicles": [\#(vehicle)], "jobs": \#(jobs), "matrices": {"car": {"durations": \#(VroomTests.durations)\#(extra)}}}"#.utf8)
    }

    @Test func pickupsGrowTheLoad() throws {
        let answer = try base.solve(located(#"{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4]}"#,
                                            jobs: #"[{"id": 1, "location_index": 1, "pickup": [2]}, {"id": 2, "location_index": 2, "pickup": [1]}]"#))
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(summary["pickup"] as? [Int] == [3] && summary["delivery"] as? [Int] == [0] && summary["amount"] as? [Int] == [0])
        let steps = try #require(((answer["routes"] as? [[String: Any]])?.first)?["steps"] as? [[String: Any]])
        let loads = steps.compactMap { ($0["load"] as? [Int])?.first }
        #expect(loads.first == 0 && loads.last == 3 && loads == loads.sorted())
        // Two pickups of 3 do not fit a capacity of 4 together.
        let full = try base.solve(located(#"{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4]}"#,
                                          jobs: #"[{"id": 1, "location_index": 1, "pickup": [3]}, {"id": 2, "location_index": 2, "pickup": [3]}]"#))
        #expect((full["summary"] as? [String: Any])?["unassigned"] as? Int == 1)
    }

    @Test func aCostsMatrixAndAFixedCostAreWhatIsMinimised() throws {
        let answer = try base.solve(located(#"{"id": 1, "start_index": 0, "end_index": 0, "capacity": [4], "costs": {"fixed": 1000}}"#,
                                            jobs: #"[{"id": 1, "location_index": 1, "amount": [2]}, {"id": 2, "location_index": 2, "amount": [1]}]"#,
                                            costs: costs))
        // pyvroom: cost 1006 (legs 1 + 2 + 3 in the costs matrix, plus the fixed 1000), duration 650.
        let summary = try #require(answer["summary"] as? [String: Any])
        #expect(summary["cost"] as? Int == 1006 && summary["duration"] as? Int == 650 && summary["delivery"] as? [Int] == [3])
        #expect((answer["routes"] as? [[String: Any]])?.first?["cost"] as? Int == 1006)
    }

    @Test func whatOneObjectiveOrOneLoadCannotHoldIsRefused() {
        for (vehicle, jobs, message) in [
            (#"{"id": 1, "start_index": 0, "costs": {"per_hour": 7200}}"#, #"[{"id": 1, "location_index": 1}]"#,
             "p.json: vehicles[0].costs.per_hour: only 3600"),
            (#"{"id": 1, "start_index": 0, "costs": {"per_km": 5}}"#, #"[{"id": 1, "location_index": 1}]"#, "p.json: vehicles[0].costs.per_km: only 0"),
            (#"{"id": 1, "start_index": 0, "capacity": [5]}"#, #"[{"id": 1, "location_index": 1, "delivery": [1]}, {"id": 2, "location_index": 2, "pickup": [1]}]"#,
             "p.json: jobs[1].pickup: beside jobs[0].delivery: FieldRoute carries deliveries or pickups, not both"),
        ] {
            #expect("\(message)") { _ = try VroomProblem.parse(located(vehicle, jobs: jobs), file: "p.json") } throws: { error in
                "\(error)".hasPrefix(message)
            }
        }
    }
}
