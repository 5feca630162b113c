import Foundation
import Testing

/// A dispatcher call is reproducible: the same request on the same day answers the same in every
/// process. (Routes were once simulated in dictionary order, which Swift seeds per process, so the
/// promised windows of a call touching several routes changed from run to run.)
@Suite struct DispatchReproducibleTests {
    @Test func theSameCallOnTheSameDayAnswersTheSameInEveryProcess() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let demo = folder.appendingPathComponent("demo").path, db = folder.appendingPathComponent("base.sqlite").path
        #expect(try CLI.run(["demo", "--export", demo]).status == 0)
        #expect(try CLI.run(["init", "--db", db, "--region", "lyon", "--time-zone", "Europe/Paris"]).status == 0)
        for kind in ["technicians", "customers", "shifts", "bookings"] {
            #expect(try CLI.run(["import", kind, "\(demo)/\(kind).csv", "--db", db]).status == 0)
        }
        #expect(try CLI.run(["plan", "--db", db, "--date", "2026-11-24", "--iterations", "200", "--seed", "1"]).status == 0)
        let request = folder.appendingPathComponent("r.json")
        try write(#"{"op": "reoptimize", "date": "2026-11-24", "now": "2026-11-24T07:00:00+01:00", "iterations": 300, "may_break_promises": true, "commit": false}"#,
                  to: request)
        var answers: Set<String> = []
        for _ in 0..<4 {
            let answer = try CLI.run(["dispatch", "--db", db, "--request", request.path])
            #expect(answer.status == 0, "\(answer.stdout)")
            answers.insert(answer.stdout)
        }
        #expect(answers.count == 1, "\(answers.count) different answers")
    }
}
