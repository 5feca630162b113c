import ArgumentParser
import FieldRoute
import Foundation

extension ParsableCommand {
    /// Parses the command line and runs the command; exit codes are decided here, once, for every
    /// FieldRoute binary: FieldRoute errors say whether the input was at fault (2 bad input, 3 not
    /// possible, 1 internal); argument-parser's usage and validation errors (64 by default) become 2.
    public static func runExitingWithFieldRouteCodes(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
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

/// One line on stderr, prefixed "fieldroute: ".
public func printError(_ message: String) {
    FileHandle.standardError.write(Data("fieldroute: \(FieldRouteError.oneLine(message))\n".utf8))
}
