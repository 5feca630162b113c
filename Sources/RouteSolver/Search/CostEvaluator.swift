/// Prices routes: arc cost plus penalties for time warp (including excess route duration) and
/// excess load, plus the vehicle's fixed cost when the route is used. Penalty weights adapt during
/// the search; the objective reported to callers never includes them.
struct CostEvaluator: Sendable {
    /// Cost per unit of time warp.
    var timeWarpPenalty: Int64
    /// Cost per unit of excess load.
    var loadPenalty: Int64

    /// Penalised cost of a route with total `distance`, whole-route `segment` and `load`.
    @inline(__always)
    func cost(route r: Int, distance: Int64, segment: TimeSegment, load: Int64, empty: Bool, data: SearchData) -> Int64 {
        if empty { return 0 }
        let overtime = segment.duration - data.maxDuration[r]
        let warp = segment.timeWarp + (overtime > 0 ? overtime : 0)
        let excess = load - data.capacity[r]
        return distance + data.fixedCost[r] + timeWarpPenalty * warp + loadPenalty * (excess > 0 ? excess : 0)
    }
}
