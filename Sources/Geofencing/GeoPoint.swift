import Foundation

/// A WGS84 position, latitude first, degrees.
public struct GeoPoint: Sendable, Equatable, Codable {
    public var lat: Double
    public var lon: Double
    public init(lat: Double, lon: Double) { self.lat = lat; self.lon = lon }

    public var isValid: Bool { lat.isFinite && lon.isFinite && abs(lat) <= 90 && abs(lon) <= 180 }

    /// Metres to `other`, haversine.
    public func metres(to other: GeoPoint) -> Double {
        haversineMetres(lat1: lat, lon1: lon, lat2: other.lat, lon2: other.lon)
    }

    /// Metres to the nearest point of the segment a–b, on a flat projection around this point (for
    /// segments of kilometres, such as the line across a GPS gap: the error is far below a fence radius).
    public func metres(toSegment a: GeoPoint, _ b: GeoPoint) -> Double {
        let k = cos(lat * .pi / 180)
        let (ax, ay) = ((a.lon - lon) * k * metresPerDegree, (a.lat - lat) * metresPerDegree)
        let (bx, by) = ((b.lon - lon) * k * metresPerDegree, (b.lat - lat) * metresPerDegree)
        let (dx, dy) = (bx - ax, by - ay), length = dx * dx + dy * dy
        let s = length > 0 ? min(1, max(0, -(ax * dx + ay * dy) / length)) : 0
        let (x, y) = (ax + s * dx, ay + s * dy)
        return (x * x + y * y).squareRoot()
    }
}

/// One GPS fix. Unix seconds, UTC; accuracy in metres (nil when the device did not say).
public struct Ping: Sendable, Equatable, Codable {
    /// Timestamps an imported ping may carry: 2000-01-01 to 2100-01-01 UTC, in Unix seconds.
    public static let plausibleTimestamps: ClosedRange<Int64> = 946_684_800...4_102_444_800
    /// Timestamps the detector takes (±10^15 s): any difference of two stays far from overflowing.
    /// Others are ignored, never trapped on.
    public static let representableTimestamps: ClosedRange<Int64> = -1_000_000_000_000_000...1_000_000_000_000_000

    public var timestamp: Int64
    public var position: GeoPoint
    public var accuracy: Double?

    public init(timestamp: Int64, lat: Double, lon: Double, accuracy: Double? = nil) {
        self.timestamp = timestamp; position = GeoPoint(lat: lat, lon: lon); self.accuracy = accuracy
    }
}
