import ArgumentParser
import CommandLineSupport
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
                abstract: "Hand out the messages due now: reminders, morning-of windows, 'arriving', 'window changed'.",
                discussion: """
                Links are written in as the messages are handed out (a fresh token each time; only its hash \
                is stored). Handing out also withdraws, with the reason, what no longer holds: messages of a \
                visit that ended, reminders and morning messages once the visit has begun, "arriving" once \
                the technician is there. SMS inside the quiet hours stay pending until they end (real-time \
                ones until reminders.realTimeFrom) and come in a later call.

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
                A failed message is tried once more: on the customer's other channel (SMS or e-mail) when \
                they have one, else on the same; it is due again at once. A second failure is final.

                Examples:
                  fieldroute reminders mark-sent 12 13 14
                  fieldroute reminders mark-sent 15 --failed "number not reachable"
                """)
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @Argument(help: "Message ids.") var ids: [Int64]
            @Option(help: "Mark them failed with this reason.") var failed: String?

            func run() throws {
                let marked = try store.engine().messages.markSent(ids: ids, failed: failed, now: try clock.value())
                if failed == nil { print("\(marked.count) marked sent"); return }
                for m in marked {
                    print(m.status == "pending" ? "\(m.id): failed; tried again on \(m.channel) to \(m.recipient)" : "\(m.id): failed for good")
                }
            }
        }
    }
}
