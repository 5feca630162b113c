import FieldStore

/// Typed access to one import row; every failure names the file, line and field.
struct RowReader {
    let file: String
    let row: TabularFile.Row
    /// Column name → position in the row (shared by all rows of a file).
    let index: [String: Int]

    init(file: String, row: TabularFile.Row, index: [String: Int]) {
        self.file = file; self.row = row; self.index = index
    }

    private func value(_ field: String) -> String? {
        guard let k = index[field], k < row.values.count else { return nil }
        return row.values[k]
    }

    /// The longest value a field may hold, in characters: names, addresses, phones, skill lists.
    static let longestValue = 1_000

    /// Refuses a row with a value longer than ``longestValue`` (a 1 MB name is a broken file, not a name).
    func checkLengths() throws(ImportError) {
        for (name, k) in index where k < row.values.count {
            if let v = row.values[k], v.count > Self.longestValue {
                throw fail(name, "value is \(v.count) characters; at most \(Self.longestValue)")
            }
        }
    }

    func fail(_ field: String, _ reason: String) -> ImportError {
        ImportError(file: file, line: row.line, field: field, reason: reason)
    }

    /// The value, or nil when the column is absent or empty.
    func optional(_ field: String) -> String? {
        guard let v = value(field), !v.isEmpty else { return nil }
        return v
    }

    func text(_ field: String) throws(ImportError) -> String {
        guard let v = value(field) else { throw fail(field, "missing column") }
        guard !v.isEmpty else { throw fail(field, "empty value") }
        return v
    }

    /// An identifier ("T-01", "C-1042"): not empty, and no NUL or other control character, which the
    /// store would otherwise cut or mangle.
    func id(_ field: String) throws(ImportError) -> String {
        let v = try text(field)
        do { try ExternalId.check(v, field: field) } catch { throw fail(field, "'\(ExternalId.printable(v))' has a control character: ids are plain text") }
        return v
    }

    func double(_ field: String, in range: ClosedRange<Double>) throws(ImportError) -> Double {
        try parseDouble(field, try text(field), in: range)
    }

    func optionalDouble(_ field: String, in range: ClosedRange<Double>) throws(ImportError) -> Double? {
        guard let v = optional(field) else { return nil }
        return try parseDouble(field, v, in: range)
    }

    func int(_ field: String, in range: ClosedRange<Int>) throws(ImportError) -> Int {
        try parseInt(field, try text(field), in: range)
    }

    func optionalInt(_ field: String, in range: ClosedRange<Int>) throws(ImportError) -> Int? {
        guard let v = optional(field) else { return nil }
        return try parseInt(field, v, in: range)
    }

    /// `;`-separated skill tokens, each `[a-z0-9][a-z0-9_-]*`.
    func skills(_ field: String = "skills") throws(ImportError) -> [String] {
        guard let v = optional(field) else { return [] }
        var out: [String] = []
        for raw in v.split(separator: ";") {
            let token = raw.trimmingCharacters(in: .whitespaces)
            guard isSkillToken(token) else {
                throw fail(field, "skill '\(token)' must be lower-case letters, digits, '_' or '-' (e.g. gas;electric)")
            }
            if !out.contains(token) { out.append(token) }
        }
        return out
    }

    private func parseDouble(_ field: String, _ v: String, in range: ClosedRange<Double>) throws(ImportError) -> Double {
        guard let d = Double(v) else { throw fail(field, "'\(v)' is not a number") }
        guard d.isFinite else { throw fail(field, "'\(v)' is not a finite number") }
        guard range.contains(d) else { throw fail(field, "\(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return d
    }

    private func parseInt(_ field: String, _ v: String, in range: ClosedRange<Int>) throws(ImportError) -> Int {
        guard let i = Int(v) else { throw fail(field, "'\(v)' is not a whole number") }
        guard range.contains(i) else { throw fail(field, "\(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return i
    }
}

func isSkillToken(_ token: String) -> Bool {
    guard let first = token.unicodeScalars.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) else {
        return false
    }
    return token.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
}
