import Foundation

/// Rows read from a CSV or JSON file, each with the line it starts on, values as text.
///
/// CSV: RFC 4180 (quoted fields may hold commas, quotes as `""`, and line breaks), a header row,
/// `\n` or `\r\n`. JSON: an array of flat objects; numbers, strings, booleans and arrays of
/// strings are accepted (arrays become `;`-joined text, the CSV list form).
struct TabularFile {
    struct Row {
        var line: Int
        /// In column order; nil where a JSON object lacks the key.
        var values: [String?]
    }

    var name: String
    var columns: [String]
    /// Column name → position in ``Row/values``.
    var index: [String: Int]
    var rows: [Row]

    /// Refuses a column that is neither required nor optional (a typo must not become a silently
    /// empty field) and, in CSV, a missing required column (JSON objects may leave keys out).
    func checkColumns(required: [String], optional: [String], of kind: String) throws(ImportError) {
        let known = Set(required + optional)
        if let unknown = columns.first(where: { !known.contains($0) }) {
            throw ImportError(file: name, line: 1, field: unknown,
                              reason: "unknown column for \(kind); expected " + (required + optional).joined(separator: ", "))
        }
        if !name.lowercased().hasSuffix(".json"), let missing = required.first(where: { !columns.contains($0) }) {
            throw ImportError(file: name, line: 1, field: missing, reason: "missing column")
        }
    }

    init(name: String, columns: [String], rows: [Row]) {
        self.name = name; self.columns = columns; self.rows = rows
        index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func parse(data: Data, name: String) throws(ImportError) -> TabularFile {
        var bytes = [UInt8](data)
        // Only text with non-ASCII bytes needs the full UTF-8 check.
        if bytes.contains(where: { $0 >= 0x80 }), String(validating: bytes, as: UTF8.self) == nil {
            throw ImportError(file: name, line: 0, field: "", reason: "not UTF-8 text")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let first = bytes.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw ImportError(file: name, line: 0, field: "", reason: "empty file")
        }
        if name.lowercased().hasSuffix(".json") || first == UInt8(ascii: "[") {
            return try parseJSON(String(decoding: bytes, as: UTF8.self), name: name)
        }
        return try parseCSV(bytes, name: name)
    }

    // MARK: CSV

    /// RFC 4180 over UTF-8 bytes: fields are sliced, not built character by character.
    static func parseCSV(_ bytes: [UInt8], name: String) throws(ImportError) -> TabularFile {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [(line: Int, fields: [String?])] = []
        var fields: [String?] = []
        var line = 1, recordLine = 1, i = 0
        let n = bytes.count
        func trimmed(_ from: Int, _ to: Int) -> String {
            var a = from, b = to
            while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 { a += 1 }
            while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 || bytes[b - 1] == cr { b -= 1 }
            return String(decoding: bytes[a..<b], as: UTF8.self)
        }
        while i < n {
            // One field starts at i.
            if bytes[i] == quote {
                var value: [UInt8] = []
                var j = i + 1
                var closed = false
                while j < n {
                    if bytes[j] == quote {
                        if j + 1 < n, bytes[j + 1] == quote { value.append(quote); j += 2; continue }
                        closed = true; j += 1; break
                    }
                    if bytes[j] == newline { line += 1 }
                    value.append(bytes[j]); j += 1
                }
                guard closed else { throw ImportError(file: name, line: recordLine, field: "", reason: "unterminated quoted field") }
                while j < n, bytes[j] == 0x20 || bytes[j] == cr { j += 1 }
                guard j == n || bytes[j] == comma || bytes[j] == newline else {
                    throw ImportError(file: name, line: line, field: "", reason: "text after a closing quote")
                }
                fields.append(String(decoding: value, as: UTF8.self))
                i = j
            } else {
                var j = i
                while j < n, bytes[j] != comma, bytes[j] != newline {
                    if bytes[j] == quote { throw ImportError(file: name, line: line, field: "", reason: "quote inside an unquoted field") }
                    j += 1
                }
                fields.append(trimmed(i, j))
                i = j
            }
            if i < n, bytes[i] == comma {
                i += 1
                if i == n { fields.append("") }
                continue
            }
            // End of record (newline or end of data).
            if !(fields.count == 1 && fields[0]?.isEmpty == true) { records.append((recordLine, fields)) }
            // Every record has the header's width: reserve it so a row costs one array.
            fields = []
            fields.reserveCapacity(records.first?.fields.count ?? 8)
            if i < n { i += 1; line += 1; recordLine = line }
        }
        guard let header = records.first else { throw ImportError(file: name, line: 0, field: "", reason: "empty file") }
        let columns = header.fields.map { ($0 ?? "").lowercased() }
        if let dup = columns.firstDuplicate() {
            throw ImportError(file: name, line: header.line, field: dup, reason: "column appears twice in the header")
        }
        var rows: [Row] = []
        rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                throw ImportError(file: name, line: record.line, field: "",
                                  reason: "has \(record.fields.count) fields, the header has \(columns.count)")
            }
            rows.append(Row(line: record.line, values: record.fields))
        }
        guard !rows.isEmpty else { throw ImportError(file: name, line: header.line, field: "", reason: "no rows after the header") }
        return TabularFile(name: name, columns: columns, rows: rows)
    }

    // MARK: JSON

    static func parseJSON(_ text: String, name: String) throws(ImportError) -> TabularFile {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw ImportError(file: name, line: 0, field: "", reason: "not valid JSON (\(error.localizedDescription))")
        }
        guard let array = object as? [Any] else {
            throw ImportError(file: name, line: 1, field: "", reason: "expected a JSON array of objects")
        }
        guard !array.isEmpty else { throw ImportError(file: name, line: 1, field: "", reason: "empty array: nothing to import") }
        let lines = objectStartLines(text)
        var objects: [(line: Int, values: [String: String])] = [], columns: [String] = []
        for (k, element) in array.enumerated() {
            let line = k < lines.count ? lines[k] : 0
            guard let dict = element as? [String: Any] else {
                throw ImportError(file: name, line: line, field: "", reason: "element \(k + 1) is not an object")
            }
            var values: [String: String] = [:]
            for (key, value) in dict.sorted(by: { $0.key < $1.key }) {
                let column = key.lowercased()
                guard let text = jsonText(value) else {
                    throw ImportError(file: name, line: line, field: column, reason: "nested objects are not supported here")
                }
                if let text { values[column] = text }
                if !columns.contains(column) { columns.append(column) }
            }
            objects.append((line, values))
        }
        let rows = objects.map { object in Row(line: object.line, values: columns.map { object.values[$0] }) }
        return TabularFile(name: name, columns: columns, rows: rows)
    }

    /// The text form of a JSON value: nil for null; `.none` (outer) for what has no flat text form.
    private static func jsonText(_ value: Any) -> String?? {
        switch value {
        case is NSNull: return .some(nil)
        case let s as String: return s
        case let n as NSNumber:
            if isJSONBoolean(n) { return n.boolValue ? "true" : "false" }
            return n.stringValue
        case let list as [Any]:
            var parts: [String] = []
            for item in list {
                guard let inner = jsonText(item), let text = inner else { return nil }
                parts.append(text)
            }
            return parts.joined(separator: ";")
        default: return nil
        }
    }

    /// The line on which each element of the top-level array starts, scanning the raw text.
    private static func objectStartLines(_ text: String) -> [Int] {
        var lines: [Int] = [], depth = 0, line = 1, inString = false, escaped = false, expecting = false
        for c in text.utf8 {
            if c == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true }
                else if c == UInt8(ascii: "\"") { inString = false }
                continue
            }
            let isSpace = c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
            if depth == 1, expecting, !isSpace, c != UInt8(ascii: "]") { lines.append(line); expecting = false }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth == 1 { expecting = true }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ","): if depth == 1 { expecting = true }
            default: break
            }
        }
        return lines
    }
}

extension Array where Element: Hashable {
    func firstDuplicate() -> Element? {
        var seen = Set<Element>()
        for e in self { if !seen.insert(e).inserted { return e } }
        return nil
    }
}
