/// Why a fence was refused. Names the fence by its external id.
public enum FenceError: Error, Sendable, Equatable, CustomStringConvertible {
    case geosUnavailable
    case unreadableWKT(fence: String, reason: String)
    case notAPolygon(fence: String, type: String)
    case invalidPolygon(fence: String, reason: String)
    case badCircle(fence: String, reason: String)
    case duplicateId(fence: String)

    public var description: String {
        switch self {
        case .geosUnavailable: "GEOS could not create a context"
        case let .unreadableWKT(fence, reason): "fence \(fence): unreadable WKT: \(reason)"
        case let .notAPolygon(fence, type): "fence \(fence): expected a Polygon or MultiPolygon, got \(type)"
        case let .invalidPolygon(fence, reason): "fence \(fence): invalid polygon: \(reason)"
        case let .badCircle(fence, reason): "fence \(fence): \(reason)"
        case let .duplicateId(fence): "fence \(fence): the id appears twice"
        }
    }
}
