import Foundation
import FieldStore

/// What `fieldroute demo` built.
public struct DemoSummary: Sendable, Codable, Equatable {
    public var region: String
    public var day: String
    public var technicians: Int
    public var shiftHours: Double
    public var bookings: Int
    public var serviceHours: Double
    /// Number of bookings by allowed window width in hours (widest window).
    public var windowWidths: [String: Int]
    public var skills: [String: Int]
}

extension Engine {
    static let demoMarker = "demo"

    /// True when the database holds the demo region (so `demo` may replace it).
    public static func isDemoDatabase(path: String) -> Bool {
        guard let store = try? FieldStore(path: path, busyTimeout: 1) else { return false }
        return (try? store.read { db in try db.hasSetting(key: demoMarker) }) ?? false
    }

    /// Fills an empty database with the demo region, through the same importer users call; `name`
    /// names the region (generated shards are "region-01", "region-02", …).
    public func loadDemo(_ demo: DemoRegion = .generate(), name: String = DemoRegion.regionName) throws(FieldRouteError) -> DemoSummary {
        let region = try createRegion(name: name, timeZone: DemoRegion.timeZone,
                                      depotLat: DemoRegion.depot.lat, depotLon: DemoRegion.depot.lon)
        let importer = Importer(store: store)
        for (kind, file) in DemoRegion.fileOrder {
            guard let text = demo.files[file] else { throw .internalFailure("demo has no \(file)") }
            _ = try importer.importData(kind, data: Data(text.utf8), name: "demo/\(file)")
        }
        do {
            try store.update { db in
                try db.saveSetting(regionId: region.id ?? 0, key: Self.demoMarker, json: "true")
            }
        } catch { throw .store(error) }
        return try demoSummary(name: name)
    }

    func demoSummary(name: String) throws(FieldRouteError) -> DemoSummary {
        do {
            return try store.read { db in
                let techs = try db.technicians().count
                let shifts = try db.shifts(day: DemoRegion.day)
                let bookings = try db.bookings(day: DemoRegion.day)
                var widths: [String: Int] = [:], skills: [String: Int] = [:]
                for b in bookings {
                    let widest = b.timeWindows.map { $0.end - $0.start }.max() ?? 0
                    widths["\(widest / 3600)h", default: 0] += 1
                    for s in b.requiredSkills { skills[s, default: 0] += 1 }
                }
                let shiftSeconds = shifts.reduce(Int64(0)) { $0 + $1.end - $1.start - $1.breakLength }
                return DemoSummary(region: name, day: DemoRegion.day, technicians: techs,
                                   shiftHours: Double(shiftSeconds) / 3600, bookings: bookings.count,
                                   serviceHours: Double(bookings.reduce(Int64(0)) { $0 + $1.serviceDuration }) / 3600,
                                   windowWidths: widths, skills: skills)
            }
        } catch { throw .store(error) }
    }
}
