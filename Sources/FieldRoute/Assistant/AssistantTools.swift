import Foundation

/// One tool of ``AssistantServer``: its JSON Schema and what it does. Arguments are checked
/// against the schema's properties (an unknown one is refused by name); the answer is the JSON the
/// CLI prints for the same request.
struct AssistantTool: Sendable {
    var name: String
    var description: String
    var properties: [String: [String: any Sendable]]
    var required: [String]
    var call: @Sendable (Engine, [String: Any]) throws(FieldRouteError) -> String

    var listing: [String: Any] {
        ["name": name, "description": description,
         "inputSchema": ["type": "object", "properties": properties, "required": required, "additionalProperties": false]]
    }
}

enum AssistantTools {
    static let all: [AssistantTool] = [day, unplanned, slots, book] + DispatchRequest.Operation.allCases.map(dispatch)

    // MARK: schema pieces

    static let date: [String: any Sendable] = ["type": "string", "description": "local day, yyyy-mm-dd", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"]
    static let region: [String: any Sendable] = ["type": "string", "description": "region name (needed when the database has several)"]
    static let text: [String: any Sendable] = ["type": "string"]
    static let latitude: [String: any Sendable] = ["type": "number", "minimum": -90, "maximum": 90]
    static let longitude: [String: any Sendable] = ["type": "number", "minimum": -180, "maximum": 180]
    static let minutes: [String: any Sendable] = ["type": "integer", "minimum": 1, "maximum": 1_440]
    static let texts: [String: any Sendable] = ["type": "array", "items": ["type": "string"]]

    // MARK: argument reading

    /// The arguments, refusing any the tool does not have.
    static func checked(_ args: [String: Any], _ tool: String, _ properties: [String: [String: any Sendable]]) throws(FieldRouteError) -> [String: Any] {
        if let unknown = args.keys.sorted().first(where: { properties[$0] == nil }) {
            throw .badInput("\(tool): unknown argument '\(String(unknown.prefix(80)))'; arguments: \(properties.keys.sorted().joined(separator: ", "))")
        }
        return args
    }

    static func string(_ args: [String: Any], _ key: String, _ tool: String) throws(FieldRouteError) -> String {
        guard let s = args[key] as? String else { throw .badInput("\(tool): \(key) is required (text)") }
        return s
    }

    /// A text that may be absent; present, it must be text.
    static func optionalString(_ args: [String: Any], _ key: String, _ tool: String) throws(FieldRouteError) -> String? {
        guard let value = args[key], !(value is NSNull) else { return nil }
        guard let s = value as? String else { throw .badInput("\(tool): \(key) must be text") }
        return s
    }

    static func number(_ args: [String: Any], _ key: String, _ tool: String) throws(FieldRouteError) -> Double {
        guard let n = args[key] as? NSNumber, !isJSONBoolean(n), n.doubleValue.isFinite else { throw .badInput("\(tool): \(key) is required (a number)") }
        return n.doubleValue
    }

    static func integer(_ args: [String: Any], _ key: String, _ tool: String, _ range: ClosedRange<Int>) throws(FieldRouteError) -> Int {
        let x = try number(args, key, tool)
        guard x.rounded() == x, x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            throw .badInput("\(tool): \(key) must be a whole number in \(range.lowerBound)…\(range.upperBound), got \(x)")
        }
        return Int(x)
    }

    static func strings(_ args: [String: Any], _ key: String, _ tool: String) throws(FieldRouteError) -> [String] {
        guard let value = args[key] else { return [] }
        guard let list = value as? [String] else { throw .badInput("\(tool): \(key) must be a list of texts") }
        return list
    }

    // MARK: tools

    static let day = AssistantTool(
        name: "day_windows", description: "Every planned visit of a day in route order: technician, status, promised and current window, planned and actual start, waiting, window changes (as `fieldroute windows --json`).",
        properties: ["date": date, "region": region], required: ["date"]) { engine, args throws(FieldRouteError) in
        let a = try checked(args, "day_windows", ["date": date, "region": region])
        return try AnswerJSON.text(try engine.promises.windows(day: try string(a, "date", "day_windows"), region: a["region"] as? String))
    }

    static let unplanned = AssistantTool(
        name: "why_unplanned", description: "The visits of a planned day that have no place in any route, each with the reason (no_room, window_unreachable, no_skilled_vehicle, pinned_technician_absent, awaiting_prepayment, break_conflict, booked_after_plan, or a dispatcher's).",
        properties: ["date": date, "region": region], required: ["date"]) { engine, args throws(FieldRouteError) in
        let a = try checked(args, "why_unplanned", ["date": date, "region": region])
        return try AnswerJSON.text(try engine.planner.unplanned(day: try string(a, "date", "why_unplanned"), region: a["region"] as? String))
    }

    static let slotProperties: [String: [String: any Sendable]] = [
        "lat": latitude, "lon": longitude, "duration_min": minutes, "skills": texts, "from": date,
        "days": ["type": "integer", "minimum": 1, "maximum": 60], "customer": text, "region": region,
    ]
    static let slots = AssistantTool(
        name: "find_slots", description: "Arrival windows that can be booked now for a visit at a site, day by day from `from`, without breaking a told window or another customer's hold (as `fieldroute slots --json`).",
        properties: slotProperties, required: ["lat", "lon", "duration_min", "from", "days"]) { engine, args throws(FieldRouteError) in
        let a = try checked(args, "find_slots", slotProperties)
        let found = try engine.bookings.slots(site: (try number(a, "lat", "find_slots"), try number(a, "lon", "find_slots")),
                                              durationMinutes: try integer(a, "duration_min", "find_slots", 1...1_440),
                                              skills: try strings(a, "skills", "find_slots"), from: try string(a, "from", "find_slots"),
                                              days: try integer(a, "days", "find_slots", 1...60), region: a["region"] as? String,
                                              customer: a["customer"] as? String)
        return try AnswerJSON.text(found)
    }

    static let bookProperties: [String: [String: any Sendable]] = [
        "id": text, "customer": text, "lat": latitude, "lon": longitude, "duration_min": minutes,
        "slot": ["type": "string", "description": "a slot id as find_slots gave it, e.g. 2026-11-25T10:00-12:00"],
        "date": date, "window": ["type": "string", "description": "HH:MM-HH:MM, with date, instead of a slot"],
        "skills": texts, "address": text,
    ]
    static let book = AssistantTool(
        name: "book", description: "Book a visit under the region's rules, into a slot (straight into the day's routes) or a window on a date (as `fieldroute book`).",
        properties: bookProperties, required: ["id", "customer", "lat", "lon", "duration_min"]) { engine, args throws(FieldRouteError) in
        try AnswerJSON.text(try engine.bookings.book(try bookDraft(args)))
    }

    /// The `book` tool's arguments as a draft (`POST /api/book` takes the same object).
    static func bookDraft(_ args: [String: Any]) throws(FieldRouteError) -> BookingDraft {
        let a = try checked(args, "book", bookProperties)
        let window = try optionalString(a, "window", "book")
        let slot = try optionalString(a, "slot", "book")
        guard (slot == nil) != (window == nil) else { throw .badInput("book: give a slot, or a date and a window") }
        let lat = try number(a, "lat", "book"), lon = try number(a, "lon", "book")
        guard abs(lat) <= 90, abs(lon) <= 180 else { throw .badInput("book: lat must be in -90…90 and lon in -180…180, got \(lat),\(lon)") }
        return BookingDraft(id: try string(a, "id", "book"), customer: try string(a, "customer", "book"), lat: lat, lon: lon,
                            durationMinutes: try integer(a, "duration_min", "book", 1...1_440), date: try optionalString(a, "date", "book"),
                            windows: window.map { [$0] } ?? [], skills: try strings(a, "skills", "book"),
                            address: try optionalString(a, "address", "book"), slot: slot)
    }

    /// A dispatcher operation: the request of `fieldroute dispatch` without its `op`; `reoptimize`
    /// is a what-if unless `commit` is true.
    static func dispatch(_ op: DispatchRequest.Operation) -> AssistantTool {
        let window: [String: any Sendable] = ["type": "string", "description": "HH:MM-HH:MM"]
        let windows: [String: any Sendable] = ["type": "array", "items": window]
        let priority: [String: any Sendable] = ["type": "integer", "minimum": 0, "maximum": 100]
        let jobFields: [String: any Sendable] = ["id": text, "customer": text, "lat": latitude, "lon": longitude, "duration_min": minutes,
                                                 "windows": windows, "skills": texts, "priority": priority, "address": text]
        let required: [String] = ["id", "customer", "lat", "lon", "duration_min", "windows"]
        let job: [String: any Sendable] = ["type": "object", "additionalProperties": false, "required": required, "properties": jobFields]
        var properties: [String: [String: any Sendable]] = [
            "date": date, "region": region,
            "now": ["type": "string", "description": "when the call is made: ISO-8601 with a zone, or Unix seconds; default the clock"],
            "commit": ["type": "boolean", "description": op == .reoptimize ? "write the new routes (default false: what-if)" : "false answers what-if (default true)"],
            "may_break_promises": ["type": "boolean", "description": "let windows already told to customers move (default false)"],
        ]
        let description: String
        switch op {
        case .insertJob:
            properties["job"] = job; properties["top_k"] = ["type": "integer", "minimum": 1, "maximum": 50]
            description = "Place an urgent visit into the live day: the best options (technician, position, detour, windows moved) and, with commit, the chosen one written."
        case .cancelJob:
            properties["booking"] = text; properties["reason"] = text; properties["note"] = text
            description = "Cancel a visit of the day: its stop freed, its messages withdrawn, the technician told. reason is one of the region's cancellation reasons."
        case .technicianUnavailable:
            properties["technician"] = text
            description = "A technician is out from now: their remaining visits placed with others where they fit, the rest listed unplanned with the reason."
        case .reoptimize:
            properties["time_limit"] = ["type": "number", "minimum": 0.01, "maximum": 600]
            properties["iterations"] = ["type": "integer", "minimum": 1, "maximum": 100_000]
            properties["seed"] = ["type": "integer", "minimum": 0]
            description = "Re-plan the rest of the day (the driven part never moves): what-if unless commit is true."
        case .moveJob:
            properties["booking"] = text; properties["technician"] = text
            properties["position"] = ["type": "integer", "minimum": 1, "description": "1-based place among the technician's remaining stops"]
            description = "Move a visit to a technician (at a position, or the best one)."
        }
        let needed = ["date"] + (op == .insertJob ? ["job"] : op == .cancelJob ? ["booking", "reason"]
                                   : op == .moveJob ? ["booking", "technician"] : op == .technicianUnavailable ? ["technician"] : [])
        let allowed = properties
        return AssistantTool(name: op.rawValue, description: description, properties: allowed, required: needed) { engine, args throws(FieldRouteError) in
            var request = try checked(args, op.rawValue, allowed)
            request["op"] = op.rawValue
            if op == .reoptimize, request["commit"] == nil { request["commit"] = false }
            let data: Data
            do { data = try JSONSerialization.data(withJSONObject: request) } catch { throw .badInput("\(op.rawValue): arguments are not JSON") }
            return try AnswerJSON.text(try engine.dispatcher.dispatch(try DispatchRequest.decode(data)), snakeCase: true)
        }
    }
}
