import FieldRoute
import Foundation
import HTTPTypes
import Hummingbird

/// The dispatcher's day at `/day/DATE` (staff): a map drawn as SVG from the coordinates (one colour
/// per technician: home, route, visits, the latest position) and a timeline (a row per technician:
/// drives, waiting, visits, the break, promised windows, actual starts, window changes). It reloads
/// itself every 30 s and reads the store again only when something was committed.
extension FieldServer {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
                          "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd"]

    func addDayPage(to router: Router<BasicRequestContext>) {
        router.get("/day/:date") { request, context in
            let date = context.parameters.get("date") ?? ""
            if let key = request.uri.queryParameters.get("key") {
                // A key in the address once: keep it as a cookie and drop it from the address bar.
                do throws(FieldRouteError) { guard try engine.staffTokenLabel(String(key)) != nil else { return Self.staffPage } } catch {
                    return Self.failure(error)
                }
                var response = Self.seeOther("/day/\(date)")
                response.setCookie(Cookie(name: Self.staffCookie, value: String(key), maxAge: 12 * 3_600, path: "/", httpOnly: true, sameSite: .strict))
                return response
            }
            do throws(FieldRouteError) { guard try isStaff(request) else { return Self.staffPage } } catch { return Self.failure(error) }
            do throws(FieldRouteError) {
                let view = try days.view(date) { () throws(FieldRouteError) in try engine.promises.dayView(day: date, now: now) }
                return Self.html(page(title: "Day \(date)", body: try Self.dayBody(view), refreshSeconds: 30))
            } catch {
                return Self.html(page(title: "Day \(date)", body: "<h1>Day \(esc(date))</h1><p class=\"error\">\(esc(FieldRouteError.oneLine(error.description)))</p>"),
                                 status: Self.status(of: error))
            }
        }
    }

    static let staffPage = html(page(title: "Staff only", body: """
        <h1>Staff only</h1><p>Open this page with a staff key: <code>/day/DATE?key=TOKEN</code>, the token from
        <code>fieldroute staff-token --db …</code>.</p>
        """), status: .unauthorized)

    static func dayBody(_ view: DayView) throws(FieldRouteError) -> String {
        let clock = try RegionClock(timeZone: view.timeZone)
        let visits = view.technicians.reduce(0) { $0 + $1.visits.count }
        var b = "<h1>Day \(esc(view.day)) — \(esc(view.region))</h1>"
        b += "<p>\(view.technicians.count) technicians, \(visits) visits, \(view.unplanned.count) unplanned. As of \(clock.clockTime(view.now)) (\(esc(view.timeZone))).</p>"
        b += map(view)
        b += timeline(view, clock)
        if !view.unplanned.isEmpty {
            b += "<h2>Unplanned</h2><table><tr><th>booking</th><th>why</th></tr>"
            for u in view.unplanned { b += "<tr><td>\(esc(u.booking))</td><td>\(esc(u.reason))</td></tr>" }
            b += "</table>"
        }
        return b
    }

    /// The routes on an equirectangular projection of the day's bounding box.
    static func map(_ view: DayView) -> String {
        var lats: [Double] = [], lons: [Double] = []
        for t in view.technicians {
            lats.append(t.homeLat); lons.append(t.homeLon)
            for v in t.visits { lats.append(v.lat); lons.append(v.lon) }
        }
        guard let minLat = lats.min(), let maxLat = lats.max(), let minLon = lons.min(), let maxLon = lons.max() else {
            return "<p>No routes.</p>"
        }
        let width = 900.0, height = 600.0, pad = 20.0
        let kx = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLon - minLon) * kx, 1e-6), spanY = max(maxLat - minLat, 1e-6)
        let scale = min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY)
        func x(_ lon: Double) -> String { String(format: "%.1f", pad + (lon - minLon) * kx * scale) }
        func y(_ lat: Double) -> String { String(format: "%.1f", height - pad - (lat - minLat) * scale) }
        var s = "<h2>Map</h2><svg id=\"map\" role=\"img\" aria-label=\"Routes of \(view.technicians.count) technicians\" viewBox=\"0 0 900 600\" width=\"900\" height=\"600\" style=\"max-width:100%;height:auto;border:1px solid #ccc;background:#fafafa\">"
        for (i, t) in view.technicians.enumerated() {
            let colour = palette[i % palette.count]
            let points = ([(t.homeLat, t.homeLon)] + t.visits.map { ($0.lat, $0.lon) } + [(t.homeLat, t.homeLon)])
                .map { "\(x($0.1)),\(y($0.0))" }.joined(separator: " ")
            s += "<g class=\"route\" data-technician=\"\(esc(t.id))\"><title>\(esc(t.id)) \(esc(t.name))</title>"
            s += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" stroke-opacity=\"0.85\"/>"
            s += "<rect x=\"\(x(t.homeLon))\" y=\"\(y(t.homeLat))\" width=\"9\" height=\"9\" transform=\"translate(-4.5,-4.5)\" fill=\"\(colour)\"/>"
            for v in t.visits {
                let filled = v.status == .completed || v.status == .arrived
                s += "<circle cx=\"\(x(v.lon))\" cy=\"\(y(v.lat))\" r=\"5\" fill=\"\(filled ? colour : "#fff")\" stroke=\"\(colour)\" stroke-width=\"2\"><title>\(esc(v.booking)) \(esc(v.status.rawValue))</title></circle>"
            }
            if let p = t.position {
                s += "<circle class=\"position\" cx=\"\(x(p.lon))\" cy=\"\(y(p.lat))\" r=\"8\" fill=\"\(colour)\" stroke=\"#000\" stroke-width=\"2\"><title>\(esc(t.id)) now</title></circle>"
            }
            s += "</g>"
        }
        return s + "</svg>"
    }

    /// A row per technician from the earliest shift start to the latest shift end.
    static func timeline(_ view: DayView, _ clock: RegionClock) -> String {
        guard let start = view.technicians.map(\.shiftStart).min(), let end = view.technicians.map(\.shiftEnd).max(), end > start else { return "" }
        let left = 70.0, width = 1_100.0, row = 34.0
        let height = Double(view.technicians.count) * row + 30
        let k = width / Double(end - start)
        func px(_ t: Int64) -> String { String(format: "%.1f", left + Double(min(max(t, start), end) - start) * k) }
        func w(_ a: Int64, _ b: Int64) -> String { String(format: "%.1f", max(0.5, Double(min(b, end) - max(a, start)) * k)) }
        var s = "<h2>Timeline</h2><p>Grey: drive; light: waiting; colour: visit (outlined: promised window); black tick: actual start; orange: the break; ⟳ window moved.</p>"
        s += "<svg id=\"timeline\" role=\"img\" aria-label=\"Timeline\" viewBox=\"0 0 \(Int(left + width + 10)) \(Int(height))\" width=\"\(Int(left + width + 10))\" height=\"\(Int(height))\" style=\"max-width:100%;height:auto\">"
        var hour = (start / 3_600 + 1) * 3_600
        while hour < end {
            s += "<line x1=\"\(px(hour))\" x2=\"\(px(hour))\" y1=\"0\" y2=\"\(Int(height - 18))\" stroke=\"#ddd\"/><text x=\"\(px(hour))\" y=\"\(Int(height - 4))\" font-size=\"11\" text-anchor=\"middle\">\(clock.clockTime(hour))</text>"
            hour += 3_600
        }
        for (i, t) in view.technicians.enumerated() {
            let colour = palette[i % palette.count], y = Double(i) * row + 4
            let ys = String(format: "%.1f", y), mid = String(format: "%.1f", y + 10), low = String(format: "%.1f", y + 20)
            s += "<g class=\"row\" data-technician=\"\(esc(t.id))\"><text x=\"0\" y=\"\(String(format: "%.1f", y + 15))\" font-size=\"13\">\(esc(t.id))</text>"
            for v in t.visits {
                s += "<rect x=\"\(px(v.plannedDeparture))\" y=\"\(mid)\" width=\"\(w(v.plannedDeparture, v.plannedArrival))\" height=\"4\" fill=\"#999\"/>"
                if v.plannedStart > v.plannedArrival {
                    s += "<rect x=\"\(px(v.plannedArrival))\" y=\"\(mid)\" width=\"\(w(v.plannedArrival, v.plannedStart))\" height=\"4\" fill=\"#ddd\"/>"
                }
                if let ps = v.promisedStart, let pe = v.promisedEnd {
                    s += "<rect x=\"\(px(ps))\" y=\"\(ys)\" width=\"\(w(ps, pe))\" height=\"24\" fill=\"none\" stroke=\"\(colour)\" stroke-dasharray=\"3 2\"/>"
                }
                s += "<rect x=\"\(px(v.plannedStart))\" y=\"\(String(format: "%.1f", y + 5))\" width=\"\(w(v.plannedStart, v.plannedEnd))\" height=\"14\" fill=\"\(colour)\"><title>\(esc(v.booking)) \(clock.clockTime(v.plannedStart))–\(clock.clockTime(v.plannedEnd)) \(esc(v.status.rawValue))</title></rect>"
                if let a = v.actualStart ?? v.actualArrival {
                    s += "<rect x=\"\(px(a))\" y=\"\(ys)\" width=\"2\" height=\"24\" fill=\"#000\"/>"
                }
                if v.windowChanges > 0 { s += "<text x=\"\(px(v.plannedStart))\" y=\"\(low)\" font-size=\"10\">⟳\(v.windowChanges)</text>" }
            }
            if let bs = t.breakStart, let be = t.breakEnd {
                s += "<rect x=\"\(px(bs))\" y=\"\(String(format: "%.1f", y + 5))\" width=\"\(w(bs, be))\" height=\"14\" fill=\"#e8a300\"><title>break</title></rect>"
            }
            s += "</g>"
        }
        if view.now > start && view.now < end {
            s += "<line x1=\"\(px(view.now))\" x2=\"\(px(view.now))\" y1=\"0\" y2=\"\(Int(height - 18))\" stroke=\"#b00020\" stroke-width=\"2\"/>"
        }
        return s + "</svg>"
    }
}
