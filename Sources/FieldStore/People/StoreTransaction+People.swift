import GRDB

/// Technicians and their shifts.
extension StoreTransaction {
    /// A region's technicians by external id, or everyone's.
    public func technicians(regionId: Int64? = nil) throws -> [TechnicianRecord] {
        var request = TechnicianRecord.all()
        if let regionId { request = request.filter(Column("regionId") == regionId) }
        return try request.order(Column("externalId")).fetchAll(db)
    }

    /// The technician with this row id.
    public func technician(id: Int64) throws -> TechnicianRecord? { try TechnicianRecord.fetchOne(db, key: id) }

    /// The technician with this external id, or nil.
    public func technician(externalId: String) throws -> TechnicianRecord? {
        try ExternalId.check(externalId, field: "technician")
        return try TechnicianRecord.filter(Column("externalId") == externalId).fetchOne(db)
    }

    /// Every technician's external id.
    public func technicianIds() throws -> Set<String> { Set(try String.fetchAll(db, sql: "SELECT externalId FROM technician")) }

    /// The shifts of a day, every region's.
    public func shifts(day: String) throws -> [ShiftRecord] { try ShiftRecord.filter(Column("day") == day).fetchAll(db) }

    /// One technician's shift of a day.
    public func shift(technicianId: Int64, day: String) throws -> ShiftRecord? {
        try ShiftRecord.filter(Column("technicianId") == technicianId && Column("day") == day).fetchOne(db)
    }

    /// How many technicians of the region have a shift on `day`.
    public func shiftCount(regionId: Int64, day: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM shift s JOIN technician t ON t.id = s.technicianId WHERE t.regionId = ? AND s.day = ?",
                         arguments: [regionId, day]) ?? 0
    }

    /// Ends a shift early (Unix seconds): a technician off sick.
    public func endShift(id: Int64, at end: Int64) throws {
        try db.execute(sql: "UPDATE shift SET \"end\" = ? WHERE id = ?", arguments: [end, id])
    }

    /// True when a row of `table` (technician, customer or booking) has this external id.
    public func exists(externalId: String, in table: ExternalIdTable) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT 1 FROM \(table.rawValue) WHERE externalId = ?", arguments: [externalId]) != nil
    }

    /// The tables whose rows the caller names by external id.
    public enum ExternalIdTable: String, Sendable { case technician, customer, booking }
}
