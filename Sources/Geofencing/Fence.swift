import Foundation

/// A fence's shape. Polygons are WKT with x = longitude, y = latitude (the GeoJSON order).
public enum FenceShape: Sendable, Equatable {
    /// A circle of `radius` metres around a point.
    case circle(lat: Double, lon: Double, radius: Double)
    case polygon(wkt: String)
}

/// What a fence stands for, which decides the events it gives.
public enum FenceRole: String, Sendable, Codable, CaseIterable {
    /// A customer's site: enter, dwell ("arrived"), exit. Sites are exclusive: where several overlap,
    /// a stay begins only at the one whose centre is nearest (a technician is at one customer at a time).
    case site
    /// A zone around a coming stop: one `approach` event per stay, no dwell, no exit.
    case approach
    /// A depot or home base: enter, dwell, exit.
    case depot
    /// Any other area: enter, dwell, exit.
    case area
}

/// A named fence.
public struct Fence: Sendable, Equatable {
    public var id: String
    public var shape: FenceShape
    public var role: FenceRole
    /// When set, only the detector of this technician sees the fence (an approach zone is meant for
    /// the technician who will visit the stop, not for everyone driving by).
    public var owner: String?

    public init(id: String, shape: FenceShape, role: FenceRole = .area, owner: String? = nil) {
        self.id = id; self.shape = shape; self.role = role; self.owner = owner
    }

    /// Site fences exclude each other.
    public var exclusive: Bool { role == .site }
}

/// The mean Earth radius (IUGG), metres: the haversine's, and every flat approximation's through
/// ``metresPerDegree``, so that distances measured two ways agree.
public let earthRadiusMetres = 6_371_008.8
/// Metres per degree of latitude on that sphere (about 111 195).
public let metresPerDegree = earthRadiusMetres * Double.pi / 180

/// Great-circle distance in metres between two WGS84 points (haversine, mean Earth radius).
public func haversineMetres(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> Double {
    let r = earthRadiusMetres, rad = Double.pi / 180
    let dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * r * asin(min(1, a.squareRoot()))
}
