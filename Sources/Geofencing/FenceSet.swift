import CGEOS

/// A set of fences answering "which fences contain this point?". Polygons are validated with GEOS
/// and prepared once; circles are tested by distance.
///
///     let fences = try FenceSet([Fence(id: "site-C-1042", shape: .circle(lat: 45.76, lon: 4.83, radius: 80))])
///     fences.containing(lat: 45.7601, lon: 4.8301)  // ["site-C-1042"]
///
/// Not thread-safe: it owns one GEOS context. Use one set per thread.
public final class FenceSet {
    private let context: GeosContext
    public let fences: [Fence]
    private var geometries: [OpaquePointer?]
    private var prepared: [OpaquePointer?]

    /// - Throws: ``FenceError`` naming the first bad fence; invalid polygons are not repaired.
    public init(_ fences: [Fence]) throws(FenceError) {
        context = try GeosContext()
        self.fences = fences
        geometries = Array(repeating: nil, count: fences.count)
        prepared = Array(repeating: nil, count: fences.count)
        for (k, fence) in fences.enumerated() {
            switch fence.shape {
            case let .circle(lat, lon, radius):
                guard lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else {
                    throw .badCircle(fence: fence.id, reason: "centre \(lat), \(lon) is not a WGS84 position")
                }
                guard radius.isFinite, radius > 0 else {
                    throw .badCircle(fence: fence.id, reason: "radius must be a positive number of metres, got \(radius)")
                }
            case let .polygon(wkt):
                guard let geometry = context.readWKT(wkt) else {
                    throw .unreadableWKT(fence: fence.id, reason: "GEOS could not parse it")
                }
                let type = context.typeName(geometry)
                guard type == "Polygon" || type == "MultiPolygon" else {
                    GEOSGeom_destroy_r(context.handle, geometry)
                    throw .notAPolygon(fence: fence.id, type: type)
                }
                if let reason = context.validityReason(geometry) {
                    GEOSGeom_destroy_r(context.handle, geometry)
                    throw .invalidPolygon(fence: fence.id, reason: reason)
                }
                geometries[k] = geometry
                prepared[k] = GEOSPrepare_r(context.handle, geometry)
            }
        }
    }

    deinit {
        for p in prepared { if let p { GEOSPreparedGeom_destroy_r(context.handle, p) } }
        for g in geometries { if let g { GEOSGeom_destroy_r(context.handle, g) } }
    }

    /// True when fence `index` contains the point (boundary excluded for polygons, included for circles).
    public func contains(_ index: Int, lat: Double, lon: Double) -> Bool {
        switch fences[index].shape {
        case let .circle(clat, clon, radius):
            return haversineMetres(lat1: clat, lon1: clon, lat2: lat, lon2: lon) <= radius
        case .polygon:
            guard let prep = prepared[index],
                  let point = GEOSGeom_createPointFromXY_r(context.handle, lon, lat) else { return false }
            defer { GEOSGeom_destroy_r(context.handle, point) }
            return GEOSPreparedContains_r(context.handle, prep, point) == 1
        }
    }

    /// Ids of the fences containing the point, in the order the set was built.
    public func containing(lat: Double, lon: Double) -> [String] {
        fences.indices.filter { contains($0, lat: lat, lon: lon) }.map { fences[$0].id }
    }
}
