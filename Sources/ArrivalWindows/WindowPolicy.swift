/// How promised windows are cut from an arrival distribution.
public struct WindowPolicy: Sendable, Equatable {
    /// Share of arrivals the window should contain, in (0, 1]. Default 0.9.
    public var coverage: Double
    /// Widest window promised, seconds. Default 60 min.
    public var maxWidth: Int64
    /// Window edges fall on multiples of this, seconds. Default 5 min.
    public var snap: Int64
    /// Narrowest window promised, seconds (a certain arrival still gets a usable window). Default 10 min.
    public var minWidth: Int64

    public init(coverage: Double = 0.9, maxWidth: Int64 = 3_600, snap: Int64 = 300, minWidth: Int64 = 600) throws(WindowError) {
        guard coverage > 0, coverage <= 1 else { throw .coverageOutOfRange(coverage) }
        guard snap > 0 else { throw .nonPositive(field: "snap", value: snap) }
        guard maxWidth >= snap else { throw .maxWidthBelowSnap(maxWidth: maxWidth, snap: snap) }
        guard minWidth >= 0, minWidth <= maxWidth else { throw .nonPositive(field: "maxWidth - minWidth", value: maxWidth - minWidth) }
        self.coverage = coverage; self.maxWidth = maxWidth; self.snap = snap; self.minWidth = minWidth
    }

    /// 90 %, 10 to 60 minutes, 5-minute edges.
    public static let nightBefore = WindowPolicy(uncheckedCoverage: 0.9, maxWidth: 3_600, snap: 300, minWidth: 600)

    private init(uncheckedCoverage: Double, maxWidth: Int64, snap: Int64, minWidth: Int64) {
        coverage = uncheckedCoverage; self.maxWidth = maxWidth; self.snap = snap; self.minWidth = minWidth
    }
}

/// Why a window could not be computed.
public enum WindowError: Error, Sendable, Equatable, CustomStringConvertible {
    case coverageOutOfRange(Double)
    case nonPositive(field: String, value: Int64)
    case maxWidthBelowSnap(maxWidth: Int64, snap: Int64)
    case noSamples

    public var description: String {
        switch self {
        case let .coverageOutOfRange(c): "coverage must be in (0, 1], got \(c)"
        case let .nonPositive(field, value): "\(field) must be positive, got \(value)"
        case let .maxWidthBelowSnap(w, s): "maximum width \(w) s is below the snap step \(s) s"
        case .noSamples: "an arrival distribution needs at least one sample"
        }
    }
}
