import Foundation
import GRDB

/// A travel-time table imported from a router (OSRM `table`): `points` as [lat, lon] pairs, and
/// seconds and metres from point i to point j at `i * count + j`.
public struct TravelMatrixRecord: Codable, Sendable, Equatable {
    public var regionId: Int64
    /// The file it came from, for people.
    public var source: String
    /// [[lat, lon], …]
    public var points: [[Double]]
    public var durations: Data
    public var distances: Data
    public var importedAt: Int64

    public init(regionId: Int64, source: String, points: [[Double]], durations: [Int32], distances: [Int32], importedAt: Int64) {
        self.regionId = regionId; self.source = source; self.points = points
        self.durations = Self.pack(durations); self.distances = Self.pack(distances); self.importedAt = importedAt
    }

    /// The tables as integers (empty when the blob is malformed).
    public var durationValues: [Int32] { Self.unpack(durations) }
    public var distanceValues: [Int32] { Self.unpack(distances) }

    /// Int32 values as little-endian bytes, as the blobs hold them.
    package static func pack(_ values: [Int32]) -> Data {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// The blob's Int32 values (empty when its length is not a multiple of 4).
    package static func unpack(_ data: Data) -> [Int32] {
        guard data.count % 4 == 0 else { return [] }
        var out = [Int32](repeating: 0, count: data.count / 4)
        let bytes = [UInt8](data)
        for k in out.indices {
            let b = k * 4
            out[k] = Int32(bitPattern: UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24)
        }
        return out
    }
}

extension TravelMatrixRecord: StoredRecord, PersistableRecord {
    public static let databaseTableName = "travelMatrix"
}

/// The legs a region's OSRM server answered (its `table` service): `points` as [lat, lon] pairs as
/// asked (not snapped), seconds and metres from point i to point j at `i * count + j`. One per region;
/// `server` is the address they came from, so a region that names another server starts afresh.
public struct RouterLegsRecord: Codable, Sendable, Equatable {
    public var regionId: Int64
    public var server: String
    public var points: [[Double]]
    public var durations: Data
    public var distances: Data
    public var updatedAt: Int64

    public init(regionId: Int64, server: String, points: [[Double]], durations: [Int32], distances: [Int32], updatedAt: Int64) {
        self.regionId = regionId; self.server = server; self.points = points
        self.durations = TravelMatrixRecord.pack(durations); self.distances = TravelMatrixRecord.pack(distances)
        self.updatedAt = updatedAt
    }

    public var durationValues: [Int32] { TravelMatrixRecord.unpack(durations) }
    public var distanceValues: [Int32] { TravelMatrixRecord.unpack(distances) }
}

extension RouterLegsRecord: StoredRecord, PersistableRecord {
    public static let databaseTableName = "routerLegs"
}
