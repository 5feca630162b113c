import Foundation

/// Writes a progress line to stderr when stderr is a terminal.
func progress(_ message: String) {
    if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
}
