import Foundation
import GRDB

/// JSON columns (a booking's windows and skills, settings) read back from their stored text.
enum StoredJSON {
    /// `json` decoded as `T`; nil for NULL. A value that does not decode is a broken row, not an empty one.
    static func decode<T: Decodable>(_ json: String?, column: String = "a JSON column") throws -> T? {
        guard let json else { return nil }
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) } catch {
            throw StoreError.database("unreadable JSON in \(column) of a stored row: \(error)")
        }
    }

    /// A required JSON column of `row`.
    static func required<T: Decodable>(_ row: Row, _ column: String) throws -> T {
        guard let value: T = try decode(try row.decode(String?.self, forColumn: column), column: column) else {
            throw StoreError.database("\(column) of a stored row is NULL")
        }
        return value
    }

    /// A required text column holding one of `T`'s raw values.
    static func enumerated<T: RawRepresentable>(_ row: Row, _ column: String) throws -> T where T.RawValue == String {
        guard let value: T = try enumeratedIfPresent(row, column) else { throw StoreError.database("\(column) of a stored row is NULL") }
        return value
    }

    /// A text column holding one of `T`'s raw values, or NULL.
    static func enumeratedIfPresent<T: RawRepresentable>(_ row: Row, _ column: String) throws -> T? where T.RawValue == String {
        guard let raw = try row.decode(String?.self, forColumn: column) else { return nil }
        guard let value = T(rawValue: raw) else { throw StoreError.database("\(column) of a stored row is '\(raw)'") }
        return value
    }
}

extension StoredJSON {
    /// A booking's windows as its encoder writes them, `[{"end":…,"start":…},…]`, read without the
    /// generic decoder (every dispatcher call reads every booking of the day); anything else goes to
    /// ``decode(_:column:)``.
    static func timeWindows(_ row: Row, _ column: String) throws -> [TimeWindow] {
        let text = try row.decode(String.self, forColumn: column)
        if let fast = parseWindows(text) { return fast }
        return try required(row, column)
    }

    /// A list of plain strings (no escapes), `["gas","electric"]`, read directly; else decoded.
    static func strings(_ row: Row, _ column: String) throws -> [String] {
        let text = try row.decode(String.self, forColumn: column)
        if let fast = parseStrings(text) { return fast }
        return try required(row, column)
    }

    static func parseWindows(_ text: String) -> [TimeWindow]? {
        var out: [TimeWindow] = []
        var utf8 = text.utf8[...]
        func skip(_ byte: UInt8) -> Bool {
            guard utf8.first == byte else { return false }
            utf8 = utf8.dropFirst()
            return true
        }
        func key() -> String? {
            guard skip(UInt8(ascii: "\"")), let close = utf8.firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let name = String(decoding: utf8[..<close], as: UTF8.self)
            utf8 = utf8[utf8.index(after: close)...]
            return skip(UInt8(ascii: ":")) ? name : nil
        }
        func integer() -> Int64? {
            var value: Int64 = 0, digits = 0, negative = false
            if skip(UInt8(ascii: "-")) { negative = true }
            while let b = utf8.first, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), digits < 18 {
                value = value * 10 + Int64(b - UInt8(ascii: "0"))
                digits += 1
                utf8 = utf8.dropFirst()
            }
            return digits > 0 ? (negative ? -value : value) : nil
        }
        guard skip(UInt8(ascii: "[")) else { return nil }
        if skip(UInt8(ascii: "]")) { return utf8.isEmpty ? [] : nil }
        repeat {
            guard skip(UInt8(ascii: "{")) else { return nil }
            var start: Int64?, end: Int64?
            repeat {
                switch key() {
                case "start": start = integer()
                case "end": end = integer()
                default: return nil
                }
            } while skip(UInt8(ascii: ","))
            guard skip(UInt8(ascii: "}")), let start, let end else { return nil }
            out.append(TimeWindow(start: start, end: end))
        } while skip(UInt8(ascii: ","))
        return skip(UInt8(ascii: "]")) && utf8.isEmpty ? out : nil
    }

    static func parseStrings(_ text: String) -> [String]? {
        guard text.hasPrefix("["), text.hasSuffix("]"), !text.contains("\\") else { return nil }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        guard inner.hasPrefix("\""), inner.hasSuffix("\"") else { return nil }
        let parts = inner.dropFirst().dropLast().components(separatedBy: "\",\"")
        // A quote left inside a part means the text was not a plain list of strings.
        return parts.contains { $0.contains("\"") } ? nil : parts
    }
}

extension BookingRecord {
    /// Column by column rather than through Codable: every dispatcher call reads the day's bookings,
    /// and the generic row decoder cost most of that read.
    public init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), externalId: try row.decode(forColumn: "externalId"), customerId: try row.decode(forColumn: "customerId"), regionId: try row.decode(forColumn: "regionId"),
                  lat: try row.decode(forColumn: "lat"), lon: try row.decode(forColumn: "lon"), address: try row.decode(forColumn: "address"), serviceDuration: try row.decode(forColumn: "serviceDuration"),
                  requiredSkills: try StoredJSON.strings(row, "requiredSkills"), day: try row.decode(forColumn: "day"),
                  timeWindows: try StoredJSON.timeWindows(row, "timeWindows"), priority: try row.decode(forColumn: "priority"),
                  pinnedTechnicianId: try row.decode(forColumn: "pinnedTechnicianId"), paymentStatus: try StoredJSON.enumerated(row, "paymentStatus"),
                  status: try StoredJSON.enumerated(row, "status"), createdAt: try row.decode(forColumn: "createdAt"), changedAt: try row.decode(forColumn: "changedAt"),
                  cancelledAt: try row.decode(forColumn: "cancelledAt"), cancellationReason: try row.decode(forColumn: "cancellationReason"),
                  cancellationLeadTime: try row.decode(forColumn: "cancellationLeadTime"),
                  outcome: try StoredJSON.enumeratedIfPresent(row, "outcome"),
                  siteRadius: try row.decode(forColumn: "siteRadius"))
    }
}

extension StopRecord {
    /// Column by column (see ``BookingRecord/init(row:)``).
    public init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), routeId: try row.decode(forColumn: "routeId"), bookingId: try row.decode(forColumn: "bookingId"), sequence: try row.decode(forColumn: "sequence"),
                  plannedArrival: try row.decode(forColumn: "plannedArrival"), plannedStart: try row.decode(forColumn: "plannedStart"), plannedEnd: try row.decode(forColumn: "plannedEnd"),
                  promisedStart: try row.decode(forColumn: "promisedStart"), promisedEnd: try row.decode(forColumn: "promisedEnd"), estimateStart: try row.decode(forColumn: "estimateStart"),
                  estimateEnd: try row.decode(forColumn: "estimateEnd"), actualArrival: try row.decode(forColumn: "actualArrival"), actualDeparture: try row.decode(forColumn: "actualDeparture"),
                  actualStart: try row.decode(forColumn: "actualStart"))
    }
}
