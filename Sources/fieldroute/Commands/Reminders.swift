import ArgumentParser
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Reminders: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reminders",
            abstract: "Hand due messages to a sender and record delivery.", subcommands: [Due.self, MarkSent.self])

        struct Due: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "due",
                abstract: "Pending messages due now: reminders, morning-of windows, 'arriving', 'window changed'.",
                discussion: """
                Examples:
                  fieldroute reminders due --json
                  fieldroute reminders due --now 2026-11-24T08:00:00+01:00
                """)
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @Flag(help: "Print JSON.") var json = false

            func run() throws {
                let due = try store.engine().messages.dueMessages(now: try clock.value())
                if json { try printJSON(due); return }
                print(table(header: ["id", "due (UTC)", "channel", "to", "kind", "booking"], rows: due.map {
                    ["\($0.id)", utcTime($0.dueAt), $0.channel, $0.recipient,
                     $0.template, $0.booking ?? "-"]
                }))
                print("\(due.count) due")
            }
        }

        struct MarkSent: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "mark-sent",
                abstract: "Record that messages went out, or failed with a reason.",
                discussion: """
                Examples:
                  fieldroute reminders mark-sent 12 13 14
                  fieldroute reminders mark-sent 15 --failed "number not reachable"
                """)
            @OptionGroup var store: StoreOptions
            @Argument(help: "Message ids.") var ids: [Int64]
            @Option(help: "Mark them failed with this reason.") var failed: String?

            func run() throws {
                let marked = try store.engine().messages.markSent(ids: ids, failed: failed)
                print("\(marked.count) marked \(failed == nil ? "sent" : "failed")")
            }
        }
    }
}
