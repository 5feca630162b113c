/// A technician or truck: where it starts and ends, when it works, what it carries and can do.
public struct Vehicle: Sendable, Equatable {
    public var start: Int32
    public var end: Int32
    /// The route may leave `start` no earlier than `shift.start` and must reach `end` by `shift.end`.
    public var shift: TimeWindow
    public var capacity: Int64
    public var skills: SkillSet
    /// Longest route from leaving `start` to reaching `end`, waiting included.
    public var maxDuration: Int64
    /// Added to the objective when the vehicle serves at least one job.
    public var fixedCost: Int64

    public init(start: Int32, end: Int32, shift: TimeWindow = .always, capacity: Int64 = .max,
                skills: SkillSet = .none, maxDuration: Int64 = .max, fixedCost: Int64 = 0) {
        self.start = start; self.end = end; self.shift = shift; self.capacity = capacity; self.skills = skills
        self.maxDuration = maxDuration; self.fixedCost = fixedCost
    }
}
