import Foundation

extension CancellationReport {
    /// The report as one CSV table, `table,key,count,total,share_or_rate`: cancellations by reason
    /// and lead time (count of `cancelled`, share), no-shows per group (no-shows of visits, rate), and
    /// repeat offenders as two rows each (no-shows, late cancellations; no total or share).
    public var csv: String {
        var lines = ["table,key,count,total,share_or_rate"]
        for s in byReason { lines.append("reason,\(Self.field(s.key)),\(s.count),\(cancelled),\(s.share)") }
        for s in leadTime { lines.append("lead_time,\(Self.field(s.key)),\(s.count),\(cancelled),\(s.share)") }
        for (name, rows) in [("weekday", noShowByWeekday), ("window_width", noShowByWindowWidth),
                             ("confirmed", noShowByConfirmed), ("reminder", noShowByReminderDelivered)] {
            for x in rows { lines.append("no_show_by_\(name),\(Self.field(x.key)),\(x.noShows),\(x.visits),\(x.rate)") }
        }
        for o in repeatOffenders {
            lines.append("repeat_offender_no_shows,\(Self.field(o.customer)),\(o.noShows),,")
            lines.append("repeat_offender_late_cancellations,\(Self.field(o.customer)),\(o.lateCancellations),,")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    private static func field(_ text: String) -> String {
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
