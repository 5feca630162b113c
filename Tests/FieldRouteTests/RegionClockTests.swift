import FieldRoute
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
