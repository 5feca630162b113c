/// Adjacent string removal (SISR, Christiaens & Vanden Berghe 2020): around a random seed job,
/// remove a short string of consecutive jobs from each of a few nearby routes.
struct Ruin {
    let data: SearchData
    /// Average number of jobs removed.
    var averageRemoved: Double = 10
    /// Longest string taken from one route.
    var maxStringLength: Double = 10

    /// Removes jobs from `s` (callers refresh nothing: routes touched are refreshed here) and returns them.
    func apply(to s: inout SearchState, evaluator: CostEvaluator, rng: inout SeededGenerator) -> [Int32] {
        let d = data
        var assigned: [Int] = []
        for j in 0..<d.jobCount where s.routeOf[j] >= 0 { assigned.append(j) }
        guard let seed = assigned.isEmpty ? nil : assigned[rng.below(assigned.count)] else { return [] }
        let usedRoutes = (0..<d.routeCount).filter { s.routeSize[$0] > 0 }
        let averageSize = Double(assigned.count) / Double(max(1, usedRoutes.count))
        let lsMax = min(maxStringLength, averageSize)
        let ksMax = 4 * averageRemoved / (1 + lsMax) - 1
        let strings = Int(rng.unit() * ksMax) + 1
        var ruined = Set<Int>(), removed: [Int32] = []
        var candidates = [seed]
        let base = seed * d.neighbourCount
        for k in 0..<d.neighbourCount { candidates.append(Int(d.neighbours[base + k])) }
        for c in candidates where ruined.count < strings {
            guard s.routeOf[c] >= 0 else { continue }
            let r = Int(s.routeOf[c])
            guard !ruined.contains(r) else { continue }
            ruined.insert(r)
            let size = Int(s.routeSize[r])
            let ltMax = min(Double(size), lsMax)
            let length = Int(rng.unit() * ltMax) + 1
            // A string of `length` consecutive jobs containing c, at a random offset.
            let offset = rng.below(length)
            var first = c
            for _ in 0..<offset where !d.isDepot(Int(s.prev[first])) { first = Int(s.prev[first]) }
            var node = first
            for _ in 0..<length {
                guard !d.isDepot(node) else { break }
                let following = Int(s.next[node])
                s.unlink(node)
                removed.append(Int32(node))
                node = following
            }
            s.refresh(route: r, cost: evaluator)
        }
        return removed
    }
}
