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
        vehicles = number; capacity = cap
        k += 1
        while k < lines.count, Int(lines[k].fields[0]) == nil { k += 1 }
        var x: [Double] = [], y: [Double] = [], demand: [Int64] = [], ready: [Int64] = [], due: [Int64] = []
        var service: [Int64] = []
        while k < lines.count {
            let (line, f) = lines[k]
            guard f.count == 7 else {
                throw InstanceError(file: file, line: line, reason: "customer row needs 7 numbers, found \(f.count)")
            }
            guard let no = Int(f[0]), let cx = Double(f[1]), let cy = Double(f[2]), let d = Int64(f[3]),
                  let r = Int64(f[4]), let e = Int64(f[5]), let s = Int64(f[6]), cx.isFinite, cy.isFinite else {
                throw InstanceError(file: file, line: line, reason: "customer row has a non-number")
            }
            guard no == x.count else {
                throw InstanceError(file: file, line: line, reason: "customer number \(no), expected \(x.count)")
            }
            guard r <= e else { throw InstanceError(file: file, line: line, reason: "ready time \(r) after due date \(e)") }
            guard d >= 0, s >= 0 else { throw InstanceError(file: file, line: line, reason: "negative demand or service") }
            x.append(cx); y.append(cy); demand.append(d); ready.append(r); due.append(e); service.append(s)
            k += 1
        }
        guard x.count >= 2 else { throw InstanceError(file: file, line: 0, reason: "no customers") }
        let problem = try dimacsProblem(file: file, x: x, y: y, demand: demand, ready: ready, due: due,
                                        service: service, capacity: capacity, vehicles: vehicles)
        return Instance(name: name, problem: problem, jobNumbers: Array(1..<x.count))
    }
}
