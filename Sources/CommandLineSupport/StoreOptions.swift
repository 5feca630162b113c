import ArgumentParser
import FieldRoute
import Foundation

/// `--db PATH` for every command that touches state, in both binaries.
public struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"),
            help: ArgumentHelp("SQLite database file (default: $FIELDROUTE_DB, else ./fieldroute.sqlite).", valueName: "path"))
    public var path: String?

    public init() {}

    public var resolvedPath: String {
        if let path { return path }
        if let env = ProcessInfo.processInfo.environment["FIELDROUTE_DB"], !env.isEmpty { return env }
        return "fieldroute.sqlite"
    }

    public func engine() throws(FieldRouteError) -> Engine { try Engine(path: resolvedPath) }
}
