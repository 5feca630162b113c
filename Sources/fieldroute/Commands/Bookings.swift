import ArgumentParser
import CommandLineSupport
import FieldRoute

extension FieldRouteCLI {
    struct Bookings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bookings",
            abstract: "Bookings and their state.",
            subcommands: [List.self], defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List bookings with status, allowed windows and promised windows.",
                discussion: """
                Examples:
                  fieldroute bookings list --date 2026-11-24
                  fieldroute bookings list --json | jq '.[] | select(.status == "booked")'
                """)

            @OptionGroup var store: StoreOptions
            @Option(help: ArgumentHelp("Only this local day.", valueName: "yyyy-mm-dd")) var date: String?
            @Flag(help: "Print JSON instead of a table.") var json = false

            func validate() throws {
                if let date, RegionClock.parseDay(date) == nil {
                    throw ValidationError("--date wants yyyy-mm-dd, e.g. 2026-11-24; got '\(date)'.")
                }
            }

            func run() throws {
                let bookings = try store.engine().bookings.list(day: date)
                if json { try printJSON(bookings); return }
                let rows = bookings.map { b in
                    [b.id, b.customer, b.day, b.status.rawValue, b.windows.joined(separator: " "), "\(b.durationMinutes)",
                     b.skills.joined(separator: ";"), b.technician ?? "-", b.promised ?? "-"]
                }
                print(table(header: ["id", "customer", "day", "status", "windows", "min", "skills", "tech", "promised"], rows: rows))
                print("\(bookings.count) bookings")
            }
        }
    }
}
