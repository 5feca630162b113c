import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Pings: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pings", abstract: "GPS pings: ingest them and turn them into geofence events.",
                                                        subcommands: [Ingest.self])

        struct Ingest: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ingest",
                abstract: "Ingest pings from CSV: store them, detect fence events, mark visits arrived and completed, tell customers.",
                discussion: """
                Columns: technician, timestamp (Unix seconds or ISO-8601 with a zone), lat, lon, and optionally \
                accuracy (m), speed (m/s), heading (degrees). The file is checked first (a bad row stops \
                everything: FILE:LINE: field: reason); then each batch is one transaction. Ingesting the same \
                file twice changes nothing, and a crash between batches loses no committed ping and repeats \
                no event.

                Effects: staying at a booked site (site fence, 50 m by default: 'fieldroute settings set \
                tracking') marks the visit arrived; leaving marks it completed and tells the next customer the \
                technician is on the way; entering the approach zone of the technician's next stop (1.5 km) \
                queues "arriving in about N min". Messages go to the outbox, once each.

                Examples:
                  fieldroute pings ingest pings.csv
                  fieldroute pings ingest pings.csv --batch 20000 --json
                """)

            @OptionGroup var store: StoreOptions
            @Argument(help: ArgumentHelp("CSV file of pings.", valueName: "file")) var file: String
            @Option(help: ArgumentHelp("Pings per transaction.", valueName: "n")) var batch = 5_000
            @Flag(help: "Print the summary as JSON.") var json = false

            func validate() throws {
                if batch <= 0 { throw ValidationError("--batch wants a positive whole number.") }
            }

            func run() throws {
                let summary = try store.engine().tracker.ingestPings(path: file, batchSize: batch) { done, total in
                    progress("ingested \(done)/\(total) pings")
                }
                if json { try printJSON(summary); return }
                print("\(summary.rows) pings read, \(summary.stored) new, \(summary.events) events, "
                      + "\(summary.arrived) visits arrived, \(summary.completed) completed, "
                      + (summary.inferredDone > 0 ? "\(summary.inferredDone) inferred done (not seen arriving), " : "")
                      + "\(summary.messages) messages queued "
                      + "(\(summary.batches) batches)")
            }
        }
    }

    struct Events: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "events", abstract: "Geofence events.", subcommands: [List.self],
                                                        defaultSubcommand: List.self)

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "List geofence events (enter, dwell = arrived, exit, approach), oldest first.",
                discussion: """
                Examples:
                  fieldroute events list
                  fieldroute events list --technician T-03 --json
                """)

            @OptionGroup var store: StoreOptions
            @Option(help: "Only this technician.") var technician: String?
            @Flag(help: "Print JSON instead of a table.") var json = false

            func run() throws {
                let events = try store.engine().tracker.events(technician: technician)
                if json { try printJSON(events); return }
                let rows = events.map { e in
                    [utcTime(e.timestamp), e.technician, e.kind, e.fence, e.booking ?? "-"]
                }
                print(table(header: ["time (UTC)", "technician", "event", "fence", "booking"], rows: rows))
                print("\(events.count) events")
            }
        }
    }
}
