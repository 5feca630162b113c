import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Dispatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dispatch",
            abstract: "One dispatcher call: a JSON request on stdin, a JSON answer on stdout.",
            discussion: """
            Operations (field "op"): insert_job, cancel_job, technician_unavailable, reoptimize, move_job. \
            Every request names its "date" (a planned day); "now" (Unix seconds or ISO-8601) defaults to \
            the clock; "commit": false answers what-if without writing; "may_break_promises": true lets \
            windows already told to customers move (each change is listed and queued as a message). \
            The driven part of the day (arrived, completed, en route, or planned to have started by now) \
            never moves. The README documents every field with examples.

            Answers: {"ok": true, ...}; a bad request is {"ok": false, "error": {...}} with exit code 2; a \
            request that cannot be done (the job fits nowhere) exit code 3 with "why_not" per technician.

            Examples:
              echo '{"op": "cancel_job", "date": "2026-11-24", "booking": "B-2007"}' | fieldroute dispatch
              fieldroute dispatch --request urgent.json --db ops.sqlite
            """)

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Read the request from this file instead of stdin.", valueName: "file")) var request: String?

        func run() throws {
            let data: Data
            if let request {
                guard let read = FileManager.default.contents(atPath: request) else {
                    finish(DispatchCall.failure(.badInput("cannot read \(request)")))
                }
                data = read
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            do { finish(DispatchCall.run(data, engine: try store.engine())) } catch { finish(DispatchCall.failure(error)) }
        }

        /// The answer on stdout for the caller's program, a failure's message on stderr for a person, and the exit code.
        private func finish(_ call: DispatchCall) -> Never {
            print(call.json)
            if let message = call.message { printError(message) }
            Foundation.exit(call.exitCode)
        }
    }
}
