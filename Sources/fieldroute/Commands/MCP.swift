import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct MCP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mcp",
            abstract: "Serve the dispatcher's tools to an assistant over the Model Context Protocol (stdio).",
            discussion: """
            JSON-RPC 2.0, one message per line on stdin and stdout (MCP's stdio transport); nothing else \
            is written to stdout. Tools: day_windows, why_unplanned, find_slots, book, insert_job, \
            cancel_job, move_job, technician_unavailable, reoptimize (a what-if unless "commit": true). \
            Each has a JSON Schema (tools/list); answers are the CLI's JSON for the same request, and a \
            bad or refused call is a tool error carrying the CLI's message.

            Example (an assistant's configuration):
              {"command": "fieldroute", "args": ["mcp", "--db", "ops.sqlite"]}
            """)
        @OptionGroup var store: StoreOptions

        func run() throws {
            let server = AssistantServer(engine: try store.engine())
            while let line = readLine(strippingNewline: true) {
                guard let reply = server.handle(line) else { continue }
                FileHandle.standardOutput.write(Data((reply + "\n").utf8))
            }
        }
    }
}
