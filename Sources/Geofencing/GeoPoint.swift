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
}

/// One GPS fix. Unix seconds, UTC; accuracy in metres (nil when the device did not say).
public struct Ping: Sendable, Equatable, Codable {
    public var timestamp: Int64
    public var position: GeoPoint
    public var accuracy: Double?

    public init(timestamp: Int64, lat: Double, lon: Double, accuracy: Double? = nil) {
        self.timestamp = timestamp; position = GeoPoint(lat: lat, lon: lon); self.accuracy = accuracy
    }
}
