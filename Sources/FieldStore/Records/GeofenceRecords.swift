import GRDB

/// A fence: a circle around a site, a polygon (WKT), an approach zone or a depot.
public struct GeofenceRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var externalId: String
    /// "site", "approach", "depot" or "area".
    public var kind: String
    public var bookingId: Int64?
    /// WKT of a polygon, or nil for a circle given by centre and radius.
    public var wkt: String?
    public var centerLat: Double?
    public var centerLon: Double?
    /// Metres, for circles.
    public var radius: Double?
    /// When set, only this technician's pings can trigger the fence (approach zones).
    public var technicianId: Int64?

    public init(id: Int64? = nil, externalId: String, kind: String, bookingId: Int64? = nil, wkt: String? = nil,
                centerLat: Double? = nil, centerLon: Double? = nil, radius: Double? = nil, technicianId: Int64? = nil) {
        self.id = id; self.externalId = externalId; self.kind = kind; self.bookingId = bookingId; self.wkt = wkt
        self.centerLat = centerLat; self.centerLon = centerLon; self.radius = radius; self.technicianId = technicianId
    }
}

extension GeofenceRecord: StoredRecord {
    public static let databaseTableName = "geofence"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// An event the detector emitted once: enter, exit, dwell or approach. Unique on
/// (technician, fence, kind, timestamp), so a re-run cannot emit it twice.
public struct GeofenceEventRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var technicianId: Int64
    public var geofenceId: Int64
    public var kind: String
    /// Unix seconds, UTC: when it happened (a dwell's stay began).
    public var timestamp: Int64
    /// When the detector saw it (the ping that revealed it).
    public var detectedAt: Int64
    public var lat: Double
    public var lon: Double

    public init(id: Int64? = nil, technicianId: Int64, geofenceId: Int64, kind: String, timestamp: Int64,
                detectedAt: Int64? = nil, lat: Double, lon: Double) {
        self.id = id; self.technicianId = technicianId; self.geofenceId = geofenceId; self.kind = kind
        self.timestamp = timestamp; self.detectedAt = detectedAt ?? timestamp; self.lat = lat; self.lon = lon
    }
}

extension GeofenceEventRecord: StoredRecord {
    public static let databaseTableName = "geofenceEvent"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// The geofence detector's memory for one technician (JSON), saved in the same transaction as the
/// pings and events it has seen, so a restart neither loses nor repeats an event.
public struct DetectorStateRecord: Codable, Sendable, Equatable {
    public var technicianId: Int64
    public var state: String

    public init(technicianId: Int64, state: String) { self.technicianId = technicianId; self.state = state }
}

extension DetectorStateRecord: StoredRecord, PersistableRecord {
    public static let databaseTableName = "detectorState"
}
