import FieldRoute
import RouteSolver
import Testing

@Suite struct RegionClockTests {
    @Test func localTimesFollowDaylightSaving() throws {
        let clock = try RegionClock(timeZone: "Europe/Paris")
        // Winter: UTC+1; summer: UTC+2.
        #expect(clock.instant(day: "2026-11-24", time: "09:00") == 1_795_507_200)
        #expect(clock.instant(day: "2026-07-01", time: "09:00") == 1_782_889_200)
        #expect(clock.day(of: 1_795_561_200) == "2026-11-25")  // 00:00 local
        #expect(clock.clockTime(1_795_507_200) == "09:00")
        #expect(clock.instant("2026-11-24T09:00", on: "2026-01-01") == 1_795_507_200)
        #expect(clock.instant("2026-11-24T08:00:00Z", on: "2026-01-01") == 1_795_507_200)
    }

    @Test(arguments: ["2026-1-01", "2026-02-29", "26-01-01", "2026-13-01", "", "2026-01-01x"])
    func rejectsMalformedDays(_ text: String) {
        #expect(RegionClock.parseDay(text) == nil)
    }

    @Test func rejectsUnknownZones() {
        #expect(throws: FieldRouteError.self) { try RegionClock(timeZone: "Mars/Olympus") }
    }
}

@Suite struct TravelTimeModelTests {
    @Test func theMatrixEqualsTheLegsExactly() {
        var rng = SeededGenerator(seed: 3)
        let points = (0..<40).map { _ in (lat: 45.7 + rng.unit() * 0.1, lon: 4.8 + rng.unit() * 0.1) }
        let model = TravelTimeModel()
        let matrix = model.matrix(points: points)
        for i in points.indices { for j in points.indices {
            let leg = model.leg(from: points[i], to: points[j])
            #expect(matrix.duration(Int32(i), Int32(j)) == Int64(leg.seconds.rounded()))
            #expect(matrix.distance(Int32(i), Int32(j)) == Int64(leg.metres.rounded()))
        } }
    }
}
