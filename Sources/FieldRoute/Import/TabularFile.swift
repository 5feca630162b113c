import Foundation

/// Rows read from a CSV or JSON file, each with the line it starts on, values as text.
///
/// CSV: RFC 4180 (quoted fields may hold commas, quotes as `""`, and line breaks), a header row,
/// `\n` or `\r\n`. JSON: an array of flat objects; numbers, strings, booleans and arrays of
/// strings are accepted (arrays become `;`-joined text, the CSV list form).
struct TabularFile {
    struct Row {
        var line: Int
        var values: [String: String]
    }

    var name: String
    var columns: [String]
    var rows: [Row]

    static func parse(data: Data, name: String) throws(ImportError) -> TabularFile {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportError(file: name, line: 0, field: "", reason: "not UTF-8 text")
        }
        let trimmed = text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        guard !trimmed.isEmpty else { throw ImportError(file: name, line: 0, field: "", reason: "empty file") }
        if name.lowercased().hasSuffix(".json") || trimmed.first == "[" {
            return try parseJSON(text, name: name)
        }
        return try parseCSV(text, name: name)
    }

    // MARK: CSV

    static func parseCSV(_ text: String, name: String) throws(ImportError) -> TabularFile {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = [], field = "", inQuotes = false, wasQuoted = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty && !wasQuoted) { records.append((recordLine, fields)) }
            fields = []; field = ""; wasQuoted = false
        }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 }
                    else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else {
                switch c {
                case "\"":
                    guard field.isEmpty else {
                        throw ImportError(file: name, line: line, field: "", reason: "quote inside an unquoted field")
                    }
                    inQuotes = true; wasQuoted = true
                case ",": fields.append(field); field = ""
                case "\r": break
                case "\n":
                    endRecord(); line += 1; recordLine = line
                default: field.unicodeScalars.append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw ImportError(file: name, line: recordLine, field: "", reason: "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let header = records.first else { throw ImportError(file: name, line: 0, field: "", reason: "empty file") }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let dup = columns.firstDuplicate() {
            throw ImportError(file: name, line: header.line, field: dup, reason: "column appears twice in the header")
        }
        var rows: [Row] = []
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                throw ImportError(file: name, line: record.line, field: "",
                                  reason: "has \(record.fields.count) fields, the header has \(columns.count)")
            }
            var values: [String: String] = [:]
            for (column, value) in zip(columns, record.fields) {
                values[column] = value.trimmingCharacters(in: .whitespaces)
            }
            rows.append(Row(line: record.line, values: values))
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
        var rows: [Row] = [], columns: [String] = []
        for (k, element) in array.enumerated() {
            let line = k < lines.count ? lines[k] : 0
            guard let dict = element as? [String: Any] else {
                throw ImportError(file: name, line: line, field: "", reason: "element \(k + 1) is not an object")
            }
            var values: [String: String] = [:]
            for (key, value) in dict {
                let column = key.lowercased()
                guard let text = jsonText(value) else {
                    throw ImportError(file: name, line: line, field: column, reason: "nested objects are not supported here")
                }
                if let text { values[column] = text }
                if !columns.contains(column) { columns.append(column) }
            }
            rows.append(Row(line: line, values: values))
        }
        return TabularFile(name: name, columns: columns, rows: rows)
    }

    /// The text form of a JSON value: nil for null; `.none` (outer) for what has no flat text form.
    private static func jsonText(_ value: Any) -> String?? {
        switch value {
        case is NSNull: return .some(nil)
        case let s as String: return s
        case let n as NSNumber:
            // Booleans come back as NSNumber with Objective-C type "c".
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
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
