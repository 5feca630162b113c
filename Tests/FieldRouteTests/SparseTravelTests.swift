@testable import FieldRoute
import FieldStore
import RouteSolver
import Testing

/// insert_job and cancel_job build the live problem with only the arcs they read; what they decide
/// must equal what the full matrix decides.
@Suite struct SparseTravelTests {
    @Test(arguments: ["2026-11-24T07:00:00+01:00", "2026-11-24T11:00:00+01:00"])
    func theSparseMatrixDecidesAsTheFullOne(now: String) throws {
        let engine = try makeEngine()
        _ = try engine.loadDemo()
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 100, seed: 1))
        let at = try Engine.instant(now, name: "now")
        try engine.store.read { db in
            let live = try LiveDay.load(db, region: nil, day: DemoRegion.day, now: at)
            // An urgent job next to an existing visit, with that visit's windows.
            let template = try #require(live.technicians.flatMap(\.open).first?.booking)
            var urgent = template
            urgent.id = nil; urgent.externalId = "B-NEW"; urgent.lat += 0.002
            let full = try live.problem(extra: [urgent], mayBreakPromises: false)
            let sparse = try live.problem(extra: [urgent], mayBreakPromises: false, around: [])
            let j = Int32(full.bookings.count - 1)
            let a = Checker(problem: full.problem).insertions(of: j, into: full.current)
            let b = Checker(problem: sparse.problem).insertions(of: j, into: sparse.current)
            #expect(a == b)
            #expect(a.contains { $0.isFeasible })
            // Taking each open visit out: every route's schedule and cost as with every arc.
            for t in live.technicians {
                for stop in t.open.prefix(3) {
                    let id = stop.booking.id ?? -1
                    let fullOut = try live.problem(mayBreakPromises: false), sparseOut = try live.problem(mayBreakPromises: false, around: [id])
                    let job = try #require(fullOut.job(of: id))
                    let k = try #require(fullOut.current.routes.firstIndex { $0.jobs.contains(job) })
                    let route = fullOut.current.routes[k]
                    let without = route.jobs.filter { $0 != job }
                    let x = Checker(problem: fullOut.problem).evaluate(vehicle: route.vehicle, jobs: without)
                    let y = Checker(problem: sparseOut.problem).evaluate(vehicle: route.vehicle, jobs: without)
                    #expect(x.report == y.report && x.violations == y.violations)
                    #expect(Checker(problem: fullOut.problem).check(fullOut.current) == Checker(problem: sparseOut.problem).check(sparseOut.current))
                }
            }
            // A technician off: each of their visits tried in every other route, as with every arc.
            let absent = try #require(live.technicians.firstIndex { !$0.open.isEmpty })
            let orphans = Set(live.technicians[absent].open.compactMap(\.booking.id))
            let fullOff = try live.problem(mayBreakPromises: false, releasing: orphans)
            let sparseOff = try live.problem(mayBreakPromises: false, releasing: orphans, around: orphans)
            var routes = fullOff.current.routes
            routes.removeAll { $0.vehicle == Int32(absent) }
            for id in orphans {
                let j = try #require(fullOff.job(of: id))
                #expect(Checker(problem: fullOff.problem).insertions(of: j, into: Solution(routes: routes))
                        == Checker(problem: sparseOff.problem).insertions(of: j, into: Solution(routes: routes)))
            }
        }
    }
}
