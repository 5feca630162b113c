/// Reads Solomon's VRPTW text format: a name, `VEHICLE` with number and capacity, `CUSTOMER` rows
/// `no x y demand ready due service`, depot first.
public enum SolomonReader {
    public static func parse(_ text: String, file: String) throws(InstanceError) -> Instance {
        let lines = tokenizedLines(text)
        guard let first = lines.first else { throw InstanceError(file: file, line: 0, reason: "empty file") }
        let name = String(first.fields[0])
        var vehicles = 0, capacity: Int64 = 0, k = 1
        while k < lines.count, lines[k].fields[0].uppercased() != "VEHICLE" { k += 1 }
        k += 1
        while k < lines.count, Int(lines[k].fields[0]) == nil { k += 1 }
        guard k < lines.count else {
            throw InstanceError(file: file, line: lines.last?.line ?? 0, reason: "no VEHICLE section with number and capacity")
        }
        let vehicleLine = lines[k]
        guard vehicleLine.fields.count >= 2, let number = Int(vehicleLine.fields[0]), let cap = Int64(vehicleLine.fields[1]),
              number > 0, cap > 0 else {
            throw InstanceError(file: file, line: vehicleLine.line, reason: "expected NUMBER CAPACITY, two positive integers")
        }
        guard InstanceLimits.vehicles.contains(number) else {
            throw InstanceError(file: file, line: vehicleLine.line, reason: "vehicle number \(number) is outside \(InstanceLimits.vehicles.lowerBound)…\(InstanceLimits.vehicles.upperBound)")
        }
        guard InstanceLimits.capacity.contains(cap) else {
            throw InstanceError(file: file, line: vehicleLine.line, reason: "capacity \(cap) is outside \(InstanceLimits.capacity.lowerBound)…\(InstanceLimits.capacity.upperBound)")
        }
        vehicles = number; capacity = cap
        k += 1
        while k < lines.count, Int(lines[k].fields[0]) == nil { k += 1 }
        var x: [Double] = [], y: [Double] = [], demand: [Int64] = [], ready: [Int64] = [], due: [Int64] = []
        var service: [Int64] = [], rows: [Int] = []
        while k < lines.count {
            let (line, f) = lines[k]
            guard f.count == 7 else {
                throw InstanceError(file: file, line: line, reason: "customer row needs 7 numbers, found \(f.count)")
            }
            let numbers = f.map { Double($0) }
            guard let no = Int(f[0]), !numbers.contains(nil) else {
                throw InstanceError(file: file, line: line, reason: "customer row has a non-number")
            }
            guard no == x.count else {
                throw InstanceError(file: file, line: line, reason: "customer number \(no), expected \(x.count)")
            }
            let v = numbers.map { $0 ?? 0 }
            for (axis, c) in [("x", v[1]), ("y", v[2])] where !(c.isFinite && abs(c) <= InstanceLimits.coordinate) {
                throw InstanceError(file: file, line: line, reason: "coordinate \(axis) \(c) is outside ±\(Int(InstanceLimits.coordinate))")
            }
            let d = try InstanceLimits.whole(v[3], InstanceLimits.demand, "demand", file: file, line: line)
            let r = try InstanceLimits.whole(v[4], InstanceLimits.time, "ready time", file: file, line: line)
            let e = try InstanceLimits.whole(v[5], InstanceLimits.time, "due date", file: file, line: line)
            let s = try InstanceLimits.whole(v[6], InstanceLimits.time, "service time", file: file, line: line)
            guard r <= e else { throw InstanceError(file: file, line: line, reason: "ready time \(r) after due date \(e)") }
            x.append(v[1]); y.append(v[2]); demand.append(d); ready.append(r); due.append(e); service.append(s); rows.append(line)
            k += 1
        }
        guard x.count >= 2 else { throw InstanceError(file: file, line: 0, reason: "no customers") }
        try checkSolvable(file: file, demandLines: rows, windowLines: rows, demand: demand, ready: ready, due: due, capacity: capacity)
        let problem = try dimacsProblem(file: file, x: x, y: y, demand: demand, ready: ready, due: due,
                                        service: service, capacity: capacity, vehicles: vehicles)
        return Instance(name: name, problem: problem, jobNumbers: Array(1..<x.count))
    }
}
