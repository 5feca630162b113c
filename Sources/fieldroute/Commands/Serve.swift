import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    /// Listed here for `fieldroute --help`; `fieldroute serve …` itself runs the `fieldroute-serve`
    /// binary beside this one (Sources/fieldroute-serve), so the CLI carries no HTTP stack.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the JSON API, the customers' self-service pages and the dispatcher's day over HTTP.",
            discussion: "Runs fieldroute-serve, installed beside fieldroute; its options: fieldroute serve --help.")
        @Argument(parsing: .captureForPassthrough) var arguments: [String] = []

        func run() throws { Self.exec(arguments) }

        /// Replaces this process with `fieldroute-serve` from this binary's folder, passing `arguments` on.
        static func exec(_ arguments: [String]) -> Never {
            let binary = URL(fileURLWithPath: Self.ownPath()).deletingLastPathComponent().appendingPathComponent("fieldroute-serve").path
            guard FileManager.default.isExecutableFile(atPath: binary) else {
                printError("serve needs \(binary) (swift build --product fieldroute-serve, or make release)")
                Foundation.exit(1)
            }
            let argv = ([binary] + arguments).map { strdup($0) } + [nil]
            execv(binary, argv)
            printError("cannot run \(binary): \(String(cString: strerror(errno)))")
            Foundation.exit(1)
        }

        /// This executable's path (Linux: /proc/self/exe, so a symlink or PATH lookup still finds the folder).
        private static func ownPath() -> String {
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
            return CommandLine.arguments[0]
        }
    }

    struct StaffToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staff-token",
            abstract: "Make a staff token for 'fieldroute serve' (the dispatcher's pages and API); printed once, only its hash kept.",
            discussion: """
            Examples:
              fieldroute staff-token --db ops.sqlite --label "dispatch desk"
              curl -H "Authorization: Bearer $(fieldroute staff-token --label ci)" localhost:8080/api/day/2026-11-24
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Who or what it is for.") var label = "staff"

        func run() throws { print(try store.engine().makeStaffToken(label: label)) }
    }
}
