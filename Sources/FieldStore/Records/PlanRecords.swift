import GRDB

/// A day's plan for a region. Re-planning a day replaces its plan in one transaction.
public struct PlanRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var regionId: Int64
    public var day: String
    public var createdAt: Int64
    /// Solver objective value (metres, or seconds, plus penalties).
    public var cost: Int64
    public var unassignedCount: Int

    public init(id: Int64? = nil, regionId: Int64, day: String, createdAt: Int64, cost: Int64, unassignedCount: Int) {
        self.id = id; self.regionId = regionId; self.day = day; self.createdAt = createdAt; self.cost = cost
        self.unassignedCount = unassignedCount
    }
}

extension PlanRecord: StoredRecord {
    public static let databaseTableName = "plan"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One technician's route in a plan.
public struct RouteRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var planId: Int64
    public var technicianId: Int64
    /// Metres and seconds driven.
    public var distance: Int64
    public var travelTime: Int64
    /// The planned lunch break, Unix seconds; nil when the shift has none.
    public var breakStart: Int64?
    public var breakEnd: Int64?
    /// When the technician leaves home, Unix seconds: the shift start pushed as late as the first
    /// visit allows (no waiting at its door). Nil: at the shift start (plans made before v8).
    public var departure: Int64?

    public init(id: Int64? = nil, planId: Int64, technicianId: Int64, distance: Int64, travelTime: Int64,
                breakStart: Int64? = nil, breakEnd: Int64? = nil, departure: Int64? = nil) {
        self.id = id; self.planId = planId; self.technicianId = technicianId; self.distance = distance
        self.travelTime = travelTime; self.breakStart = breakStart; self.breakEnd = breakEnd; self.departure = departure
    }
}

extension RouteRecord: StoredRecord {
    public static let databaseTableName = "route"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A visit in a route: the planned times, the window promised to the customer, and the live estimate.
/// All instants are Unix seconds, UTC.
public struct StopRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var routeId: Int64
    public var bookingId: Int64
    /// 1-based position in the route.
    public var sequence: Int
    public var plannedArrival: Int64
    public var plannedStart: Int64
    public var plannedEnd: Int64
    public var promisedStart: Int64?
    public var promisedEnd: Int64?
    public var estimateStart: Int64?
    public var estimateEnd: Int64?
    public var actualArrival: Int64?
    public var actualDeparture: Int64?
    /// When service began, where known (simulated days; else derived from the arrival and the window).
    public var actualStart: Int64?

    public init(id: Int64? = nil, routeId: Int64, bookingId: Int64, sequence: Int, plannedArrival: Int64,
                plannedStart: Int64, plannedEnd: Int64, promisedStart: Int64? = nil, promisedEnd: Int64? = nil,
                estimateStart: Int64? = nil, estimateEnd: Int64? = nil, actualArrival: Int64? = nil,
                actualDeparture: Int64? = nil, actualStart: Int64? = nil) {
        self.id = id; self.routeId = routeId; self.bookingId = bookingId; self.sequence = sequence
        self.plannedArrival = plannedArrival; self.plannedStart = plannedStart; self.plannedEnd = plannedEnd
        self.promisedStart = promisedStart; self.promisedEnd = promisedEnd; self.estimateStart = estimateStart
        self.estimateEnd = estimateEnd; self.actualArrival = actualArrival; self.actualDeparture = actualDeparture
        self.actualStart = actualStart
    }
}

extension StopRecord: StoredRecord {
    public static let databaseTableName = "stop"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension StopRecord {
    /// True once the visit is history: its booking is en route, arrived, completed or a no-show, or the
    /// stop has an actual arrival. Re-plans and dispatch keep such stops as they are.
    public func isDriven(_ booking: BookingRecord) -> Bool { booking.status.isDriven || actualArrival != nil }

    /// True while the visit still needs its technician and nothing of it has happened yet.
    public func isStillToCome(_ booking: BookingRecord) -> Bool { booking.status.needsVisit && !isDriven(booking) }
}
