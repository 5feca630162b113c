import FieldRoute
import Foundation
import HTTPTypes
import Hummingbird

/// The customer's page at the reminder link, `/s/TOKEN` (and `/s/TOKEN/confirm|cancel|reschedule`,
/// the message's links, which open the same page at that part): their visit, buttons to confirm,
/// cancel with a reason and move to a free slot, and tracking at the region's level. Plain forms,
/// no script. A POST is refused when the browser says it comes from another site (`Origin`,
/// `Sec-Fetch-Site`); the token in the path is the secret no other site knows.
extension FieldServer {
    func addCustomerPages(to router: Router<BasicRequestContext>) {
        let show: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            let token = context.parameters.get("token") ?? ""
            guard limiter.allow(token, now: now) else { return Self.tooMany }
            return customerPage(token: token, done: request.uri.queryParameters.get("done"),
                                showSlots: context.parameters.get("action") == "reschedule")
        }
        router.get("/s/:token", use: show)
        router.get("/s/:token/:action", use: show)
        router.post("/s/:token/:action") { request, context in
            let token = context.parameters.get("token") ?? ""
            guard limiter.allow(token, now: now) else { return Self.tooMany }
            guard Self.sameSite(request) else {
                return Self.html(page(title: "Refused", body: "<h1>Refused</h1><p class=\"error\">This form was sent from another site.</p>"), status: .forbidden)
            }
            let action = context.parameters.get("action") ?? ""
            let fields = formFields(String(decoding: try await Self.body(request), as: UTF8.self))
            // A form sent without its choice (no browser check): said in the customer's words, not the API's.
            if let missing = Self.missingChoice(action: action, fields) {
                return customerPage(token: token, done: nil, showSlots: action == "reschedule", problem: missing)
            }
            do throws(FieldRouteError) {
                let booking = try engine.selfServiceBooking(token: token, now: now)
                let outcome = try change(booking: booking, action: action, fields: fields, by: .customer(token: token))
                return Self.seeOther("/s/\(token)?done=\(outcome.status.rawValue)")
            } catch {
                return customerPage(token: token, done: nil, showSlots: action == "reschedule",
                                    problem: FieldRouteError.oneLine(error.description))
            }
        }
    }

    /// What the customer forgot to choose on the form for `action`, in their words; nil when nothing.
    static func missingChoice(action: String, _ fields: [String: String]) -> String? {
        switch action {
        case "cancel" where (fields["reason"] ?? "").isEmpty: "Choose a reason for cancelling, then press the button again."
        case "reschedule" where (fields["slot"] ?? "").isEmpty: "Choose one of the free times below, then press the button again."
        default: nil
        }
    }

    /// False when the browser marks the request as from another site: `Sec-Fetch-Site` (sent by every
    /// current browser) other than same-origin or none, else an `Origin` that is not this host. (With
    /// this server's no-referrer policy a browser sends `Origin: null` even for its own forms.)
    static func sameSite(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite] { return site == "same-origin" || site == "none" }
        guard let origin = request.headers[.origin], origin != "null" else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    func customerPage(token: String, done: String?, showSlots: Bool, problem: String? = nil) -> Response {
        let visit: SelfServiceVisit
        do { visit = try engine.selfServiceVisit(token: token, now: now) } catch {
            let status: HTTPResponse.Status = error.isBadInput ? .notFound : .internalServerError
            return Self.html(page(title: "Link not valid", body: """
                <h1>This link does not work</h1><p class="error">\(esc(FieldRouteError.oneLine(error.description)))</p>
                <p>Ask the company that sent it for a new one.</p>
                """), status: status)
        }
        let base = "/s/\(esc(token))"
        var b = "<main><h1>Your visit</h1>"
        if let done { b += "<p class=\"note\" role=\"status\">Done: your visit is now <strong>\(esc(done.replacingOccurrences(of: "_", with: " ")))</strong>.</p>" }
        if let problem { b += "<p class=\"error\" role=\"alert\">\(esc(problem))</p>" }
        b += "<dl><dt>Visit</dt><dd>\(esc(visit.booking))</dd><dt>Date</dt><dd>\(esc(Self.longDate(visit.day)))</dd>"
        b += "<dt>Arrival</dt><dd>\(esc(visit.windows.joined(separator: ", ")))</dd>"
        b += "<dt>Address</dt><dd>\(esc(visit.address))</dd><dt>Length</dt><dd>\(visit.durationMinutes) min</dd>"
        if let tech = visit.technician { b += "<dt>Technician</dt><dd>\(esc(tech))</dd>" }
        b += "<dt>Status</dt><dd>\(esc(visit.status.rawValue.replacingOccurrences(of: "_", with: " ")))</dd></dl>"
        b += trackingSection(visit)
        if visit.actions.contains(.confirm) {
            b += "<h2>Confirm</h2><form method=\"post\" action=\"\(base)/confirm\"><button type=\"submit\">I will be home: confirm</button></form>"
        }
        if visit.actions.contains(.cancel) {
            b += "<h2>Cancel</h2><form method=\"post\" action=\"\(base)/cancel\"><label for=\"reason\">Why are you cancelling?</label>"
            b += "<select id=\"reason\" name=\"reason\" required>"
            for r in visit.cancelReasons { b += "<option value=\"\(esc(r))\">\(esc(r.replacingOccurrences(of: "_", with: " ")))</option>" }
            b += "</select><label for=\"note\">Anything to add (needed with “other”)</label><textarea id=\"note\" name=\"note\" rows=\"2\" maxlength=\"500\"></textarea>"
            b += "<p><button type=\"submit\" class=\"plain\">Cancel the visit</button></p></form>"
        }
        if visit.actions.contains(.reschedule) {
            b += "<h2>Move to another time</h2>"
            if showSlots {
                b += slotsForm(token: token, base: base)
            } else {
                b += "<p><a href=\"\(base)/reschedule\">See the free times</a></p>"
            }
        }
        if let closed = visit.changesClosed, visit.status.isFinal == false { b += "<p class=\"note\">\(esc(closed))</p>" }
        b += "</main>"
        return Self.html(page(title: "Your visit", body: b, refreshSeconds: showSlots ? nil : 60))
    }

    private func trackingSection(_ visit: SelfServiceVisit) -> String {
        let t = visit.tracking
        var b = "<h2>Where things stand</h2><ul>"
        if let q = t.queuePosition { b += "<li>\(q == 0 ? "You are the next visit." : "\(q) visit\(q == 1 ? "" : "s") before yours.")</li>" }
        if let w = t.window { b += "<li>Arrival window: \(esc(w))</li>" }
        if let e = t.estimate { b += "<li>Latest estimate: \(esc(e))</li>" }
        if let lat = t.technicianLat, let lon = t.technicianLon {
            b += "<li>The technician is on the way, last seen at \(String(format: "%.4f, %.4f", lat, lon)).</li>"
        }
        return b + "</ul>"
    }

    private func slotsForm(token: String, base: String) -> String {
        let slots: [Slot]
        do { slots = try engine.selfServiceSlots(token: token, days: 7, now: now) } catch {
            return "<p class=\"error\">\(esc(FieldRouteError.oneLine(error.description)))</p>"
        }
        guard !slots.isEmpty else { return "<p>No free times in the coming week. Call us and we will find one.</p>" }
        var b = "<form method=\"post\" action=\"\(base)/reschedule\"><fieldset><legend>Free times</legend>"
        for (i, s) in slots.prefix(30).enumerated() {
            b += "<div><input type=\"radio\" name=\"slot\" id=\"slot\(i)\" value=\"\(esc(s.id))\"\(i == 0 ? " required" : "")>"
            b += " <label for=\"slot\(i)\" style=\"display:inline\">\(esc(Self.longDate(s.day))), \(esc(s.window))</label></div>"
        }
        return b + "</fieldset><p><button type=\"submit\">Move my visit</button></p></form>"
    }

    /// "2026-11-24" → "Tuesday 24 November 2026".
    static func longDate(_ day: String) -> String {
        guard let d = RegionClock.parseDay(day) else { return day }
        var c = DateComponents(); c.year = d.year; c.month = d.month; c.day = d.day; c.hour = 12
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let date = calendar.date(from: c) else { return day }
        let f = DateFormatter(); f.locale = Locale(identifier: "en_GB"); f.timeZone = calendar.timeZone; f.dateFormat = "EEEE d MMMM yyyy"
        return f.string(from: date)
    }
}
