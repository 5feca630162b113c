/// ISO-8601 date-times with a zone, read without Foundation's formatters (which cost tens of
/// microseconds a call: too slow for a million pings).
enum ISO8601Instant {
    /// Unix seconds of `yyyy-mm-ddThh:mm:ss[.fraction](Z|±hh:mm|±hhmm|±hh)`, the fraction dropped; nil
    /// for anything else (no zone, a field out of range, a day the month does not have, years
    /// outside 0001–9999).
    static func parse(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        let n = b.count
        guard n >= 20 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= n else { return nil }
            var v = 0
            for k in at..<(at + count) {
                let d = Int(b[k]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard let year = digits(0, 4), b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D, let day = digits(8, 2),
              b[10] == 0x54 || b[10] == 0x74, let hour = digits(11, 2), b[13] == 0x3A, let minute = digits(14, 2), b[16] == 0x3A,
              let second = digits(17, 2) else { return nil }
        guard year >= 1, (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour <= 23, minute <= 59,
              second <= 59 else { return nil }
        var i = 19
        if i < n, b[i] == 0x2E {  // a fraction of a second
            i += 1
            let first = i
            while i < n, (48...57).contains(b[i]) { i += 1 }
            guard i > first else { return nil }
        }
        guard i < n else { return nil }
        var offset = 0
        switch b[i] {
        case 0x5A, 0x7A: i += 1  // Z
        case 0x2B, 0x2D:
            let sign = b[i] == 0x2D ? -1 : 1
            guard let h = digits(i + 1, 2), h <= 18 else { return nil }
            i += 3
            var m = 0
            if i < n {
                if b[i] == 0x3A { i += 1 }
                guard let mm = digits(i, 2), mm <= 59 else { return nil }
                m = mm; i += 2
            }
            offset = sign * (h * 3_600 + m * 60)
        default: return nil
        }
        guard i == n else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second - offset)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
