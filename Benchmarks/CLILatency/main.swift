import FieldRoute
import Foundation

// Dispatcher calls through the real CLI, process start included: a live day of 50 technicians and
// 500 visits (the demo generator, seed 7), planned once; then `fieldroute dispatch` runs insert_job
// and cancel_job one process each, and the wall time of every call is measured.
//
//     swift run -c release CLILatency [calls] [path to fieldroute]   (default 40, ../.build/release/fieldroute)
let arguments = CommandLine.arguments.dropFirst()
let calls = arguments.first.flatMap(Int.init) ?? 40
let binary = arguments.dropFirst().first
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.build/release/fieldroute").standardized.path
guard FileManager.default.isExecutableFile(atPath: binary) else {
    FileHandle.standardError.write(Data("no fieldroute at \(binary): build it with 'swift build -c release' in the main package\n".utf8))
    exit(2)
}
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-latency-\(UUID())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
// FIELDROUTE_KEEP=1 keeps the database (to profile a call), and says where.
let keep = ProcessInfo.processInfo.environment["FIELDROUTE_KEEP"] == "1"
defer { if keep { print("kept \(folder.path)") } else { try? FileManager.default.removeItem(at: folder) } }
let db = folder.appendingPathComponent("day.sqlite").path
let engine = try Engine(path: db)
try engine.loadDemo(.generate(seed: 7, technicians: 50, bookings: 500))
let planned = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 300)).technicians.flatMap(\.route)

/// Runs one dispatch call from a request file; returns milliseconds and whether it answered ok.
/// posix_spawn and waitpid, not Foundation's Process: its waitUntilExit polls a run loop and rounds
/// every call up to tens of milliseconds.
func call(_ json: String, _ n: Int) throws -> (Double, Bool) {
    let request = folder.appendingPathComponent("r\(n).json")
    try Data(json.utf8).write(to: request)
    let argv = [binary, "dispatch", "--db", db, "--request", request.path]
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    var pid: pid_t = 0
    let started = ContinuousClock.now
    let spawned = posix_spawn(&pid, binary, &actions, nil, &cArgs, environ)
    guard spawned == 0 else { throw CocoaError(.fileReadUnknown, userInfo: ["spawn": spawned]) }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    let elapsed = ContinuousClock.now - started
    let exitedOK = (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0
    return (Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) * 1e-15, exitedOK)
}

func report(_ name: String, _ times: [Double], ok: Int) {
    let sorted = times.sorted()
    func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))] }
    print(String(format: "%@: %d calls (%d answered ok), p50 %.1f ms, p95 %.1f ms, max %.1f ms", name, times.count, ok, q(0.5), q(0.95),
                 sorted.last ?? 0))
}

let now = "2026-11-24T07:00:00+01:00"
var times: [Double] = [], ok = 0
for n in 0..<calls {
    let json = """
        {"op": "insert_job", "date": "\(DemoRegion.day)", "now": "\(now)", "job": {"id": "B-URG-\(n)", "customer": "C-1001",
         "lat": \(45.75 + Double(n % 20) * 0.001), "lon": 4.84, "duration_min": 20, "windows": ["08:00-18:00"]}}
        """
    let (ms, answered) = try call(json, n)
    times.append(ms); ok += answered ? 1 : 0
}
report("insert_job through the CLI, 50 technicians / 500 visits", times, ok: ok)
times = []; ok = 0
for n in 0..<calls {
    let json = """
        {"op": "cancel_job", "date": "\(DemoRegion.day)", "now": "\(now)", "booking": "\(planned[(n * 7) % planned.count])",
         "reason": "other", "note": "benchmark"}
        """
    let (ms, answered) = try call(json, calls + n)
    times.append(ms); ok += answered ? 1 : 0
}
report("cancel_job through the CLI, 50 technicians / 500 visits", times, ok: ok)
