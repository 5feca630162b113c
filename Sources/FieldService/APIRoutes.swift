import FieldRoute
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON API under `/api/…` (described in `Docs/openapi.yaml`): the same requests and answers as
/// the CLI's `--json`. Staff routes need a staff token; `/api/self/TOKEN/…` is the customer's own.
extension FieldServer {
    func addAPI(to router: Router<BasicRequestContext>) {
        // The dispatcher's call, answered in-process: the same request and answer as `fieldroute dispatch`.
        router.post("/api/dispatch") { request, _ in
            try await staffAnswer(request) {
                let data = try await Self.body(request)
                let call = await Self.offPool { DispatchCall.run(data, engine: engine) }
                let status: HTTPResponse.Status = switch call.exitCode {
                case 0: .ok
                case 2: .badRequest
                case 3: .conflict
                case 4: .serviceUnavailable
                default: .internalServerError
                }
                return Self.json(call.json, status: status)
            }
        }
        router.get("/api/day/:date") { request, context in
            try await staffAnswer(request) {
                let date = context.parameters.get("date") ?? ""
                do throws(FieldRouteError) {
                    return Self.json(try days.json(date) { () throws(FieldRouteError) in try engine.promises.dayView(day: date, now: now) })
                } catch { return Self.failure(error) }
            }
        }
        router.get("/api/day/:date/windows") { request, context in
            try await staffAnswer(request) { Self.answer { () throws(FieldRouteError) in try engine.promises.windows(day: context.parameters.get("date") ?? "") } }
        }
        router.get("/api/events") { request, _ in
            try await staffAnswer(request) {
                Self.answer { () throws(FieldRouteError) in try engine.tracker.events(technician: request.uri.queryParameters.get("technician")) }
            }
        }
        router.get("/api/slots") { request, _ in
            try await staffAnswer(request) {
                Self.answer { () throws(FieldRouteError) in
                    let q = request.uri.queryParameters
                    let site = try Engine.site(q.get("site") ?? "", name: "site")
                    return try engine.bookings.slots(site: site, durationMinutes: try Self.number(q.get("duration"), "duration", 5...720),
                                                     skills: q.getAll("skill").map { String($0) }, from: q.get("from") ?? "",
                                                     days: try Self.number(q.get("days") ?? "7", "days", 1...31),
                                                     region: q.get("region"), customer: q.get("customer"), now: now)
                }
            }
        }
        router.post("/api/book") { request, _ in
            try await staffAnswer(request) {
                let body = try await Self.body(request)
                return Self.answer { () throws(FieldRouteError) in try engine.bookings.book(try BookingDraft(json: body), now: now) }
            }
        }
        router.get("/api/bookings/:booking/track") { request, context in
            try await staffAnswer(request) {
                Self.answer { () throws(FieldRouteError) in
                    let level = try Self.level(request.uri.queryParameters.get("level") ?? "route")
                    return try engine.promises.track(booking: context.parameters.get("booking") ?? "", level: level, now: now)
                }
            }
        }
        router.post("/api/bookings/:booking/:action") { request, context in
            try await staffAnswer(request) {
                let fields = try Self.jsonFields(try await Self.body(request))
                return Self.answer { () throws(FieldRouteError) in
                    try change(booking: context.parameters.get("booking") ?? "", action: context.parameters.get("action") ?? "",
                               fields: fields, by: .staff)
                }
            }
        }
        // The customer's own: what their link's token opens, nothing else.
        router.get("/api/self/:token") { _, context in
            let token = context.parameters.get("token") ?? ""
            guard limiter.allow(token, now: now) else { return Self.tooMany }
            return Self.answer { () throws(FieldRouteError) in try engine.selfServiceVisit(token: token, now: now) }
        }
        router.get("/api/self/:token/slots") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard limiter.allow(token, now: now) else { return Self.tooMany }
            return Self.answer { () throws(FieldRouteError) in
                let q = request.uri.queryParameters
                return try engine.selfServiceSlots(token: token, from: q.get("from"),
                                                   days: try Self.number(q.get("days") ?? "7", "days", 1...14), now: now)
            }
        }
        router.post("/api/self/:token/:action") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard limiter.allow(token, now: now) else { return Self.tooMany }
            let fields = try Self.jsonFields(try await Self.body(request))
            return Self.answer { () throws(FieldRouteError) in
                let booking = try engine.selfServiceBooking(token: token, now: now)
                return try change(booking: booking, action: context.parameters.get("action") ?? "", fields: fields, by: .customer(token: token))
            }
        }
    }

    /// Confirm, cancel or reschedule `booking` with the request's fields (`reason`, `note`; `slot`, or
    /// `date` with `window`), as the CLI's commands of those names do.
    func change(booking: String, action: String, fields: [String: String], by requester: Requester) throws(FieldRouteError) -> BookingOutcome {
        switch action {
        case "confirm": return try engine.bookings.confirm(booking: booking, by: requester, now: now)
        case "cancel":
            guard let reason = fields["reason"], !reason.isEmpty else { throw .badInput("cancel: give a \"reason\"") }
            return try engine.bookings.cancel(booking: booking, reason: reason, note: fields["note"].flatMap { $0.isEmpty ? nil : $0 },
                                              by: requester, now: now)
        case "reschedule":
            let slot = fields["slot"].flatMap { $0.isEmpty ? nil : $0 }
            let windows = fields["window"].map { [$0] } ?? []
            guard slot != nil || (fields["date"] != nil && !windows.isEmpty) else { throw .badInput("reschedule: give a \"slot\", or \"date\" with \"window\"") }
            return try engine.bookings.reschedule(booking: booking, date: fields["date"], windows: windows, slot: slot, by: requester, now: now)
        default: throw .badInput("unknown action '\(action)': confirm, cancel or reschedule")
        }
    }

    static let tooMany = Response(status: .tooManyRequests, headers: [.retryAfter: "60", .contentType: "text/plain; charset=utf-8"],
                                  body: .init(byteBuffer: ByteBuffer(string: "too many requests for this link; try again in a minute\n")))

    /// A JSON object of strings (an empty body is an empty object).
    static func jsonFields(_ data: Data) throws -> [String: String] {
        guard !data.isEmpty else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HTTPError(.badRequest, message: "the body must be a JSON object")
        }
        var out: [String: String] = [:]
        for (key, value) in object {
            guard let text = value as? String else { throw HTTPError(.badRequest, message: "\"\(key)\" must be a string") }
            out[key] = text
        }
        return out
    }

    static func number(_ text: String?, _ name: String, _ range: ClosedRange<Int>) throws(FieldRouteError) -> Int {
        guard let text, let n = Int(text), range.contains(n) else {
            throw .badInput("\(name) must be a whole number \(range.lowerBound)–\(range.upperBound), got '\(text ?? "")'")
        }
        return n
    }

    static func level(_ text: String) throws(FieldRouteError) -> TrackingLevel {
        guard let level = TrackingLevel(rawValue: text) else { throw .badInput("level is one of queue, eta, location, route; got '\(text)'") }
        return level
    }
}
