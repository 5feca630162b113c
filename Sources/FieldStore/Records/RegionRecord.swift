import GRDB

/// A service region: its day boundaries and display use `timeZone`; the depot is where routes start
/// when a technician has no home location.
public struct RegionRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var name: String
    /// IANA time zone identifier, e.g. "Europe/Paris".
    public var timeZone: String
    public var depotLat: Double?
    public var depotLon: Double?
    /// "haversine" (road-distance estimate from coordinates) or "matrix" (imported router table).
    public var travelModel: String

    public init(id: Int64? = nil, name: String, timeZone: String, depotLat: Double? = nil, depotLon: Double? = nil,
                travelModel: String = "haversine") {
        self.id = id; self.name = name; self.timeZone = timeZone
        self.depotLat = depotLat; self.depotLon = depotLon; self.travelModel = travelModel
    }
}

extension RegionRecord: StoredRecord {
    public static let databaseTableName = "region"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
