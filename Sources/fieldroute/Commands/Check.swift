import ArgumentParser
import CommandLineSupport
import FieldRoute

extension FieldRouteCLI {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check the day's invariants; exit 1 when any is broken.",
            discussion: """
            Every booked or confirmed visit of a planned day is on exactly one route or listed unplanned \
            with a reason; no stop for a cancelled visit; stops still to come and breaks do not overlap; \
            every planned start still to come lies in its allowed and its told window; no pending \
            message for a cancelled visit; every told-window change has its message. \
            (That driven stops never change is checked on every write with FIELDROUTE_CHECK=1.)

            Examples:
              fieldroute check --date 2026-11-24
              fieldroute check --json
              FIELDROUTE_CHECK=1 fieldroute plan --date 2026-11-24   # refuse any write that breaks one
            """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this local day.", valueName: "yyyy-mm-dd")) var date: String?
        @Option(help: "Region name; optional when there is one.") var region: String?
        @Flag(help: "Print JSON instead of lines.") var json = false

        func validate() throws {
            if let date, RegionClock.parseDay(date) == nil {
                throw ValidationError("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(date)'.")
            }
        }

        struct Line: Encodable { var day: String; var booking: String; var rule: String; var detail: String }

        func run() throws {
            let broken = try store.engine().checkInvariants(day: date, region: region)
            if json {
                try printJSON(broken.map { Line(day: $0.day, booking: $0.booking, rule: $0.rule.rawValue, detail: $0.detail) })
            } else {
                for v in broken { print(v.description) }
                print(broken.isEmpty ? "all invariants hold" : "\(broken.count) broken")
            }
            if !broken.isEmpty { throw ExitCode(1) }
        }
    }
}
