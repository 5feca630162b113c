/// A CVRPLIB `.sol` file: `Route #k: c1 c2 …` lines (customer numbers, depot implicit) and `Cost C`.
public struct SolutionFile: Sendable, Equatable {
    public var routes: [[Int]]
    /// The `Cost` line in the instance's units (DIMACS: one decimal), if present.
    public var cost: Double?

    public static func parse(_ text: String, file: String) throws(InstanceError) -> SolutionFile {
        var routes: [[Int]] = [], cost: Double? = nil
        for (line, fields) in tokenizedLines(text) {
            if fields[0].lowercased() == "route" {
                guard let colon = fields.firstIndex(where: { $0.hasSuffix(":") }) else {
                    throw InstanceError(file: file, line: line, reason: "expected 'Route #k: customers…'")
                }
                var route: [Int] = []
                for field in fields[(colon + 1)...] {
                    guard let c = Int(field), c > 0 else {
                        throw InstanceError(file: file, line: line, reason: "'\(field)' is not a customer number")
                    }
                    route.append(c)
                }
                routes.append(route)
            } else if fields[0].lowercased() == "cost" {
                guard fields.count == 2, let c = Double(fields[1]) else {
                    throw InstanceError(file: file, line: line, reason: "expected 'Cost <number>'")
                }
                cost = c
            }
        }
        guard !routes.isEmpty else { throw InstanceError(file: file, line: 0, reason: "no 'Route' lines") }
        return SolutionFile(routes: routes, cost: cost)
    }

    /// The routes as a ``Solution`` of `instance`, vehicles assigned in order.
    public func solution(for instance: Instance) throws(InstanceError) -> Solution {
        var index: [Int: Int32] = [:]
        for (j, number) in instance.jobNumbers.enumerated() { index[number] = Int32(j) }
        var out: [Solution.Route] = []
        for (k, route) in routes.enumerated() {
            var jobs: [Int32] = []
            for c in route {
                guard let j = index[c] else {
                    throw InstanceError(file: instance.name, line: 0, reason: "route \(k + 1) names customer \(c), not in the instance")
                }
                jobs.append(j)
            }
            out.append(Solution.Route(vehicle: Int32(k), jobs: jobs))
        }
        return Solution(routes: out)
    }
}
