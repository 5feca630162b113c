import ArgumentParser
import FieldRoute
import Foundation

/// `--db PATH` for every command that touches state.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("db"),
            help: ArgumentHelp("SQLite database file (default: $FIELDROUTE_DB, else ./fieldroute.sqlite).", valueName: "path"))
    var path: String?

    var resolvedPath: String { Engine.databasePath(given: path) }

    func engine() throws(FieldRouteError) -> Engine { try Engine(path: resolvedPath) }
}

/// Writes a progress line to stderr when stderr is a terminal.
func progress(_ message: String) {
    if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
}
