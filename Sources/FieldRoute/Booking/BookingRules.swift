/// When customers may book and change visits, per region (`fieldroute settings set booking …`).
public struct BookingRules: RegionSetting {
    public static let key = "booking"
    /// A visit may be booked at most this many days ahead (1–360).
    public var maxDaysAhead: Int = 60
    /// …and at least this many minutes ahead (5 minutes – 60 days).
    public var minMinutesAhead: Int = 120
    /// Cancelling or rescheduling: "any" time, "never", or up to `changeCutoffMinutes` before the visit.
    public var changes: ChangePolicy = .cutoff
    public var changeCutoffMinutes: Int = 24 * 60
    /// Width of the arrival windows `slots` offers, minutes (30–480), and the first and last start offered.
    public var slotMinutes: Int = 120
    public var slotsFrom: String = "08:00"
    public var slotsUntil: String = "16:00"

    public enum ChangePolicy: String, Codable, Sendable { case any, never, cutoff }

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard (1...360).contains(maxDaysAhead) else { throw .badInput("booking.maxDaysAhead must be 1–360 days, got \(maxDaysAhead)") }
        guard (5...60 * 24 * 60).contains(minMinutesAhead) else {
            throw .badInput("booking.minMinutesAhead must be 5 minutes – 60 days (5–86400), got \(minMinutesAhead)")
        }
        guard minMinutesAhead <= maxDaysAhead * 24 * 60 else {
            throw .badInput("booking.minMinutesAhead (\(minMinutesAhead)) is more than maxDaysAhead (\(maxDaysAhead) days)")
        }
        guard (0...60 * 24 * 60).contains(changeCutoffMinutes) else {
            throw .badInput("booking.changeCutoffMinutes must be 0–86400, got \(changeCutoffMinutes)")
        }
        guard (30...480).contains(slotMinutes) else { throw .badInput("booking.slotMinutes must be 30–480, got \(slotMinutes)") }
        guard let from = Self.minutes(slotsFrom), let until = Self.minutes(slotsUntil), from <= until else {
            throw .badInput("booking.slotsFrom and slotsUntil must be HH:MM with slotsFrom ≤ slotsUntil")
        }
    }

    static func minutes(_ hhmm: String) -> Int? {
        let parts = hhmm.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }
}

/// What customers may give as the reason for cancelling, per region.
public struct CancellationSettings: RegionSetting {
    public static let key = "cancellation"
    /// Reason codes offered; "other" always needs free text.
    public var reasons: [String] = ["forgot", "not_home", "time_no_longer_suits", "window_too_vague", "found_someone_else",
                                    "price", "other"]

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard !reasons.isEmpty, reasons.contains("other") else { throw .badInput("cancellation.reasons must list at least \"other\"") }
        for r in reasons where !isSkillToken(r) {
            throw .badInput("cancellation.reasons: '\(r)' must be lower-case letters, digits, '_' or '-'")
        }
    }
}

/// What repeated no-shows lead to, per region.
public struct NoShowPolicy: RegionSetting {
    public static let key = "noShow"
    /// After `threshold` no-shows within `windowDays` days…
    public var threshold: Int = 2
    public var windowDays: Int = 180
    /// …the customer must prepay ("prepay") or may not book at all ("block"); "none" does nothing.
    public var action: Action = .prepay
    /// Customers who must prepay cannot have a visit confirmed until it is paid (deposit, prepaid, voucher).
    public var paymentBeforeConfirmation: Bool = true
    /// Whether the plan takes a visit of a customer who must prepay before it is paid or confirmed;
    /// by default it is left unplanned as `awaiting_prepayment`.
    public var planUnpaid: Bool = false

    public enum Action: String, Codable, Sendable { case none, prepay, block }

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard (1...20).contains(threshold) else { throw .badInput("noShow.threshold must be 1–20, got \(threshold)") }
        guard (1...3_650).contains(windowDays) else { throw .badInput("noShow.windowDays must be 1–3650, got \(windowDays)") }
    }
}
