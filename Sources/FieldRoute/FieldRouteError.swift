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
        case .internalFailure, .refused: false
        }
    }

    /// The process exit code for this error: 2 bad input, 3 refused, 1 otherwise.
    public var exitCode: Int32 {
        if case .refused = self { return 3 }
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
        case let .internalFailure(message): "internal error: \(message)"
        }
    }
}
