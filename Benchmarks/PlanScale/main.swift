import FieldRoute
import Foundation

// The nightly plan at scale: 100 technicians, 1,500 visits (the demo generator), planned with the
// time limit given (default 60 s) and again with a longer one (default four times as long), same
// seed; prints both costs.
//
//     swift run -c release PlanScale [seconds] [long seconds]      e.g. PlanScale 60 600
let limit = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 60
let long = CommandLine.arguments.dropFirst(2).first.flatMap(Double.init) ?? 4 * limit
var rows: [(Double, PlanSummary, Int64, Double)] = []
for seconds in [limit, long] {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("plan-scale-\(UUID()).sqlite").path
    defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
    let engine = try Engine(path: path)
    try engine.loadDemo(.generate(seed: 11, technicians: 100, bookings: 1_500))
    let started = Date()
    let summary = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(timeLimit: seconds, seed: 1))
    let wall = Date().timeIntervalSince(started)
    let cost = summary.cost
    rows.append((seconds, summary, cost, wall))
    print(String(format: "time limit %4.0f s: wall %6.1f s (solver %6.1f s, %d iterations), assigned %d/1500, cost %d, feasible %@",
                 seconds, wall, summary.seconds, summary.iterations, summary.assigned, cost, summary.feasible ? "yes" : "no"))
}
if rows.count == 2 {
    print(String(format: "cost at %.0f s is %.2f %% above the %.0f s run", rows[0].0,
                 100 * Double(rows[0].2 - rows[1].2) / Double(rows[1].2), rows[1].0))
}
