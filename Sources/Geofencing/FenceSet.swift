import CGEOS
import Foundation

/// A set of fences answering "which fences contain this point?", in two sizes: the fence itself
/// (enter boundary) and the fence grown by `margin` metres (exit boundary, for hysteresis).
/// Polygons are validated with GEOS and prepared once; circles are tested by distance; a grid over
/// the bounding boxes keeps the work per ping small with thousands of fences.
///
///     let fences = try FenceSet([Fence(id: "site-C-1042", shape: .circle(lat: 45.76, lon: 4.83, radius: 80))])
///     fences.containing(lat: 45.7601, lon: 4.8301)  // ["site-C-1042"]
///
/// Not thread-safe: it owns one GEOS context. Use one set per thread.
public final class FenceSet {
    /// Grid cell size, degrees (about 1 km of latitude).
    static let cell = 0.01

    public let fences: [Fence]
    /// Metres between the enter and the exit boundary.
    public let margin: Double
    private let context: GeosContext
    private var geometries: [OpaquePointer?]
    private var prepared: [OpaquePointer?]
    private var preparedOuter: [OpaquePointer?]
    /// Per fence: bounding box of the exit boundary, degrees (minLat, minLon, maxLat, maxLon).
    private var boxes: [(Double, Double, Double, Double)] = []
    private var grid: [Int64: [Int32]] = [:]
    private let ids: [String: Int]

    /// - parameters:
    ///   - margin: metres the exit boundary lies outside each fence.
    /// - Throws: ``FenceError`` naming the first bad fence; invalid polygons are not repaired.
    public init(_ fences: [Fence], margin: Double = 30) throws(FenceError) {
        context = try GeosContext()
        self.fences = fences
        self.margin = max(0, margin)
        geometries = Array(repeating: nil, count: fences.count)
        prepared = geometries
        preparedOuter = geometries
        var ids: [String: Int] = [:]
        for (k, fence) in fences.enumerated() {
            guard ids.updateValue(k, forKey: fence.id) == nil else {
                throw .duplicateId(fence: fence.id)
            }
        }
        self.ids = ids
        for (k, fence) in fences.enumerated() {
            switch fence.shape {
            case let .circle(lat, lon, radius):
                guard GeoPoint(lat: lat, lon: lon).isValid else {
                    throw .badCircle(fence: fence.id, reason: "centre \(lat), \(lon) is not a WGS84 position")
                }
                guard radius.isFinite, radius > 0, radius <= Self.largestRadius else {
                    throw .badCircle(fence: fence.id, reason: "radius must be a positive number of metres up to \(Int(Self.largestRadius)), got \(radius)")
                }
                let dLat = (radius + self.margin) / metresPerDegree, dLon = dLat / max(0.01, cos(lat * .pi / 180))
                boxes.append((lat - dLat, lon - dLon, lat + dLat, lon + dLon))
            case let .polygon(wkt):
                try addPolygon(k, id: fence.id, wkt: wkt)
            }
        }
        for (k, box) in boxes.enumerated() {
            let (a, b, c, d) = (Self.key(box.0), Self.key(box.1), Self.key(box.2), Self.key(box.3))
            for i in a...c { for j in b...d { grid[i << 32 | (j & 0xFFFF_FFFF), default: []].append(Int32(k)) } }
        }
    }

    /// The largest circle's radius and the widest polygon's bounding-box diagonal, metres: fences are
    /// places (sites, depots, a city's area), and the index's work grows with their extent.
    public static let largestRadius = 50_000.0
    public static let largestPolygon = 200_000.0

    /// Why a polygon's bounding box cannot be a fence, or nil.
    static func extentProblem(minX: Double, minY: Double, maxX: Double, maxY: Double) -> String? {
        guard [minX, minY, maxX, maxY].allSatisfy(\.isFinite) else { return "a coordinate is not a number" }
        if minY < -90 || maxY > 90 {
            return "latitude \(minY < -90 ? minY : maxY) is outside −90…90 (GeoJSON positions are longitude, latitude)"
        }
        if minX < -180 || maxX > 180 { return "longitude \(minX < -180 ? minX : maxX) is outside −180…180" }
        let height = (maxY - minY) * metresPerDegree
        let width = (maxX - minX) * metresPerDegree * cos((minY + maxY) / 2 * .pi / 180)
        let diagonal = (height * height + width * width).squareRoot()
        if diagonal > largestPolygon {
            return "spans \(Int(diagonal / 1000)) km; a polygon fence is at most \(Int(largestPolygon / 1000)) km across"
        }
        return nil
    }

    private func addPolygon(_ k: Int, id: String, wkt: String) throws(FenceError) {
        let h = context.handle
        guard let geometry = context.readWKT(wkt) else { throw .unreadableWKT(fence: id, reason: "GEOS could not parse it") }
        let type = context.typeName(geometry)
        guard type == "Polygon" || type == "MultiPolygon" else {
            GEOSGeom_destroy_r(h, geometry)
            throw .notAPolygon(fence: id, type: type)
        }
        if let reason = context.validityReason(geometry) {
            GEOSGeom_destroy_r(h, geometry)
            throw .invalidPolygon(fence: id, reason: reason)
        }
        var minX = 0.0, minY = 0.0, maxX = 0.0, maxY = 0.0
        GEOSGeom_getXMin_r(h, geometry, &minX); GEOSGeom_getYMin_r(h, geometry, &minY)
        GEOSGeom_getXMax_r(h, geometry, &maxX); GEOSGeom_getYMax_r(h, geometry, &maxY)
        // Every vertex a WGS84 position (x longitude, y latitude), and the fence a place, not a country:
        // before anything is grown or indexed, which grows with the extent.
        if let reason = Self.extentProblem(minX: minX, minY: minY, maxX: maxX, maxY: maxY) {
            GEOSGeom_destroy_r(h, geometry)
            throw .invalidPolygon(fence: id, reason: reason)
        }
        // The exit boundary: the polygon grown by `margin` metres, in degrees at its latitude (the
        // longitude stretch is taken at the centre; fine for fences of a few kilometres).
        let marginDegrees = margin / metresPerDegree
        let midLat = (minY + maxY) / 2
        geometries[k] = geometry
        prepared[k] = GEOSPrepare_r(h, geometry)
        if margin > 0, let grown = GEOSBuffer_r(h, geometry, marginDegrees / max(0.01, cos(midLat * .pi / 180)), 8) {
            preparedOuter[k] = GEOSPrepare_r(h, grown)
            outerOwned.append(grown)
        } else {
            preparedOuter[k] = prepared[k]
        }
        let dLon = marginDegrees / max(0.01, cos(midLat * .pi / 180))
        boxes.append((minY - marginDegrees, minX - dLon, maxY + marginDegrees, maxX + dLon))
    }

    private var outerOwned: [OpaquePointer] = []

    deinit {
        let h = context.handle
        for (k, p) in preparedOuter.enumerated() { if let p, p != prepared[k] { GEOSPreparedGeom_destroy_r(h, p) } }
        for p in prepared { if let p { GEOSPreparedGeom_destroy_r(h, p) } }
        for g in geometries { if let g { GEOSGeom_destroy_r(h, g) } }
        for g in outerOwned { GEOSGeom_destroy_r(h, g) }
    }

    private static func key(_ degrees: Double) -> Int64 { Int64((degrees / cell).rounded(.down)) }

    /// Index of the fence with this id.
    public func index(of id: String) -> Int? { ids[id] }

    /// Fences whose exit boundary's bounding box holds `p`: a superset of the fences that can contain it.
    public func near(_ p: GeoPoint) -> [Int] {
        guard let list = grid[Self.key(p.lat) << 32 | (Self.key(p.lon) & 0xFFFF_FFFF)] else { return [] }
        var out: [Int] = []
        for k32 in list {
            let k = Int(k32), b = boxes[k]
            if p.lat >= b.0, p.lon >= b.1, p.lat <= b.2, p.lon <= b.3 { out.append(k) }
        }
        return out
    }

    /// True when fence `index` contains `p`: its enter boundary, or with `outer` its exit boundary.
    /// Circles include their boundary; polygons exclude it.
    public func contains(_ index: Int, _ p: GeoPoint, outer: Bool = false) -> Bool {
        switch fences[index].shape {
        case let .circle(lat, lon, radius):
            return haversineMetres(lat1: lat, lon1: lon, lat2: p.lat, lon2: p.lon) <= radius + (outer ? margin : 0)
        case .polygon:
            guard let prep = outer ? preparedOuter[index] : prepared[index],
                  let point = GEOSGeom_createPointFromXY_r(context.handle, p.lon, p.lat) else { return false }
            defer { GEOSGeom_destroy_r(context.handle, point) }
            return GEOSPreparedContains_r(context.handle, prep, point) == 1
        }
    }

    /// Metres from `p` to the centre of fence `index` (a circle's centre, a polygon's envelope centre).
    public func centreDistance(_ index: Int, _ p: GeoPoint) -> Double {
        switch fences[index].shape {
        case let .circle(lat, lon, _): return haversineMetres(lat1: lat, lon1: lon, lat2: p.lat, lon2: p.lon)
        case .polygon:
            let b = boxes[index]
            return haversineMetres(lat1: (b.0 + b.2) / 2, lon1: (b.1 + b.3) / 2, lat2: p.lat, lon2: p.lon)
        }
    }

    /// True when fence `index` contains the point (enter boundary).
    public func contains(_ index: Int, lat: Double, lon: Double) -> Bool { contains(index, GeoPoint(lat: lat, lon: lon)) }

    /// Ids of the fences containing the point, in the order the set was built.
    public func containing(lat: Double, lon: Double) -> [String] {
        let p = GeoPoint(lat: lat, lon: lon)
        return near(p).sorted().filter { contains($0, p) }.map { fences[$0].id }
    }
}
