import FieldStore
import Foundation
import Geofencing

extension Tracker {
    /// Imports fences from a GeoJSON FeatureCollection, all or nothing. Each feature needs an `id`
    /// (or `properties.id`); `properties.kind` is site, approach, depot or area (default area);
    /// `properties.booking` ties a site fence to a booking. Geometry: Polygon or MultiPolygon, or a
    /// Point with `properties.radius` in metres. Polygons are validated with GEOS; an invalid one is
    /// refused with its id and GEOS's reason — unless `repair` is set, in which case GEOS `MakeValid`
    /// repairs it and the repaired polygon is stored.
    @discardableResult
    public func importFences(path: String, repair: Bool = false) throws(FieldRouteError) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .importFailed(ImportError(file: path, line: 0, field: "", reason: "cannot read the file"))
        }
        let records = try Self.fenceRecords(data, file: path, repair: repair)
        do {
            try store.write { db in
                for (var record, booking) in records {
                    if let booking { record.bookingId = try db.booking(externalId: booking).id }
                    if try db.fenceExists(externalId: record.externalId) {
                        throw StoreError.duplicate(kind: "fence", id: record.externalId)
                    }
                    try db.insert(&record)
                }
            }
        } catch { throw FieldRouteError(wrapping: error) }
        return records.count
    }

    /// The fences of a GeoJSON file (`file` names it in errors), checked as ``importFences(path:repair:)``
    /// checks them, each with the booking its site belongs to; nothing is stored (the fuzzer's entry).
    package static func fenceRecords(_ data: Data, file path: String, repair: Bool) throws(FieldRouteError) -> [(GeofenceRecord, String?)] {
        let fail = { (reason: String) in FieldRouteError.importFailed(ImportError(file: path, line: 0, field: "", reason: reason)) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let features = root["features"] as? [[String: Any]], !features.isEmpty else {
            throw fail("expected a GeoJSON FeatureCollection with at least one feature")
        }
        var records: [(GeofenceRecord, String?)] = []
        for (k, feature) in features.enumerated() {
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let id = (feature["id"] ?? properties["id"]).map({ "\($0)" }), !id.isEmpty else {
                throw fail("feature \(k + 1) has no id")
            }
            let kind = properties["kind"] as? String ?? "area"
            guard ["site", "approach", "depot", "area"].contains(kind) else { throw fail("fence \(id): unknown kind '\(kind)'") }
            guard let geometry = feature["geometry"] as? [String: Any], let type = geometry["type"] as? String else {
                throw fail("fence \(id): no geometry")
            }
            var record = GeofenceRecord(externalId: id, kind: kind)
            switch type {
            case "Point":
                guard let c = geometry["coordinates"] as? [Double], c.count >= 2, let radius = properties["radius"] as? Double else {
                    throw fail("fence \(id): a Point needs [lon, lat] coordinates and properties.radius in metres")
                }
                record.centerLon = c[0]; record.centerLat = c[1]; record.radius = radius
            case "Polygon", "MultiPolygon":
                guard let wkt = Self.wkt(type: type, coordinates: geometry["coordinates"]) else {
                    throw fail("fence \(id): malformed \(type) coordinates")
                }
                do { record.wkt = repair ? try PolygonRepair.repaired(wkt, fence: id) : wkt } catch { throw .fence(error) }
            default: throw fail("fence \(id): geometry \(type) is not a Polygon, MultiPolygon or Point")
            }
            records.append((record, properties["booking"] as? String))
        }
        do { _ = try FenceSet(records.map { Self.fence($0.0, owner: nil) }) } catch { throw .fence(error) }
        return records
    }

    private static func wkt(type: String, coordinates: Any?) -> String? {
        func ring(_ any: Any) -> String? {
            guard let points = any as? [[Double]], points.count >= 4, points.allSatisfy({ $0.count >= 2 }) else { return nil }
            return "(" + points.map { "\($0[0]) \($0[1])" }.joined(separator: ", ") + ")"
        }
        func polygon(_ any: Any) -> String? {
            guard let rings = any as? [Any], !rings.isEmpty else { return nil }
            let parts = rings.compactMap(ring)
            return parts.count == rings.count ? "(" + parts.joined(separator: ", ") + ")" : nil
        }
        if type == "Polygon" { return coordinates.flatMap(polygon).map { "POLYGON \($0)" } }
        guard let polygons = coordinates as? [Any], !polygons.isEmpty else { return nil }
        let parts = polygons.compactMap(polygon)
        return parts.count == polygons.count ? "MULTIPOLYGON (" + parts.joined(separator: ", ") + ")" : nil
    }
}

/// A geofence event as callers see it.
public struct EventView: Sendable, Codable, Equatable {
    public var technician: String
    public var fence: String
    public var kind: String
    /// Unix seconds, UTC: when it happened, and when the detector saw it.
    public var timestamp: Int64
    public var detectedAt: Int64
    public var booking: String?
}

extension Tracker {
    /// Geofence events, oldest first, optionally of one technician.
    public func events(technician: String? = nil) throws(FieldRouteError) -> [EventView] {
        do {
            return try store.read { db in
                try db.events(technician: technician).map {
                    EventView(technician: $0.technician, fence: $0.fence, kind: $0.kind, timestamp: $0.timestamp,
                              detectedAt: $0.detectedAt, booking: $0.booking)
                }
            }
        } catch { throw .store(error) }
    }
}
