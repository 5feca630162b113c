import FieldStore
import RouteSolver
import Geofencing
import ArrivalWindows

/// The engine's error: each case carries the context to name what was wrong, and says whether the
/// caller's input was at fault (exit code 2) or the engine (exit code 1).
public enum FieldRouteError: Error, Sendable, CustomStringConvertible {
    case importFailed(ImportError)
    case store(StoreError)
    case instance(InstanceError)
    case problem(ProblemError)
    case fence(FenceError)
    case window(WindowError)
    /// Bad input that fits no other case; the message says how to fix it.
    case badInput(String)
    /// Understood but not possible (an urgent job that fits nowhere): exit code 3.
    case refused(DispatchRefusal)
    /// A service the region depends on (its OSRM server) did not answer as it should: exit code 4,
    /// worth retrying once it is back. Nothing was written.
    case unavailable(String)
    /// A bug or an environment failure.
    case internalFailure(String)

    /// Maps an error thrown inside a store transaction to the engine's error: engine, import and store
    /// errors keep their meaning; anything else is an internal failure.
    init(wrapping error: any Error) {
        switch error {
        case let error as FieldRouteError: self = error
        case let error as ImportError: self = .importFailed(error)
        case let error as StoreError: self = .store(error)
        default: self = .internalFailure(String(describing: error))
        }
    }

    public var isBadInput: Bool {
        switch self {
        case .importFailed, .instance, .problem, .fence, .window, .badInput: true
        case let .store(error): error.isBadInput
        case .internalFailure, .refused, .unavailable: false
        }
    }

    /// The process exit code for this error: 2 bad input, 3 refused, 4 a service unavailable, 1 otherwise.
    public var exitCode: Int32 {
        if case .refused = self { return 3 }
        if case .unavailable = self { return 4 }
        return isBadInput ? 2 : 1
    }

    public var description: String {
        switch self {
        case let .importFailed(e): e.description
        case let .store(e): e.description
        case let .instance(e): e.description
        case let .problem(e): e.description
        case let .fence(e): e.description
        case let .window(e): e.description
        case let .badInput(message): message
        case let .refused(refusal): refusal.description
        case let .unavailable(message): message
        case let .internalFailure(message): "internal error: \(message)"
        }
    }
}

extension FieldRouteError {
    /// The longest quoted value ('…') a message echoes, and the longest message, in characters.
    public static let echoLimit = 200, lineLimit = 1_000

    /// `message` fit for one line of stderr or a JSON answer: line breaks become spaces, every quoted
    /// value ('…') longer than ``echoLimit`` is cut with the count of what was left out, and the whole
    /// is cut at ``lineLimit``. (A 1 MB field in a request is named, not echoed whole.) Applying it
    /// twice changes nothing more.
    public static func oneLine(_ message: String) -> String {
        var out = "", quoted = "", inQuote = false, left = 0
        func flushQuote() {
            if quoted.count > echoLimit {
                out += quoted.prefix(echoLimit - 1) + "…"
                left = quoted.count - (echoLimit - 1)
            } else {
                out += quoted
            }
            quoted = ""
        }
        func noteLeft() {
            if left > 0 { out += " (\(left) more characters)" }
            left = 0
        }
        for c in message {
            let c: Character = c.isNewline ? " " : c
            if inQuote, c == "'" {
                flushQuote(); out.append(c); noteLeft(); inQuote = false
            } else if inQuote {
                quoted.append(c)
            } else {
                out.append(c)
                if c == "'" { inQuote = true }
            }
        }
        if inQuote { flushQuote(); noteLeft() }
        guard out.count > lineLimit else { return out }
        var keep = lineLimit - 1  // the longest prefix whose note still fits
        while true {
            let note = "… (\(out.count - keep) more characters)"
            if keep + note.count <= lineLimit { return out.prefix(keep) + note }
            keep -= 1
        }
    }
}
