/// Reads VRPLIB VRPTW files (as in Gehring–Homberger's 1000-customer set): `KEY : value` headers,
/// then `NODE_COORD_SECTION`, `DEMAND_SECTION`, `TIME_WINDOW_SECTION`, optional `SERVICE_TIME_SECTION`,
/// `DEPOT_SECTION` (one depot), `EOF`. Node ids are 1-based in the file; customer numbers in
/// solutions are 0-based node indices, so the depot is 0.
public enum VRPLIBReader {
    public static func parse(_ text: String, file: String) throws(InstanceError) -> Instance {
        var headers: [String: (line: Int, value: String)] = [:]
        var sections: [String: [(line: Int, fields: [Substring])]] = [:]
        var current: String? = nil
        for (line, fields) in tokenizedLines(text) {
            let word = fields[0].uppercased()
            if word == "EOF" { break }
            if word.hasSuffix("_SECTION") { current = word; sections[word, default: []] = []; continue }
            if Int(fields[0]) == nil, fields.contains(where: { $0.contains(":") }) {
                let parts = fields.joined(separator: " ").split(separator: ":", maxSplits: 1)
                let key = trimmed(parts[0]).uppercased()
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
        let capacityHeader = try header("CAPACITY")
        guard let capacity = Int64(capacityHeader.value), capacity > 0 else {
            throw InstanceError(file: file, line: capacityHeader.line, reason: "CAPACITY must be a positive integer")
        }
        var vehicles = n - 1
        if let h = headers["VEHICLES"] {
            guard let v = Int(h.value), v > 0 else {
                throw InstanceError(file: file, line: h.line, reason: "VEHICLES must be a positive integer")
            }
            vehicles = v
        }
        var globalService: Int64 = 0
        if let h = headers["SERVICE_TIME"] {
            guard let s = Int64(h.value), s >= 0 else {
                throw InstanceError(file: file, line: h.line, reason: "SERVICE_TIME must be a non-negative integer")
            }
            globalService = s
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
        for (i, w) in windows.enumerated() where w[0] > w[1] {
            let line = sections["TIME_WINDOW_SECTION"]?.first(where: { Int($0.fields[0]) == i + 1 })?.line ?? 0
            throw InstanceError(file: file, line: line, reason: "node \(i + 1): window opens after it closes")
        }
        let problem = try dimacsProblem(
            file: file, x: coords.map { $0[0] }, y: coords.map { $0[1] }, demand: demands.map { Int64($0[0]) },
            ready: windows.map { Int64($0[0]) }, due: windows.map { Int64($0[1]) },
            service: (0..<n).map { i in i == 0 ? 0 : services.map { Int64($0[i][0]) } ?? globalService },
            capacity: capacity, vehicles: vehicles)
        let name = headers["NAME"]?.value ?? file
        return Instance(name: name, problem: problem, jobNumbers: Array(1..<n))
    }
}

private func trimmed(_ s: Substring) -> String {
    String(s.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
}
