/// The plausible ranges of benchmark files (Solomon and VRPLIB), checked before any arithmetic: a
/// value outside is refused with its file, line and field, so no conversion traps, no product
/// overflows and no declared size allocates more than the file could describe.
public enum InstanceLimits {
    /// Coordinates, either axis: DIMACS distances (×10, rounded down) then stay below 2^31.
    public static let coordinate = 1_000_000.0
    /// Ready, due and service times, in the file's units (the problem scales them ×10).
    public static let time: ClosedRange<Int64> = 0...100_000_000
    public static let demand: ClosedRange<Int64> = 0...1_000_000_000
    public static let capacity: ClosedRange<Int64> = 1...1_000_000_000
    /// Vehicles a file may declare; more than there are customers are never built (one job each at most).
    public static let vehicles = 1...100_000
    /// Nodes (depot included) a VRPLIB DIMENSION may declare; it must also have a row per node.
    public static let nodes = 2...1_000_000

    /// `value` as a whole number inside `range`; otherwise the error names `field` at `file:line`.
    static func whole(_ value: Double, _ range: ClosedRange<Int64>, _ field: String, file: String, line: Int) throws(InstanceError) -> Int64 {
        guard value.isFinite, value.rounded(.towardZero) == value else {
            throw InstanceError(file: file, line: line, reason: "\(field) \(value) is not a whole number")
        }
        guard value >= Double(range.lowerBound), value <= Double(range.upperBound) else {
            throw InstanceError(file: file, line: line, reason: "\(field) \(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return Int64(value)
    }
}

/// Refuses an instance that cannot be solved as given, before solving: a demand above the capacity,
/// a window outside the depot's horizon. (Neither format marks jobs optional.) `demandLines[i]` and
/// `windowLines[i]` are node `i`'s lines in the file.
func checkSolvable(file: String, demandLines: [Int], windowLines: [Int], demand: [Int64], ready: [Int64], due: [Int64], capacity: Int64) throws(InstanceError) {
    for i in 1..<demand.count {
        if demand[i] > capacity {
            throw InstanceError(file: file, line: demandLines[i], reason: "job \(i): demand \(demand[i]) exceeds every vehicle's capacity \(capacity)")
        }
        if due[i] < ready[0] || ready[i] > due[0] {
            throw InstanceError(file: file, line: windowLines[i],
                                reason: "job \(i): window \(ready[i])–\(due[i]) lies outside the depot's horizon \(ready[0])–\(due[0])")
        }
    }
}
