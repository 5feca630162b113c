import Foundation

/// Converts between a region's local calendar (its IANA time zone) and Unix seconds, UTC.
///
///     let clock = try RegionClock(timeZone: "Europe/Paris")
///     clock.instant(day: "2026-11-24", time: "09:30")  // 1764059400
public struct RegionClock: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone identifier: String) throws(FieldRouteError) {
        guard let zone = TimeZone(identifier: identifier) else {
            throw .badInput("unknown time zone '\(identifier)': use an IANA name such as Europe/Paris")
        }
        timeZone = zone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
    }

    /// The years a day may fall in (as ping timestamps: 2000–2100).
    public static let years = 2000...2099

    /// Parses a strict `yyyy-mm-dd` day; nil when malformed, not a real date, or outside ``years``.
    public static func parseDay(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              years.contains(y), (1...12).contains(m), (1...31).contains(d) else { return nil }
        var check = Calendar(identifier: .gregorian)
        check.timeZone = TimeZone(identifier: "UTC") ?? check.timeZone
        guard let date = check.date(from: DateComponents(year: y, month: m, day: d)),
              check.component(.day, from: date) == d else { return nil }
        return (y, m, d)
    }

    /// The instant of local `time` ("HH:MM" or "HH:MM:SS") on `day`; nil when either is malformed.
    public func instant(day: String, time: String) -> Int64? {
        guard let (y, m, d) = Self.parseDay(day), let (h, mi, s) = Self.parseTime(time) else { return nil }
        return instant(y, m, d, h, mi, s)
    }

    /// Local midnight starting `day`.
    public func startOfDay(_ day: String) -> Int64? { instant(day: day, time: "00:00") }

    /// Reads either "HH:MM[:SS]" on `day`, or a full local "yyyy-mm-ddTHH:MM[:SS]", or an instant with
    /// an explicit offset ("…Z", "…+01:00").
    public func instant(_ text: String, on day: String) -> Int64? {
        if let t = instant(day: day, time: text) { return t }
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        if let t = instant(day: String(parts[0]), time: String(parts[1])) { return t }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        return iso.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }

    /// A local window "HH:MM-HH:MM" on `day` as instants, or nil.
    func window(_ text: String, on day: String) -> (start: Int64, end: Int64)? {
        let ends = text.split(separator: "-").map { instant(day: day, time: String($0)) }
        guard ends.count == 2, let start = ends[0], let end = ends[1] else { return nil }
        return (start, end)
    }

    /// "yyyy-mm-dd" of the local day containing `instant`.
    public func day(of instant: Int64) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Local "HH:MM" of `instant`.
    public func clockTime(_ instant: Int64) -> String {
        let c = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// Minutes since local midnight at `instant`.
    public func minuteOfDay(_ instant: Int64) -> Int {
        let c = calendar.dateComponents([.hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        return (c.hour ?? 0) * 60 + (c.minute ?? 0)
    }

    /// The local day `count` days after `day` (negative: before).
    public func day(_ day: String, plus count: Int) -> String? {
        guard let (y, m, d) = Self.parseDay(day),
              let date = calendar.date(from: DateComponents(year: y, month: m, day: d, hour: 12)),
              let moved = calendar.date(byAdding: .day, value: count, to: date) else { return nil }
        return self.day(of: Int64(moved.timeIntervalSince1970))
    }

    /// The first instant at or after `instant` whose local time is `minute` minutes after midnight
    /// (on a day where that time does not exist, the first instant after it).
    public func next(minuteOfDay minute: Int, atOrAfter instant: Int64) -> Int64 {
        let today = day(of: instant)
        for offset in 0...2 {
            guard let d = day(today, plus: offset), let (y, m, dd) = Self.parseDay(d),
                  let t = self.instant(y, m, dd, minute / 60, minute % 60, 0) else { continue }
            if t >= instant { return t }
        }
        return instant
    }

    private func instant(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int64? {
        let components = DateComponents(year: y, month: m, day: d, hour: h, minute: mi, second: s)
        return calendar.date(from: components).map { Int64($0.timeIntervalSince1970) }
    }

    private static func parseTime(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0...59).contains(s) else { return nil }
        return (h, m, s)
    }
}
