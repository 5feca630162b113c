import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

@main
struct FieldRouteCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldroute",
        abstract: "Plan technicians' routes and keep arrival windows honest.",
        discussion: """
        State lives in one SQLite database: --db PATH, else $FIELDROUTE_DB, else ./fieldroute.sqlite.
        Exit codes: 0 success, 1 internal failure, 2 bad input or usage, 3 understood but not possible \
        (dispatch: the job fits nowhere), 4 a service the region depends on did not answer (its OSRM \
        server; nothing was written).

        Start with the demo:  fieldroute demo
        Or set up your own:   fieldroute init --region lyon --time-zone Europe/Paris
                              fieldroute import technicians techs.csv
        """,
        subcommands: [Demo.self, Init.self, Import.self, Settings.self, Bookings.self, Plan.self, Dispatch.self, Slots.self, Book.self,
                      Hold.self, Offer.self, Confirm.self, Cancel.self, Reschedule.self, Link.self, Outcome.self, Payment.self, Customer.self,
                      Reminders.self, Simulate.self, Windows.self, Track.self, Learn.self, Pings.self, Events.self, Report.self, Solve.self,
                      Check.self, Messages.self, Regions.self, MCP.self, Serve.self, StaffToken.self])

    /// `fieldroute serve …` runs the service binary (``Serve``); everything else is parsed here,
    /// with the exit codes every FieldRoute binary shares.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "serve" { Serve.exec(Array(arguments.dropFirst())) }
        runExitingWithFieldRouteCodes(arguments)
    }
}

/// Prints an Encodable as pretty JSON with sorted keys on stdout.
func printJSON<T: Encodable>(_ value: T) throws(FieldRouteError) {
    print(try AnswerJSON.text(value))
}
