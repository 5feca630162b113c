import GRDB

/// Regions, their settings (JSON per key) and imported travel matrices.
extension StoreTransaction {
    /// The region with this name, or nil.
    public func region(named name: String) throws -> RegionRecord? {
        try RegionRecord.filter(Column("name") == name).fetchOne(db)
    }

    /// The region with this row id.
    public func region(id: Int64) throws -> RegionRecord? { try RegionRecord.fetchOne(db, key: id) }

    /// Every region, by name.
    public func regions() throws -> [RegionRecord] { try RegionRecord.order(Column("name")).fetchAll(db) }

    /// The stored JSON of a region's setting, nil when it never saved one.
    public func settingJSON(regionId: Int64, key: String) throws -> String? {
        try SettingRecord.fetchOne(db, key: ["regionId": regionId, "key": key])?.value
    }

    /// Saves a region's setting (JSON text, validated by the caller).
    public func saveSetting(regionId: Int64, key: String, json: String) throws {
        try SettingRecord(regionId: regionId, key: key, value: json).save(db)
    }

    /// True when any region has a setting under `key`.
    public func hasSetting(key: String) throws -> Bool { try SettingRecord.filter(Column("key") == key).fetchCount(db) > 0 }

    /// The region's imported travel matrix, if any.
    public func travelMatrix(regionId: Int64) throws -> TravelMatrixRecord? { try TravelMatrixRecord.fetchOne(db, key: regionId) }

    /// What the region's OSRM server answered so far, if anything was kept.
    public func routerLegs(regionId: Int64) throws -> RouterLegsRecord? { try RouterLegsRecord.fetchOne(db, key: regionId) }

    /// False in a read snapshot: what may be kept must wait for a write.
    public func canWrite() throws -> Bool { try Bool.fetchOne(db, sql: "PRAGMA query_only") != true }
}
