/// Square duration and distance matrices over locations, flat and row-major (`from * count + to`).
public struct TravelMatrix: Sendable, Equatable {
    public let count: Int
    /// Travel time between locations, the problem's time unit.
    public let durations: [Int32]
    /// Travel distance between locations; the same storage as `durations` when they coincide.
    public let distances: [Int32]

    /// - Throws: ``ProblemError/matrixShape(expected:got:)`` or ``ProblemError/negativeTravel(from:to:)``.
    public init(count: Int, durations: [Int32], distances: [Int32]? = nil) throws(ProblemError) {
        let expected = count * count
        guard durations.count == expected else { throw .matrixShape(expected: expected, got: durations.count) }
        if let distances, distances.count != expected {
            throw .matrixShape(expected: expected, got: distances.count)
        }
        for (k, value) in durations.enumerated() where value < 0 {
            throw .negativeTravel(from: k / count, to: k % count)
        }
        if let distances {
            for (k, value) in distances.enumerated() where value < 0 {
                throw .negativeTravel(from: k / count, to: k % count)
            }
        }
        self.count = count
        self.durations = durations
        self.distances = distances ?? durations
    }

    /// DIMACS convention: Euclidean distance ×10, truncated; durations equal distances.
    public static func dimacs(x: [Double], y: [Double]) -> TravelMatrix {
        let n = x.count
        var values = [Int32](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j {
                let dx = x[i] - x[j], dy = y[i] - y[j]
                values[i * n + j] = Int32((dx * dx + dy * dy).squareRoot() * 10)
            }
        }
        // A square matrix of non-negative values cannot fail validation.
        return TravelMatrix(unchecked: n, durations: values, distances: values)
    }

    /// For matrices square and non-negative by construction: no validation pass.
    package init(unchecked count: Int, durations: [Int32], distances: [Int32]) {
        self.count = count; self.durations = durations; self.distances = distances
    }

    @inlinable public func duration(_ from: Int32, _ to: Int32) -> Int64 {
        Int64(durations[Int(from) * count + Int(to)])
    }

    @inlinable public func distance(_ from: Int32, _ to: Int32) -> Int64 {
        Int64(distances[Int(from) * count + Int(to)])
    }
}
