/// Reads VRPLIB VRPTW files (as in Gehring–Homberger's 1000-customer set): `KEY : value` headers,
/// then `NODE_COORD_SECTION`, `DEMAND_SECTION`, `TIME_WINDOW_SECTION`, optional `SERVICE_TIME_SECTION`,
/// `DEPOT_SECTION` (one depot), `EOF`. Node ids are 1-based in the file; customer numbers in
/// solutions are 0-based node indices, so the depot is 0.
public enum VRPLIBReader {
    /// The sections read; any other is refused rather than ignored.
    public static let sectionNames: Set<String> = ["NODE_COORD_SECTION", "DEMAND_SECTION", "TIME_WINDOW_SECTION",
                                                   "SERVICE_TIME_SECTION", "DEPOT_SECTION"]
    /// The headers read (NAME, COMMENT and TYPE are informative); any other is refused.
    public static let headerNames: Set<String> = ["NAME", "COMMENT", "TYPE", "DIMENSION", "VEHICLES", "CAPACITY",
                                                  "SERVICE_TIME", "EDGE_WEIGHT_TYPE"]

    public static func parse(_ text: String, file: String) throws(InstanceError) -> Instance {
        var headers: [String: (line: Int, value: String)] = [:]
        var sections: [String: [(line: Int, fields: [Substring])]] = [:]
        var current: String? = nil
        let lines = tokenizedLines(text)
        for (line, fields) in lines {
            let word = fields[0].uppercased()
            if word == "EOF" { break }
            if word.hasSuffix("_SECTION") {
                guard sectionNames.contains(word) else {
                    throw InstanceError(file: file, line: line, reason: "unknown section \(word) (read: \(sectionNames.sorted().joined(separator: ", ")))")
                }
                current = word; sections[word, default: []] = []; continue
            }
            if Int(fields[0]) == nil, fields.contains(where: { $0.contains(":") }) {
                let parts = fields.joined(separator: " ").split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                let key = trimmed(parts[0]).uppercased()
                guard headerNames.contains(key) else {
                    throw InstanceError(file: file, line: line, reason: "unknown header \(key) (read: \(headerNames.sorted().joined(separator: ", ")))")
                }
                headers[key] = (line, parts.count > 1 ? trimmed(parts[1]) : "")
                current = nil
                continue
            }
            guard let section = current else {
                throw InstanceError(file: file, line: line, reason: "data outside any section: '\(fields.joined(separator: " "))'")
            }
            sections[section, default: []].append((line, fields))
        }
        func header(_ key: String) throws(InstanceError) -> (line: Int, value: String) {
            guard let h = headers[key] else { throw InstanceError(file: file, line: 0, reason: "missing \(key) header") }
            return h
        }
        let dimension = try header("DIMENSION")
        guard let n = Int(dimension.value), n >= 2 else {
            throw InstanceError(file: file, line: dimension.line, reason: "DIMENSION must be an integer ≥ 2")
        }
        // Every node needs a row in each section: a DIMENSION beyond the file's lines is refused before
        // anything is allocated for it.
        guard n <= InstanceLimits.nodes.upperBound, n <= lines.count else {
            throw InstanceError(file: file, line: dimension.line,
                                reason: "DIMENSION \(n) is more nodes than the file's \(lines.count) lines can hold (at most \(InstanceLimits.nodes.upperBound))")
        }
        let capacityHeader = try header("CAPACITY")
        guard let capacityValue = Double(capacityHeader.value) else {
            throw InstanceError(file: file, line: capacityHeader.line, reason: "CAPACITY must be a positive integer")
        }
        let capacity = try InstanceLimits.whole(capacityValue, InstanceLimits.capacity, "CAPACITY", file: file, line: capacityHeader.line)
        var vehicles = n - 1
        if let h = headers["VEHICLES"] {
            guard let v = Int(h.value), v > 0 else {
                throw InstanceError(file: file, line: h.line, reason: "VEHICLES must be a positive integer")
            }
            guard InstanceLimits.vehicles.contains(v) else {
                throw InstanceError(file: file, line: h.line, reason: "VEHICLES \(v) is outside \(InstanceLimits.vehicles.lowerBound)…\(InstanceLimits.vehicles.upperBound)")
            }
            vehicles = v
        }
        var globalService: Int64 = 0
        if let h = headers["SERVICE_TIME"] {
            guard let s = Double(h.value) else {
                throw InstanceError(file: file, line: h.line, reason: "SERVICE_TIME must be a non-negative integer")
            }
            globalService = try InstanceLimits.whole(s, InstanceLimits.time, "SERVICE_TIME", file: file, line: h.line)
        }
        if let h = headers["EDGE_WEIGHT_TYPE"], h.value.uppercased() != "EUC_2D" {
            throw InstanceError(file: file, line: h.line, reason: "EDGE_WEIGHT_TYPE \(h.value) not supported (only EUC_2D)")
        }

        func table(_ name: String, columns: Int, required: Bool = true) throws(InstanceError) -> [[Double]]? {
            guard let rows = sections[name] else {
                if required { throw InstanceError(file: file, line: 0, reason: "missing \(name)") }
                return nil
            }
            var out = [[Double]](repeating: [], count: n)
            for (line, f) in rows {
                guard f.count == columns + 1 else {
                    throw InstanceError(file: file, line: line, reason: "\(name) row needs \(columns + 1) numbers, found \(f.count)")
                }
                guard let id = Int(f[0]), id >= 1, id <= n else {
                    throw InstanceError(file: file, line: line, reason: "node id '\(f[0])' is not in 1…\(n)")
                }
                var values: [Double] = []
                for field in f.dropFirst() {
                    guard let v = Double(field), v.isFinite else {
                        throw InstanceError(file: file, line: line, reason: "'\(field)' is not a number")
                    }
                    values.append(v)
                }
                guard out[id - 1].isEmpty else {
                    throw InstanceError(file: file, line: line, reason: "node \(id) appears twice in \(name)")
                }
                out[id - 1] = values
            }
            if let missing = out.firstIndex(where: \.isEmpty) {
                throw InstanceError(file: file, line: rows.last?.line ?? 0, reason: "\(name) has no row for node \(missing + 1)")
            }
            return out
        }
        guard let coords = try table("NODE_COORD_SECTION", columns: 2),
              let demands = try table("DEMAND_SECTION", columns: 1),
              let windows = try table("TIME_WINDOW_SECTION", columns: 2) else {
            throw InstanceError(file: file, line: 0, reason: "missing section")
        }
        let services = try table("SERVICE_TIME_SECTION", columns: 1, required: false)
        if let depots = sections["DEPOT_SECTION"] {
            let ids = depots.flatMap(\.fields).compactMap { Int($0) }.filter { $0 != -1 }
            if ids != [1] {
                throw InstanceError(file: file, line: depots.first?.line ?? 0, reason: "only one depot, node 1, is supported")
            }
        }
        // Row lines per node, for messages; then every value range-checked before it is converted.
        func rowLines(_ name: String) -> [Int] {
            var out = [Int](repeating: 0, count: n)
            for row in sections[name] ?? [] { if let id = Int(row.fields[0]), id >= 1, id <= n { out[id - 1] = row.line } }
            return out
        }
        let coordLines = rowLines("NODE_COORD_SECTION"), demandLines = rowLines("DEMAND_SECTION")
        let windowLines = rowLines("TIME_WINDOW_SECTION"), serviceLines = rowLines("SERVICE_TIME_SECTION")
        for (i, c) in coords.enumerated() {
            for (axis, v) in zip(["x", "y"], c) where abs(v) > InstanceLimits.coordinate {
                throw InstanceError(file: file, line: coordLines[i], reason: "node \(i + 1): coordinate \(axis) \(v) is outside ±\(Int(InstanceLimits.coordinate))")
            }
        }
        var demand: [Int64] = [], ready: [Int64] = [], due: [Int64] = [], service: [Int64] = []
        for i in 0..<n {
            demand.append(try InstanceLimits.whole(demands[i][0], InstanceLimits.demand, "node \(i + 1): demand", file: file, line: demandLines[i]))
            ready.append(try InstanceLimits.whole(windows[i][0], InstanceLimits.time, "node \(i + 1): ready time", file: file, line: windowLines[i]))
            due.append(try InstanceLimits.whole(windows[i][1], InstanceLimits.time, "node \(i + 1): due time", file: file, line: windowLines[i]))
            if ready[i] > due[i] { throw InstanceError(file: file, line: windowLines[i], reason: "node \(i + 1): window opens after it closes") }
            let s = try services.map { s throws(InstanceError) in
                try InstanceLimits.whole(s[i][0], InstanceLimits.time, "node \(i + 1): service time", file: file, line: serviceLines[i])
            }
            service.append(i == 0 ? 0 : s ?? globalService)
        }
        try checkSolvable(file: file, demandLines: demandLines, windowLines: windowLines, demand: demand, ready: ready, due: due, capacity: capacity)
        let problem = try dimacsProblem(file: file, x: coords.map { $0[0] }, y: coords.map { $0[1] }, demand: demand,
                                        ready: ready, due: due, service: service, capacity: capacity, vehicles: vehicles)
        let name = headers["NAME"]?.value ?? file
        return Instance(name: name, problem: problem, jobNumbers: Array(1..<n))
    }
}

private func trimmed(_ s: Substring) -> String {
    String(s.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
}
