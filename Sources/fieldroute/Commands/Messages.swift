import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Messages: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "messages",
            abstract: "What a technician has been told: visits cancelled or moved, changes to their day.",
            discussion: """
            Examples:
              fieldroute messages --technician T-03
              fieldroute messages --technician T-03 --since 2026-11-24T08:00:00+01:00 --json
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Technician id.") var technician: String
        @Option(help: ArgumentHelp("Only messages at or after this moment: Unix seconds or ISO-8601 with a zone.", valueName: "time"))
        var since: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let from = try since.map { text throws(FieldRouteError) in try Engine.instant(text, name: "--since") } ?? .min
            let messages = try store.engine().messages.technicianMessages(technician: technician, since: from)
            if json { try printJSON(messages); return }
            print(table(header: ["at (UTC)", "booking", "message"], rows: messages.map {
                [utcTime($0.at), $0.booking ?? "-", $0.body]
            }))
            print("\(messages.count) messages")
        }
    }
}
