import FieldRoute
import FieldStore
import Foundation
import GRDB
import Testing

/// Issue 15, observation 1: a simulated world apart from the model.
@Suite struct SimulationWorldTests {
    /// A world without chance: every leg and visit takes exactly the plan's time, no GPS gap.
    static let exact = """
        {"travelSigma": 0, "serviceSigma": 0, "daySigma": 0, "slowLegShare": 0, "overrunShare": 0, "gapChance": 0}
        """

    /// The true service starts of LiveWindowTests' planned day in `world`, in route order.
    func starts(_ world: String) throws -> [Int64] {
        let engine = try LiveWindowTests().plannedDay()
        _ = try engine.promises.simulate(day: LiveWindowTests.day, seed: 3, world: try SimulationWorld.parse(world, name: "w.json"))
        return try engine.store.readDatabase { db in try Int64.fetchAll(db, sql: "SELECT actualStart FROM stop ORDER BY sequence") }
    }

    @Test func rushHourAndALateStartMoveTheTrueDayByExactlyTheirAmount() throws {
        let base = try starts(Self.exact)
        let plan = try LiveWindowTests().plannedDay().store.readDatabase { db in
            try StopRecord.order(Column("sequence")).fetchAll(db)
        }
        // With no chance at all, the true day is the plan.
        #expect(base == plan.map(\.plannedStart))
        // Legs leaving at 08:xx take twice as long: the first visit starts one planned drive later
        // (to the second: the plan's drive is a rounded fraction of seconds).
        let rush = try starts(String(Self.exact.dropLast()) + #", "travelFactorByHour": {"8": 2}}"#)
        let firstDrive = plan[0].plannedArrival - LiveWindowTests.eight
        #expect(abs(rush[0] - base[0] - firstDrive) <= 1)
        // Leaving 15 minutes late, every visit starts 15 minutes late (no window waits on this day).
        let late = try starts(String(Self.exact.dropLast()) + #", "startOffsetMeanMinutes": 15}"#)
        #expect(zip(late, base).map { $0 - $1 } == [900, 900, 900])
    }

    @Test func aWorldFileIsCheckedFieldByField() throws {
        let cases: [(String, String)] = [
            (#"{"travelsigma": 1}"#, "world w.json: unknown field travelsigma; fields: daySigma,"),
            (#"{"minInterval": 2.5}"#, "world w.json: minInterval must be a whole number, got 2.5"),
            (#"{"travelFactorByHour": {"24": 2}}"#, "world w.json: travelFactorByHour wants hours 0–23, got 24"),
            (#"{"travelFactorByHour": {"7": 9}}"#, "world w.json: travelFactorByHour.7 must be 0.2…5.0, got 9.0"),
            (#"{"slowLegShare": 1.5}"#, "world w.json: slowLegShare must be 0.0…0.9, got 1.5"),
            (#"{"minInterval": 40, "maxInterval": 30}"#, "world w.json: maxInterval must be 40.0…3600.0, got 30.0"),
            (#"[1]"#, "world w.json: expected a JSON object"),
        ]
        for (json, message) in cases {
            #expect("\(json)") { try SimulationWorld.parse(json, name: "w.json") } throws: { error in
                (error as? FieldRouteError)?.isBadInput == true && "\(error)".hasPrefix(message)
            }
        }
        // Named fields change, the rest keep the model's defaults.
        let world = try SimulationWorld.parse(#"{"travelSigma": 0.4, "travelFactorByHour": {"7": 1.6}}"#, name: "w.json")
        var expected = SimulationWorld()
        expected.travelSigma = 0.4; expected.travelFactorByHour = [7: 1.6]
        #expect(world == expected)
    }
}
