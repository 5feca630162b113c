import ArgumentParser
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Build a fresh database from the built-in demo region (Lyon, 8 technicians, 120 bookings), plan the day, simulate it, report.",
            discussion: """
            The demo data is generated deterministically and imported through the ordinary importer. \
            An existing file at --db is replaced only if it is an earlier demo database.

            Examples:
              fieldroute demo
              fieldroute demo --db /tmp/demo.sqlite --json
              fieldroute demo --export Fixtures/demo     (write the demo CSV files instead)
            """)

        @Option(name: .customLong("db"), help: ArgumentHelp("Database to create.", valueName: "path"))
        var path = "fieldroute-demo.sqlite"
        @Option(help: ArgumentHelp("Write the demo CSV files into this folder and stop.", valueName: "dir"))
        var export: String?
        @Option(help: ArgumentHelp("Seconds the planner may search.", valueName: "s")) var timeLimit: Double = 5
        @Flag(help: "Print the summary as JSON.") var json = false

        func validate() throws {
            if !(timeLimit > 0) { throw ValidationError("--time-limit wants a positive number of seconds.") }
        }

        func run() throws {
            let demo = DemoRegion.generate()
            if let export {
                try write(demo, to: export)
                return
            }
            let manager = FileManager.default
            if manager.fileExists(atPath: path) {
                guard Engine.isDemoDatabase(path: path) else {
                    throw FieldRouteError.badInput("\(path) exists and is not a demo database; choose another --db")
                }
                for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: path + suffix) }
            }
            progress("building demo database \(path)…")
            let engine = try Engine(path: path)
            let summary = try engine.loadDemo(demo)
            progress("planning \(summary.day) for \(String(format: "%.0f", timeLimit)) s…")
            let plan = try engine.planner.plan(day: summary.day, options: PlanOptions(timeLimit: timeLimit))
            progress("simulating the day: late legs, overruns, GPS pings → geofence events and live windows…")
            let day = try engine.promises.simulate(day: summary.day, seed: 1)
            let windows = try engine.promises.windowReport(from: summary.day, to: summary.day)
            if json { try printJSON(DemoReport(data: summary, plan: plan, simulation: day, windows: windows)); return }
            print("""
            Demo region \(summary.region), \(summary.day) (database \(path))
              technicians: \(summary.technicians), \(String(format: "%.1f", summary.shiftHours)) shift hours
              bookings:    \(summary.bookings), \(String(format: "%.1f", summary.serviceHours)) service hours
              windows:     \(summary.windowWidths.sorted { $0.key < $1.key }.map { "\($0.value)×\($0.key)" }.joined(separator: ", "))
              skills:      \(summary.skills.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

            \(render(plan))

            Day simulated (seed 1: log-normal travel and service times with late legs and overruns, a GPS fix
            every 5–30 s): \(day.pings) pings → \(day.arrived) visits arrived, \(day.completed) completed,
            \(day.windowChanges) told windows changed live. Windows kept:
            \(windows.horizons.map { "  \($0.horizon): \(String(format: "%.0f", $0.kept * 100)) % of \($0.visits) inside, median \(Int($0.medianWidthMinutes)) min wide" }.joined(separator: "\n"))

            Next: fieldroute bookings list --db \(path) --date \(summary.day)   (allowed and promised windows)
                  fieldroute events list --db \(path) --technician T-01
                  fieldroute reminders due --db \(path) --now \(summary.day)T12:00:00+01:00
            """)
        }

        private func write(_ demo: DemoRegion, to folder: String) throws {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                for (_, name) in DemoRegion.fileOrder {
                    try Data((demo.files[name] ?? "").utf8).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
                }
            } catch {
                throw FieldRouteError.badInput("cannot write demo files to \(folder): \(error.localizedDescription)")
            }
            print("wrote \(DemoRegion.fileOrder.map(\.1).joined(separator: ", ")) to \(folder)")
        }
    }
}

/// `fieldroute demo --json`: the data loaded and the plan made.
struct DemoReport: Encodable {
    var data: DemoSummary
    var plan: PlanSummary
    var simulation: SimulationSummary
    var windows: WindowReport
}
