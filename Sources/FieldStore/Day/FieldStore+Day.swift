import GRDB

/// One region's day: the unit the day's invariants and its version are kept for.
public struct DayKey: Sendable, Hashable, CustomStringConvertible {
    public var regionId: Int64
    /// Local day, yyyy-mm-dd in the region's time zone.
    public var day: String

    public init(regionId: Int64, day: String) { self.regionId = regionId; self.day = day }

    public var description: String { day }
}

extension FieldStore {
    /// The day's version: raised by the schema's triggers on every change a plan or dispatch reads
    /// (bookings, shifts, plan, routes, stops). Zero for a day nothing was ever written to.
    public func dayVersion(_ key: DayKey) throws(StoreError) -> Int64 {
        try read { tx in try tx.dayVersion(key) }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, but only if the day is still at `version`
    /// (what the caller read before computing outside the transaction). Otherwise nothing is written
    /// and ``StoreError/dayChanged(day:operation:)`` says so; the caller recomputes or gives up.
    ///
    ///     let version = try store.dayVersion(key)        // read, then compute for seconds
    ///     try store.writeDay(key, expecting: version, operation: "planning") { tx in … }
    public func writeDay<T>(_ key: DayKey, expecting version: Int64, operation: String,
                            _ body: (StoreTransaction) throws -> T) throws -> T {
        try write { tx in
            guard try tx.dayVersion(key) == version else {
                throw StoreError.dayChanged(day: key.day, operation: operation)
            }
            return try body(tx)
        }
    }
}

extension StoreTransaction {
    /// ``FieldStore/dayVersion(_:)`` inside this transaction.
    public func dayVersion(_ key: DayKey) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT version FROM dayVersion WHERE regionId = ? AND day = ?",
                           arguments: [key.regionId, key.day]) ?? 0
    }
}
