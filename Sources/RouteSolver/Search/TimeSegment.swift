/// Consecutive stops summarised for O(1) concatenation (Vidal et al. 2013; PyVRP's DurationSegment):
/// drive, wait and serve, with the time warp (forced lateness) needed to keep every window.
struct TimeSegment: Sendable, Equatable {
    /// Time from the first start to the last end, waiting included.
    var duration: Int64
    /// Lateness forced inside the segment.
    var timeWarp: Int64
    /// Earliest and latest start of the first stop that attain `duration` and `timeWarp`.
    var earliestStart: Int64
    var latestStart: Int64

    /// One stop: `service` long, may start in `[early, late]`.
    @inline(__always)
    init(service: Int64, early: Int64, late: Int64) {
        duration = service; timeWarp = 0; earliestStart = early; latestStart = late
    }

    @inline(__always)
    init(duration: Int64, timeWarp: Int64, earliestStart: Int64, latestStart: Int64) {
        self.duration = duration; self.timeWarp = timeWarp
        self.earliestStart = earliestStart; self.latestStart = latestStart
    }

    /// `a`, then drive `edge`, then `b`. Times are finite (the search clamps open windows), so no
    /// overflow guards are needed.
    @inline(__always)
    static func merge(_ a: TimeSegment, _ b: TimeSegment, edge: Int64) -> TimeSegment {
        let arrival = a.duration - a.timeWarp + edge
        let gap = b.earliestStart - arrival - a.latestStart
        let wait = gap > 0 ? gap : 0
        let lateBy = a.earliestStart + arrival - b.latestStart
        let late = lateBy > 0 ? lateBy : 0
        return TimeSegment(duration: a.duration + b.duration + edge + wait,
                           timeWarp: a.timeWarp + b.timeWarp + late,
                           earliestStart: max(b.earliestStart - arrival, a.earliestStart) - wait,
                           latestStart: min(b.latestStart - arrival, a.latestStart) + late)
    }
}
