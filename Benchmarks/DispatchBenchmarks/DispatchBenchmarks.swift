import Benchmark
import FieldRoute
import Foundation

/// A live day of 50 technicians and 500 visits (the demo generator at scale), planned once; each
/// measured call reads the day from SQLite, decides and writes its change (commit: true).
func liveDay() throws -> (Engine, [String]) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-\(UUID()).sqlite").path
    let engine = try Engine(path: path)
    try engine.loadDemo(.generate(seed: 7, technicians: 50, bookings: 500))
    let plan = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 300))
    return (engine, plan.technicians.flatMap(\.route))
}

let benchmarks: @Sendable () -> Void = {
    // The nightly plan on the same day, a fixed number of iterations (the same search work every time):
    // load, solve, windows and the transaction that writes the plan.
    let planning = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one,
                                           maxDuration: .seconds(30), maxIterations: 10)
    Benchmark("plan: 50 technicians, 500 visits, 300 iterations, store read and write included", configuration: planning) { benchmark in
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID()).sqlite").path
        let engine = try Engine(path: path)
        try engine.loadDemo(.generate(seed: 7, technicians: 50, bookings: 500))
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            blackHole(try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 300)))
            benchmark.stopMeasurement()
        }
    }

    let configuration = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one,
                                                maxDuration: .seconds(20), maxIterations: 200)
    // What every dispatcher call starts with: reading the live day (routes, stops, bookings, pings, shifts).
    Benchmark("load the live day: 50 technicians, 500 visits", configuration: configuration) { benchmark in
        let (engine, _) = try liveDay()
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            blackHole(try engine.dispatcher.liveDay(date: DemoRegion.day, now: "2026-11-24T11:00:00+01:00"))
            benchmark.stopMeasurement()
        }
    }

    Benchmark("insert_job: 50 technicians, 500 visits, store read and write included", configuration: configuration) { benchmark in
        let (engine, _) = try liveDay()
        for n in benchmark.scaledIterations {
            let job = DispatchRequest.NewJob(id: "B-URG-\(n)", customer: "C-1001", lat: 45.75 + Double(n % 20) * 0.001, lon: 4.84,
                                             durationMin: 20, windows: ["08:00-18:00"])
            let request = DispatchRequest(op: .insertJob, date: DemoRegion.day, now: "2026-11-24T07:00:00+01:00", job: job)
            benchmark.startMeasurement()
            blackHole(try? engine.dispatcher.dispatch(request))
            benchmark.stopMeasurement()
        }
    }

    Benchmark("cancel_job: 50 technicians, 500 visits, store read and write included", configuration: configuration) { benchmark in
        let (engine, planned) = try liveDay()
        for n in benchmark.scaledIterations {
            let request = DispatchRequest(op: .cancelJob, date: DemoRegion.day, now: "2026-11-24T07:00:00+01:00",
                                          booking: planned[(n * 7) % planned.count], reason: "other", note: "benchmark")
            benchmark.startMeasurement()
            blackHole(try? engine.dispatcher.dispatch(request))
            benchmark.stopMeasurement()
        }
    }
}
