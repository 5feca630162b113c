import ArrivalWindows
import Testing

@Suite struct PromisedWindowTests {
    @Test func snapsOutwardToFiveMinutes() throws {
        // 100 arrivals spread evenly over 10:03:20 … 10:19:50 (one every 10 s).
        let base: Int64 = 36_000 + 200
        let arrivals = try ArrivalDistribution(samples: (0..<100).map { base + Int64($0) * 10 })
        let window = arrivals.promisedWindow(policy: .nightBefore)
        #expect(window.start % 300 == 0 && window.end % 300 == 0)
        #expect(window.start == 36_000)  // 10:00
        #expect(window.end == 37_200)    // 10:20
        #expect(window.coverage >= 0.9)
    }

    @Test func picksTheNarrowestIntervalNotTheCentralOne() throws {
        // 90 arrivals packed at 09:00–09:09, 10 stragglers hours later: the window hugs the pack.
        var samples = (0..<90).map { Int64(32_400 + $0 * 6) }
        samples += (0..<10).map { Int64(43_200 + $0 * 600) }
        let window = try ArrivalDistribution(samples: samples).promisedWindow(policy: .nightBefore)
        #expect(window.start == 32_400)
        #expect(window.end == 33_000)  // 09:00–09:10: the 9 minutes of the pack, snapped, meet the 10-minute minimum
        #expect(window.coverage == 0.9)
    }

    @Test func capsTheWidthAndKeepsTheDensestPart() throws {
        // Uniform over 3 hours: 90 % needs 2.7 h, more than the 60-minute cap.
        let samples = (0..<1_080).map { Int64(28_800 + $0 * 10) }
        let window = try ArrivalDistribution(samples: samples).promisedWindow(policy: .nightBefore)
        #expect(window.width == 3_600)
        #expect(abs(window.coverage - 1.0 / 3.0) < 0.01)
    }

    @Test func aCertainArrivalStillGetsAUsableWindow() throws {
        // The technician waits for the customer's window to open at 10:00 in every simulated day.
        let window = try ArrivalDistribution(samples: Array(repeating: 36_000, count: 50)).promisedWindow(policy: .nightBefore)
        #expect(window.start == 36_000)
        #expect(window.end == 36_600)
        #expect(window.coverage == 1)
    }

    @Test func aPromiseIsCutFromTheLateSide() throws {
        // 1 000 starts spread evenly over 10:00–10:50 (one every 3 s): 90 % by 10:45, 10 % by 10:05.
        let arrivals = try ArrivalDistribution(samples: (0..<1_000).map { Int64(36_000 + $0 * 3) })
        let promise = arrivals.promise(policy: .nightBefore)
        #expect(promise.start == 36_300 && promise.end == 38_700)  // 10:05–10:45: a technician there by 10:05 waits
        #expect(abs(promise.coverage - 0.9) < 0.002)
        // Spread over 3 hours: the 60-minute cap keeps the end (90 % by then) and opens an hour before.
        let wide = try ArrivalDistribution(samples: (0..<1_080).map { Int64(28_800 + $0 * 10) })
        let capped = wide.promise(policy: .nightBefore)
        #expect(capped.width == 3_600 && capped.end == 38_700)
        #expect(capped.coverage >= 0.9)
        // A start known to the second (the technician waits for the job's window at 10:00): 10:00–10:10.
        let certain = try ArrivalDistribution(samples: Array(repeating: 36_000, count: 50)).promise(policy: .nightBefore)
        #expect(certain.start == 36_000 && certain.end == 36_600 && certain.coverage == 1)
    }

    @Test func validatesThePolicy() {
        #expect(throws: WindowError.coverageOutOfRange(1.5)) { try WindowPolicy(coverage: 1.5) }
        #expect(throws: WindowError.maxWidthBelowSnap(maxWidth: 60, snap: 300)) { try WindowPolicy(maxWidth: 60) }
        #expect(throws: WindowError.noSamples) { try ArrivalDistribution(samples: []) }
    }

    @Test func quantilesAreNearestRank() throws {
        let d = try ArrivalDistribution(samples: [5, 1, 4, 2, 3])
        #expect(d.quantile(0) == 1)
        #expect(d.quantile(0.5) == 3)
        #expect(d.quantile(1) == 5)
    }
}
