/// Why a routing problem was refused. Jobs and vehicles are named by index.
public enum ProblemError: Error, Sendable, Equatable, CustomStringConvertible {
    case matrixShape(expected: Int, got: Int)
    case negativeTravel(from: Int, to: Int)
    case locationOutOfRange(what: String, location: Int32, count: Int)
    case windowOpensAfterClose(job: Int)
    case windowsOverlap(job: Int)
    case negativeService(job: Int)
    case negativeDemand(job: Int)
    case shiftEndsBeforeStart(vehicle: Int)
    case pinnedVehicleOutOfRange(job: Int, vehicle: Int32)
    case noVehicles

    public var description: String {
        switch self {
        case let .matrixShape(expected, got): "travel matrix needs \(expected) entries, got \(got)"
        case let .negativeTravel(from, to): "travel from location \(from) to \(to) is negative"
        case let .locationOutOfRange(what, location, count):
            "\(what) uses location \(location), but the matrix has \(count) locations"
        case let .windowOpensAfterClose(job): "job \(job): a time window opens after it closes"
        case let .windowsOverlap(job): "job \(job): time windows must be sorted and disjoint"
        case let .negativeService(job): "job \(job): negative service duration"
        case let .negativeDemand(job): "job \(job): negative demand"
        case let .shiftEndsBeforeStart(vehicle): "vehicle \(vehicle): shift ends before it starts"
        case let .pinnedVehicleOutOfRange(job, vehicle): "job \(job) is pinned to vehicle \(vehicle), which does not exist"
        case .noVehicles: "the problem has no vehicles"
        }
    }
}
