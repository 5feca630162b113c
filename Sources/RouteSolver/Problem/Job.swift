/// A visit to make: where, how long, when it may start, what it needs.
///
/// Durations and instants are integers in the problem's time unit (seconds for FieldRoute, DIMACS
/// tenths for benchmark instances).
public struct Job: Sendable, Equatable {
    /// Index into the travel matrix.
    public var location: Int32
    public var service: Int64
    /// When service may start: any one of these, sorted and disjoint. Empty means any time.
    public var windows: [TimeWindow]
    public var demand: Int64
    public var skills: SkillSet
    /// Cost of leaving the job unassigned; nil makes it required.
    public var unassignedPenalty: Int64?
    /// Index of the only vehicle allowed to serve it.
    public var pinnedVehicle: Int32?

    public init(location: Int32, service: Int64 = 0, windows: [TimeWindow] = [], demand: Int64 = 0,
                skills: SkillSet = .none, unassignedPenalty: Int64? = nil, pinnedVehicle: Int32? = nil) {
        self.location = location; self.service = service; self.windows = windows; self.demand = demand
        self.skills = skills; self.unassignedPenalty = unassignedPenalty; self.pinnedVehicle = pinnedVehicle
    }

    /// The earliest start and the latest start over all windows.
    public var envelope: TimeWindow {
        guard let first = windows.first, let last = windows.last else { return .always }
        return TimeWindow(first.start, last.end)
    }
}

/// A closed interval `[start, end]` of the problem's time unit.
public struct TimeWindow: Sendable, Equatable, Hashable {
    public var start: Int64
    public var end: Int64
    public init(_ start: Int64, _ end: Int64) { self.start = start; self.end = end }
    /// Open on both sides; `end` is `Int64.max`, so compare before subtracting.
    public static let always = TimeWindow(0, .max)
}
