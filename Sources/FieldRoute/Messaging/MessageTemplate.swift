/// A message text with `{placeholder}`s, checked when saved: an unknown placeholder or an unclosed
/// brace is an error naming it, so a typo never reaches a customer as "{windw}".
struct MessageTemplate {
    static let placeholders = ["customer", "date", "window", "technician", "address", "confirm_link", "reschedule_link", "cancel_link"]

    /// The placeholders `text` uses, in order.
    /// - Throws: ``FieldRouteError/badInput(_:)`` for an unknown placeholder or an unbalanced brace.
    static func check(_ text: String, name: String) throws(FieldRouteError) -> [String] {
        var used: [String] = [], current: String?
        for c in text {
            switch (c, current) {
            case ("{", nil): current = ""
            case ("{", _): throw .badInput("template \(name): '{' inside a placeholder")
            case ("}", let open?):
                guard placeholders.contains(open) else {
                    throw .badInput("template \(name): unknown placeholder {\(open)}; known: "
                                    + placeholders.map { "{\($0)}" }.joined(separator: ", "))
                }
                used.append(open); current = nil
            case ("}", nil): throw .badInput("template \(name): '}' without '{'")
            case (_, var open?): open.append(c); current = open
            default: break
            }
        }
        if let open = current { throw .badInput("template \(name): placeholder {\(open) is not closed") }
        return used
    }

    /// `text` with every placeholder replaced (missing values become empty). Templates are checked
    /// when saved, so rendering cannot fail.
    static func render(_ text: String, _ values: [String: String]) -> String {
        var out = "", current: String?
        for c in text {
            if c == "{", current == nil { current = ""; continue }
            if c == "}", let open = current { out += values[open] ?? ""; current = nil; continue }
            if var open = current { open.append(c); current = open } else { out.append(c) }
        }
        return out
    }
}

/// Reminder rules per region (`fieldroute settings set reminders …`).
public struct ReminderSettings: RegionSetting {
    public static let key = "reminders"
    /// Minutes before the visit's window opens (5 minutes – 30 days).
    public var offsets: [Int] = [2_880, 1_440, 120]
    /// Local time of the morning-of message with the narrowed (promised) window; nil for none.
    public var morningOf: String? = "07:00"
    /// No SMS from `quietFrom` to `quietUntil`, local time (across midnight when from > until):
    /// such reminders are deferred to `quietUntil`; one that would then come after the visit begins
    /// is reported when the visit is booked. Applied again when messages are handed out.
    public var quietFrom: String = "21:00"
    public var quietUntil: String = "07:00"
    /// Real-time SMS ("arriving", "window changed") may go out from this local time even while the
    /// quiet hours last (a time inside them; one outside them changes nothing).
    public var realTimeFrom: String = "07:00"
    /// Self-service links are this base followed by the token: by default the customer's page of
    /// `fieldroute serve` at its default address. Set it to the address customers reach the service at.
    public var linkBase: String = ReminderSettings.servedLinkBase
    /// `fieldroute serve`'s page for a link at its default address.
    public static let servedLinkBase = "http://127.0.0.1:8080/s/"
    /// Templates by kind: `reminder` (the offsets) and `morning`.
    public var templates: [String: String] = [
        "reminder": "Hello {customer}, a reminder of your visit on {date}, {window}, at {address}. "
            + "Confirm: {confirm_link} Reschedule: {reschedule_link} Cancel: {cancel_link}",
        "morning": "Good morning {customer}: {technician} will arrive today between {window}. Reschedule: {reschedule_link}",
    ]

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard offsets.count <= 10, Set(offsets).count == offsets.count, offsets.allSatisfy({ (5...43_200).contains($0) }) else {
            throw .badInput("reminders.offsets: up to 10 distinct minutes, each 5–43200 (30 days), got \(offsets)")
        }
        if let morningOf, BookingRules.minutes(morningOf) == nil { throw .badInput("reminders.morningOf must be HH:MM, got '\(morningOf)'") }
        for (name, time) in [("quietFrom", quietFrom), ("quietUntil", quietUntil), ("realTimeFrom", realTimeFrom)]
        where BookingRules.minutes(time) == nil {
            throw .badInput("reminders.\(name) must be HH:MM, got '\(time)'")
        }
        if let morningOf, let m = BookingRules.minutes(morningOf), isQuiet(minute: m) {
            throw .badInput("reminders.morningOf \(morningOf) lies in the SMS quiet hours \(quietFrom)–\(quietUntil): "
                            + "choose \(quietUntil) or later, or move the quiet hours")
        }
        for key in templates.keys where !["reminder", "morning"].contains(key) {
            throw .badInput("reminders.templates: unknown kind '\(key)'; kinds: reminder, morning")
        }
        for name in ["reminder", "morning"] {
            guard let text = templates[name], !text.isEmpty else { throw .badInput("reminders.templates.\(name) is missing") }
            _ = try MessageTemplate.check(text, name: name)
        }
    }

    /// True when local minute `m` lies in the quiet hours; for a real-time message, the quiet hours
    /// end at `realTimeFrom` when that comes earlier.
    func isQuiet(minute m: Int, realTime: Bool = false) -> Bool {
        guard let from = BookingRules.minutes(quietFrom), let until = BookingRules.minutes(quietUntil), from != until else { return false }
        let quiet = from < until ? (m >= from && m < until) : (m >= from || m < until)
        guard quiet, realTime, let early = BookingRules.minutes(realTimeFrom) else { return quiet }
        // Inside the quiet hours, at or after realTimeFrom (on the morning side of midnight when they wrap).
        let sinceStart = (m - from + 1_440) % 1_440, earlySinceStart = (early - from + 1_440) % 1_440
        return sinceStart < earlySinceStart
    }
}
