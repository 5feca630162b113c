import Foundation

// What the commands print for people: tables and their cells.

/// Left-aligned columns separated by two spaces.
func table(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for row in rows { for (k, cell) in row.enumerated() where k < widths.count { widths[k] = max(widths[k], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { k, c in c.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
            .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
}

/// Minutes for a table cell: "0", "12", "7.5".
func minutes(_ m: Double) -> String { m == m.rounded() ? String(format: "%.0f", m) : String(format: "%.1f", m) }

/// A Unix-seconds instant for a table cell, ISO-8601 in UTC.
func utcTime(_ t: Int64) -> String { Date(timeIntervalSince1970: TimeInterval(t)).ISO8601Format() }
