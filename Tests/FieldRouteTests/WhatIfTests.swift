import FieldRoute
import FieldStore
import Foundation
import Testing

/// A what-if insert (`commit: false`) is answered in a read snapshot, from the day kept in memory when
/// the engine keeps days (as `fieldroute serve` does). It must give exactly the answer its commit gives,
/// write nothing, and see every commit made since — by this engine or another connection.
@Suite struct WhatIfTests {
    static let eleven = "2026-11-24T11:00:00+01:00"

    /// The demo day planned in a database file, and a second engine on the same file that keeps days.
    func demoFile() throws -> (writer: Engine, keeping: Engine) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("whatif-\(UUID()).sqlite").path
        let writer = try Engine(path: path)
        _ = try writer.loadDemo()
        _ = try writer.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 300, seed: 1))
        let store = try FieldStore(path: path, checksInvariants: true)
        return (writer, Engine(store: store, dayRecords: DayRecordsCache(watch: try StoreChangeWatch(store))))
    }

    func insert(_ n: Int, lat: Double, lon: Double, minutes: Int, windows: [String], skills: [String]? = nil,
                commit: Bool) -> DispatchRequest {
        var r = DispatchRequest(op: .insertJob, date: DemoRegion.day, now: Self.eleven, commit: commit)
        r.job = .init(id: "B-WHATIF-\(n)", customer: "C-1001", lat: lat, lon: lon, durationMin: minutes, windows: windows, skills: skills)
        return r
    }

    func outcome(_ engine: Engine, _ request: DispatchRequest) -> Result<DispatchAnswer, FieldRouteError> {
        Result { () throws(FieldRouteError) in try engine.dispatcher.dispatch(request) }
    }

    @Test func aWhatIfInsertAnswersAsItsCommitAndWritesNothing() throws {
        let (writer, keeping) = try demoFile()
        let jobs: [(lat: Double, lon: Double, minutes: Int, windows: [String], skills: [String]?)] = [
            (45.760, 4.835, 30, ["11:30-17:00"], nil), (45.742, 4.870, 45, ["12:00-13:00"], nil),
            (45.775, 4.810, 20, ["15:00-16:00", "16:30-17:30"], nil), (45.750, 4.850, 60, ["09:00-10:00"], nil),
            (45.765, 4.845, 15, ["13:00-18:00"], ["no-such-skill"]), (45.755, 4.828, 25, ["11:15-19:00"], nil),
            (45.745, 4.860, 20, ["11:00-19:00"], nil),
        ]
        var committed = 0
        for (n, job) in jobs.enumerated() {
            let before = try fingerprint(keeping.store)
            // Twice: the second answer comes from the day kept in memory.
            let whatIf = outcome(keeping, insert(n, lat: job.lat, lon: job.lon, minutes: job.minutes, windows: job.windows,
                                                 skills: job.skills, commit: false))
            let again = outcome(keeping, insert(n, lat: job.lat, lon: job.lon, minutes: job.minutes, windows: job.windows,
                                                skills: job.skills, commit: false))
            #expect(try fingerprint(keeping.store) == before, "job \(n): the what-if wrote")
            // The commit goes through another connection: the keeping engine must notice it next time.
            let done = outcome(writer, insert(n, lat: job.lat, lon: job.lon, minutes: job.minutes, windows: job.windows,
                                              skills: job.skills, commit: true))
            switch (whatIf, again, done) {
            case var (.success(a), .success(b), .success(c)):
                #expect(!a.committed && c.committed)
                a.committed = true; b.committed = true
                #expect(a == c, "job \(n)")
                #expect(b == c, "job \(n)")
                committed += 1
            case let (.failure(a), .failure(b), .failure(c)):
                #expect(a.description == c.description && b.description == c.description, "job \(n)")
            default:
                Issue.record("job \(n): what-if \(whatIf), again \(again), commit \(done)")
            }
        }
        #expect(committed >= 4)
        // And the other way round: the keeping engine commits, the what-ifs of a fresh engine agree.
        let next = insert(99, lat: 45.758, lon: 4.842, minutes: 20, windows: ["12:00-18:00"], commit: false)
        var told = try keeping.dispatcher.dispatch(next)
        var commit = next
        commit.commit = true
        let done = try keeping.dispatcher.dispatch(commit)
        told.committed = true
        #expect(told == done)
        #expect(try writer.checkInvariants().isEmpty)
    }

    /// A what-if for a booking id that exists, or for a blocked customer, fails as the commit does.
    @Test func aWhatIfChecksTheJobAsItsCommitDoes() throws {
        let (writer, keeping) = try demoFile()
        var taken = insert(0, lat: 45.76, lon: 4.84, minutes: 20, windows: ["12:00-18:00"], commit: false)
        taken.job?.id = "B-2001"
        #expect(throws: FieldRouteError.self) { try keeping.dispatcher.dispatch(taken) }
        var unknown = taken
        unknown.job?.id = "B-NEW"
        unknown.job?.customer = "C-NOBODY"
        let whatIf = outcome(keeping, unknown)
        unknown.commit = true
        let done = outcome(writer, unknown)
        guard case let .failure(a) = whatIf, case let .failure(b) = done else {
            Issue.record("an unknown customer was accepted: \(whatIf), \(done)")
            return
        }
        #expect(a.description == b.description && a.description.contains("C-NOBODY"))
    }
}
