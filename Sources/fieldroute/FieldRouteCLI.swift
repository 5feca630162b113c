import ArgumentParser
import FieldRoute
import Foundation

@main
struct FieldRouteCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldroute",
        abstract: "Plan technicians' routes and keep arrival windows honest.",
        discussion: """
        State lives in one SQLite database: --db PATH, else $FIELDROUTE_DB, else ./fieldroute.sqlite.
        Exit codes: 0 success, 1 internal failure, 2 bad input or usage, 3 understood but not possible
        (dispatch: the job fits nowhere).

        Start with the demo:  fieldroute demo
        Or set up your own:   fieldroute init --region lyon --time-zone Europe/Paris
                              fieldroute import technicians techs.csv
        """,
        subcommands: [Demo.self, Init.self, Import.self, Settings.self, Bookings.self, Plan.self, Dispatch.self, Slots.self, Book.self,
                      Hold.self, Offer.self, Confirm.self, Cancel.self, Reschedule.self, Link.self, Outcome.self, Payment.self, Customer.self,
                      Reminders.self, Simulate.self, Windows.self, Track.self, Learn.self, Pings.self, Events.self, Report.self, Solve.self,
                      Check.self, Messages.self, Regions.self, MCP.self, Serve.self, StaffToken.self])

    /// Exit codes are decided here, once: FieldRoute errors say whether the input was at fault;
    /// argument-parser's usage and validation errors (64 by default) become 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as FieldRouteError {
            printError(error.description)
            Foundation.exit(error.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            printError(fullMessage(for: error))
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? 2 : code.rawValue)
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("fieldroute: \(FieldRouteError.oneLine(message))\n".utf8))
}

/// Prints an Encodable as pretty JSON with sorted keys on stdout.
func printJSON<T: Encodable>(_ value: T) throws(FieldRouteError) {
    print(try AnswerJSON.text(value))
}
