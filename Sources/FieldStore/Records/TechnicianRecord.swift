import GRDB

/// A technician: where the day starts and ends, and what they can do.
public struct TechnicianRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    /// The caller's id, e.g. "T-07".
    public var externalId: String
    public var regionId: Int64
    public var name: String
    public var startLat: Double
    public var startLon: Double
    public var endLat: Double
    public var endLon: Double
    /// Skill tokens, lower case: `[a-z0-9_-]+`.
    public var skills: [String]

    public init(id: Int64? = nil, externalId: String, regionId: Int64, name: String, startLat: Double, startLon: Double,
                endLat: Double, endLon: Double, skills: [String]) {
        self.id = id; self.externalId = externalId; self.regionId = regionId; self.name = name
        self.startLat = startLat; self.startLon = startLon; self.endLat = endLat; self.endLon = endLon
        self.skills = skills
    }
}

extension TechnicianRecord: StoredRecord {
    public static let databaseTableName = "technician"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One technician's working time on one day, with an optional lunch break that must start inside
/// `[breakEarliest, breakLatest]` and last `breakLength` seconds.
public struct ShiftRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var technicianId: Int64
    /// Local calendar day in the region's time zone, "yyyy-mm-dd".
    public var day: String
    /// Unix seconds, UTC.
    public var start: Int64
    public var end: Int64
    public var breakEarliest: Int64?
    public var breakLatest: Int64?
    /// Seconds; 0 when there is no break.
    public var breakLength: Int64

    public init(id: Int64? = nil, technicianId: Int64, day: String, start: Int64, end: Int64,
                breakEarliest: Int64? = nil, breakLatest: Int64? = nil, breakLength: Int64 = 0) {
        self.id = id; self.technicianId = technicianId; self.day = day; self.start = start; self.end = end
        self.breakEarliest = breakEarliest; self.breakLatest = breakLatest; self.breakLength = breakLength
    }
}

extension ShiftRecord: StoredRecord {
    public static let databaseTableName = "shift"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
