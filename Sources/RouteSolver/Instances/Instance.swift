/// A benchmark instance read from a file: the problem plus the names the file uses.
public struct Instance: Sendable {
    public var name: String
    public var problem: RoutingProblem
    /// The customer number the file gives each job (Solomon and VRPLIB: 1…n, depot 0).
    public var jobNumbers: [Int]

    /// Reads Solomon or VRPLIB text, chosen by the content (a `NAME :` header means VRPLIB).
    public static func parse(_ text: String, file: String) throws(InstanceError) -> Instance {
        let head = text.prefix(2_000)
        if head.contains("NODE_COORD_SECTION") || head.contains("DIMENSION") {
            return try VRPLIBReader.parse(text, file: file)
        }
        return try SolomonReader.parse(text, file: file)
    }
}

/// Splits text into (1-based line number, whitespace-separated fields), skipping blank lines.
func tokenizedLines(_ text: String) -> [(line: Int, fields: [Substring])] {
    var result: [(Int, [Substring])] = []
    var number = 0
    for raw in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        number += 1
        let fields = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
        if !fields.isEmpty { result.append((number, fields)) }
    }
    return result
}

/// Builds the VRPTW problem both formats describe: depot 0, customers 1…n, DIMACS distances,
/// identical vehicles; times scaled ×10 to match the distances.
func dimacsProblem(file: String, x: [Double], y: [Double], demand: [Int64], ready: [Int64], due: [Int64],
                   service: [Int64], capacity: Int64, vehicles: Int) throws(InstanceError) -> RoutingProblem {
    let matrix = TravelMatrix.dimacs(x: x, y: y)
    var jobs: [Job] = []
    for i in 1..<x.count {
        jobs.append(Job(location: Int32(i), service: service[i] * 10, windows: [TimeWindow(ready[i] * 10, due[i] * 10)],
                        demand: demand[i]))
    }
    let vehicle = Vehicle(start: 0, end: 0, shift: TimeWindow(ready[0] * 10, due[0] * 10), capacity: capacity)
    do {
        // More vehicles than customers are never used: the declared number is not allocated.
        return try RoutingProblem(jobs: jobs, vehicles: Array(repeating: vehicle, count: max(1, min(vehicles, jobs.count))),
                                  travel: matrix)
    } catch {
        throw InstanceError(file: file, line: 0, reason: error.description)
    }
}
