import ArgumentParser
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Dispatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dispatch",
            abstract: "One dispatcher call: a JSON request on stdin, a JSON answer on stdout.",
            discussion: """
            Operations (field "op"): insert_job, cancel_job, technician_unavailable, reoptimize, move_job.
            Every request names its "date" (a planned day); "now" (Unix seconds or ISO-8601) defaults to
            the clock; "commit": false answers what-if without writing; "may_break_promises": true lets
            windows already told to customers move (each change is listed and queued as a message).
            The driven part of the day (arrived, completed, en route, or planned to have started by now)
            never moves. The README documents every field with examples.

            Answers: {"ok": true, ...}; a bad request is {"ok": false, "error": {...}} with exit code 2; a
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
                    fail(.badInput("cannot read \(request)"))
                }
                data = read
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            do {
                let parsed = try DispatchRequest.decode(data)
                let answer = try store.engine().dispatcher.dispatch(parsed)
                print(try AnswerJSON.text(answer, snakeCase: true))
            } catch {
                fail(error)
            }
        }

        /// Writes the error as a JSON answer and exits with its code.
        private func fail(_ error: FieldRouteError) -> Never {
            struct Failure: Encodable {
                struct Body: Encodable { var code: String; var message: String; var whyNot: [DispatchRefusal.Reason]? }
                var ok = false
                var error: Body
            }
            let body: Failure.Body
            switch error {
            case let .refused(refusal):
                body = .init(code: refusal.code, message: FieldRouteError.oneLine(refusal.message), whyNot: refusal.whyNot)
            default:
                body = .init(code: error.isBadInput ? "bad_request" : "internal", message: FieldRouteError.oneLine(error.description), whyNot: nil)
            }
            // The answer on stdout for the caller's program, the same message on stderr for a person.
            print((try? AnswerJSON.text(Failure(error: body), snakeCase: true)) ?? #"{"ok": false}"#)
            printError(body.message)
            Foundation.exit(error.exitCode)
        }
    }
}

