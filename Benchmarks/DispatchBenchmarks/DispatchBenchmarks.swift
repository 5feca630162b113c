import Benchmark
import FieldRoute
import Foundation
import Synchronization

/// A live day of 50 technicians and 500 visits (the demo generator at scale), planned once per
/// process; returns its file (closed, so the file alone holds it) and the planned visits.
let plannedDay: (path: String, visits: [String]) = {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-base-\(UUID()).sqlite").path
    do {
        let engine = try Engine(path: path)
        try engine.loadDemo(.generate(seed: 7, technicians: 50, bookings: 500))
        let plan = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 300))
        return (path, plan.technicians.flatMap(\.route))
    } catch {
        fatalError("cannot plan the benchmark's live day: \(error)")
    }
}()

/// A copy of the planned day, so every measured call starts from the same state (a few ms, not a
/// re-plan, so a run takes hundreds of samples), read once so the engine is warm as in a process
/// that keeps it (a service, a library caller); `n` counts the samples, to vary the call.
func liveDay() throws -> (engine: Engine, visits: [String], n: Int, remove: () -> Void) {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("dispatch-\(UUID()).sqlite").path
    try FileManager.default.copyItem(atPath: plannedDay.path, toPath: copy)
    let n = samples.withLock { count in count += 1; return count }
    let engine = try Engine(path: copy)
    _ = try engine.dispatcher.liveDay(date: DemoRegion.day, now: "2026-11-24T07:00:00+01:00")
    return (engine, plannedDay.visits, n,
            { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + s) } })
}

let samples = Mutex(0)

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
        let (engine, _, _, remove) = try liveDay()
        defer { remove() }
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            blackHole(try engine.dispatcher.liveDay(date: DemoRegion.day, now: "2026-11-24T11:00:00+01:00"))
            benchmark.stopMeasurement()
        }
    }

    Benchmark("insert_job: 50 technicians, 500 visits, store read and write included", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let (engine, _, n, remove) = try liveDay()
            defer { remove() }
            let job = DispatchRequest.NewJob(id: "B-URG-\(n)", customer: "C-1001", lat: 45.75 + Double(n % 20) * 0.001, lon: 4.84,
                                             durationMin: 20, windows: ["08:00-18:00"])
            let request = DispatchRequest(op: .insertJob, date: DemoRegion.day, now: "2026-11-24T07:00:00+01:00", job: job)
            benchmark.startMeasurement()
            blackHole(try? engine.dispatcher.dispatch(request))
            benchmark.stopMeasurement()
        }
    }

    Benchmark("cancel_job: 50 technicians, 500 visits, store read and write included", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let (engine, planned, n, remove) = try liveDay()
            defer { remove() }
            let request = DispatchRequest(op: .cancelJob, date: DemoRegion.day, now: "2026-11-24T07:00:00+01:00",
                                          booking: planned[(n * 7) % planned.count], reason: "other", note: "benchmark")
            benchmark.startMeasurement()
            blackHole(try? engine.dispatcher.dispatch(request))
            benchmark.stopMeasurement()
        }
    }
}
