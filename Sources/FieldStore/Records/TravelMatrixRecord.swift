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

    static func pack(_ values: [Int32]) -> Data {
        var data = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func unpack(_ data: Data) -> [Int32] {
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
