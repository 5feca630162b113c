import GRDB

/// One GPS fix from a technician's device. Unique on (technician, timestamp): re-ingesting is a no-op.
public struct PingRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var technicianId: Int64
    /// Unix seconds, UTC.
    public var timestamp: Int64
    public var lat: Double
    public var lon: Double
    /// Horizontal accuracy, metres.
    public var accuracy: Double?
    /// Metres per second.
    public var speed: Double?
    /// Degrees clockwise from north.
    public var heading: Double?

    public init(id: Int64? = nil, technicianId: Int64, timestamp: Int64, lat: Double, lon: Double,
                accuracy: Double? = nil, speed: Double? = nil, heading: Double? = nil) {
        self.id = id; self.technicianId = technicianId; self.timestamp = timestamp; self.lat = lat; self.lon = lon
        self.accuracy = accuracy; self.speed = speed; self.heading = heading
    }
}

extension PingRecord: StoredRecord {
    public static let databaseTableName = "ping"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
