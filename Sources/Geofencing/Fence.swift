import Foundation

/// A fence's shape. Polygons are WKT with x = longitude, y = latitude (the GeoJSON order).
public enum FenceShape: Sendable, Equatable {
    /// A circle of `radius` metres around a point.
    case circle(lat: Double, lon: Double, radius: Double)
    case polygon(wkt: String)
}

/// A named fence.
public struct Fence: Sendable, Equatable {
    public var id: String
    public var shape: FenceShape
    /// Exclusive fences (customer sites) cannot be visited at once: where several overlap, a stay
    /// begins only at the one whose centre is nearest.
    public var exclusive: Bool

    public init(id: String, shape: FenceShape, exclusive: Bool = false) {
        self.id = id; self.shape = shape; self.exclusive = exclusive
    }
}

/// Great-circle distance in metres between two WGS84 points (haversine, mean Earth radius).
public func haversineMetres(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
    let r = 6_371_008.8, rad = Double.pi / 180
    let dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * r * asin(min(1, a.squareRoot()))
}
