import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "The nightly batch: plan a day's routes and promised windows, replacing any earlier plan of that day.",
            discussion: """
            Reads the day's shifts and booked visits, solves the routing problem (skills, windows, \
            pinned technicians, priorities), computes a promised window per visit (90 % of simulated \
            arrivals, at most 60 minutes, 5-minute edges) and stores routes, stops and windows in one \
            transaction. Unplanned visits are listed with the reason.

            Examples:
              fieldroute plan --db ops.sqlite --date 2026-11-24
              fieldroute plan --date 2026-11-24 --time-limit 30 --json
            """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Local day to plan.", valueName: "yyyy-mm-dd")) var date: String
        @Option(help: "Region name (needed when the database has several).") var region: String?
        @Option(help: ArgumentHelp("Seconds the solver may search.", valueName: "s")) var timeLimit: Double = 10
        @Option(help: ArgumentHelp("Search this many iterations instead (reproducible with --seed).", valueName: "n"))
        var iterations: Int?
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Share of simulated arrivals a promised window must hold.", valueName: "0-1")) var windowCoverage = 0.9
        @Option(help: ArgumentHelp("Widest promised window, minutes.", valueName: "min")) var maxWindow = 60
        @Option(help: ArgumentHelp("Minutes the plan keeps clear before each allowed window closes (at most half the window).",
                                   valueName: "min")) var lateMargin = 30
        @Flag(help: "Print the summary as JSON.") var json = false

        func validate() throws {
            if RegionClock.parseDay(date) == nil { throw ValidationError("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(date)'.") }
            if !(timeLimit > 0) { throw ValidationError("--time-limit wants a positive number of seconds.") }
            if let iterations, iterations <= 0 { throw ValidationError("--iterations wants a positive whole number.") }
            if !(windowCoverage > 0 && windowCoverage <= 1) { throw ValidationError("--window-coverage wants a share in (0, 1].") }
            if !(10...480).contains(maxWindow) { throw ValidationError("--max-window wants 10–480 minutes.") }
            if !(0...240).contains(lateMargin) { throw ValidationError("--late-margin wants 0–240 minutes.") }
        }

        func run() throws {
            let engine = try store.engine()
            let terminal = isatty(STDERR_FILENO) != 0
            var options = PlanOptions(timeLimit: timeLimit, iterations: iterations, seed: seed,
                                      policy: try PlanOptions.windowPolicy(coverage: windowCoverage, maxMinutes: maxWindow))
            options.lateMargin = Int64(lateMargin) * 60
            let summary = try engine.planner.plan(day: date, region: region, options: options) { p in
                if terminal {
                    FileHandle.standardError.write(Data("\rplanning: iteration \(p.iteration), cost \(p.bestCost) s\(p.feasible ? "" : " (infeasible)")   ".utf8))
                }
            }
            if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
            if json { try printJSON(summary); return }
            print(render(summary))
        }
    }
}

/// The plan summary as a table.
func render(_ s: PlanSummary) -> String {
    var lines = ["Plan for \(s.region), \(s.day): \(s.assigned) visits planned, \(s.unassigned.count) not planned"
        + (s.feasible ? "" : " (INFEASIBLE)") + "; median promised window \(Int(s.medianWindowMinutes)) min"]
    let rows = s.technicians.map { t in
        [t.id, "\(t.route.count)", String(format: "%.1f", t.kilometres), String(format: "%.1f", t.driveHours),
         String(format: "%.1f", t.serviceHours), String(format: "%.1f", t.shiftHours), String(format: "%.0f %%", t.utilisation * 100),
         t.lunchBreak ?? "-", t.leaves, minutes(t.waitMinutes)]
    }
    lines.append(table(header: ["technician", "visits", "km", "drive h", "service h", "shift h", "utilisation", "break", "leaves", "waits"],
                       rows: rows))
    for u in s.unassigned { lines.append("  not planned: \(u.id) (\(u.reason.replacingOccurrences(of: "_", with: " ")))") }
    lines.append("searched \(s.iterations) iterations in \(s.seconds) s")
    return lines.joined(separator: "\n")
}
