import Foundation
import FieldStore

/// The FieldRoute engine over one database: the in-process entry point, a thin façade that sets a
/// region up and hands out the services, one room each. The CLI is a thin layer over it.
///
///     let engine = try Engine(path: "ops.sqlite")
///     try engine.createRegion(name: "lyon", timeZone: "Europe/Paris")
///     try engine.importFile(.bookings, path: "bookings.csv")
///     let plan = try engine.planner.plan(day: "2026-11-24")
///     for booking in try engine.bookings.list(day: "2026-11-24") { print(booking.id, booking.status) }
///
/// ## Topics
/// ### Setting up
/// - ``createRegion(name:timeZone:depotLat:depotLon:)``
/// - ``importFile(_:path:)``
/// ### Services
/// - ``planner``: the nightly plan
/// - ``dispatcher``: operations on the live day
/// - ``bookings``: booking rules, slots, self-service, outcomes
/// - ``tracker``: pings, geofence events and their effects
/// - ``promises``: live windows, tracking views, simulation, learning, the window report
/// - ``messages``: the outbox
public struct Engine: Sendable {
    public let store: FieldStore
    /// Days kept in memory for the dispatcher's what-ifs, in a long-lived process (`fieldroute serve`).
    public let dayRecords: DayRecordsCache?

    public var planner: Planner { Planner(store: store) }
    public var dispatcher: Dispatcher { Dispatcher(store: store, cache: dayRecords) }
    public var bookings: Bookings { Bookings(store: store) }
    public var tracker: Tracker { Tracker(store: store) }
    public var promises: Promises { Promises(store: store) }
    public var messages: Messages { Messages(store: store) }

    public init(store: FieldStore, dayRecords: DayRecordsCache? = nil) { self.store = store; self.dayRecords = dayRecords }

    /// Opens (creating and migrating if needed) the database at `path`.
    public init(path: String) throws(FieldRouteError) {
        do { store = try FieldStore(path: path) } catch { throw .store(error) }
        dayRecords = nil
    }

    /// Adds a region, or returns the one with this name when it exists with the same time zone.
    @discardableResult
    public func createRegion(name: String, timeZone: String, depotLat: Double? = nil,
                             depotLon: Double? = nil) throws(FieldRouteError) -> RegionRecord {
        _ = try RegionClock(timeZone: timeZone)
        guard !name.isEmpty else { throw .badInput("a region needs a name") }
        if let lat = depotLat, let lon = depotLon {
            guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                throw .badInput("depot \(lat),\(lon) is not a WGS84 position (latitude first)")
            }
        }
        do {
            return try store.update { db in
                if let existing = try db.region(named: name) {
                    guard existing.timeZone == timeZone else {
                        throw StoreError.duplicate(kind: "region", id: "\(name) (time zone \(existing.timeZone))")
                    }
                    return existing
                }
                var region = RegionRecord(name: name, timeZone: timeZone, depotLat: depotLat, depotLon: depotLon)
                try db.insert(&region)
                return region
            }
        } catch { throw .store(error) }
    }

    @discardableResult
    public func importFile(_ kind: ImportKind, path: String) throws(FieldRouteError) -> ImportSummary {
        try Importer(store: store).importFile(kind, path: path)
    }

    /// The regions, by name.
    public func regions() throws(FieldRouteError) -> [RegionRecord] {
        do { return try store.read { db in try db.regions() } } catch { throw .store(error) }
    }
}
