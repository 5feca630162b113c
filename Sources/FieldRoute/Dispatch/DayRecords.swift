import FieldStore

/// What a live day is built from that does not depend on the instant: the region, its plan, routes,
/// stops, bookings, shifts and technicians, read in a handful of queries. ``LiveDay`` adds `now`
/// and the latest pings. A server keeps these in a ``DayRecordsCache`` until the store changes.
struct DayRecords: Sendable {
    var region: RegionRecord
    var planId: Int64
    var day: String
    var travel: TravelSource
    var clock: RegionClock
    var routes: [RouteRecord]
    var stopsByRoute: [Int64: [StopRecord]]
    var bookings: [Int64: BookingRecord]
    var shifts: [Int64: [ShiftRecord]]
    var technicians: [TechnicianRecord]

    static func read(_ db: StoreTransaction, region name: String?, day: String) throws -> DayRecords {
        let region = try Engine.region(named: name, db)
        guard let plan = try db.plan(regionId: region.id ?? 0, day: day),
              let planId = plan.id else {
            throw FieldRouteError.badInput("no plan for \(day): run 'fieldroute plan --date \(day)' first")
        }
        let routes = try db.routes(planId: planId)
        return DayRecords(region: region, planId: planId, day: day, travel: try Engine.travelSource(for: region, db),
                          clock: try RegionClock(timeZone: region.timeZone), routes: routes,
                          stopsByRoute: Dictionary(grouping: try db.stops(routeIds: routes.compactMap(\.id)), by: \.routeId),
                          bookings: Dictionary(uniqueKeysWithValues: try db.bookings(regionId: region.id ?? 0, day: day).map { ($0.id ?? 0, $0) }),
                          shifts: Dictionary(grouping: try db.shifts(day: day), by: \.technicianId),
                          technicians: try db.technicians(regionId: region.id ?? 0))
    }
}

/// The ``DayRecords`` of the days a long-lived process (`fieldroute serve`) answers for, kept until
/// anything is committed to the store, by this process or another (``KeptByVersion``). Only reads
/// that happen outside a write transaction use it: a what-if.
public final class DayRecordsCache: Sendable {
    private let watch: StoreChangeWatch
    private let kept = KeptByVersion<DayRecords>()

    public init(watch: StoreChangeWatch) { self.watch = watch }

    /// The store's version now: read it before the snapshot the records come from.
    func version() throws -> Int64 { try watch.version() }

    /// The records of `day` in `region` at `version`, from memory or read in `db`.
    func records(_ db: StoreTransaction, region: String?, day: String, version: Int64) throws -> DayRecords {
        try kept.value("\(region ?? "")\u{1}\(day)", at: version) { try DayRecords.read(db, region: region, day: day) }
    }
}
