import FieldRoute
import FieldService
import FieldStore
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// `fieldroute serve` through its router: the gates, the customer's page, the API's answers.
@Suite struct ServiceTests {
    static let now = "2026-11-23T10:00:00+01:00"

    /// A store file with the demo day planned (not driven), a staff token and the server over it.
    struct World {
        var path: String
        var engine: Engine
        var server: FieldServer
        var staff: String
    }

    static func world(perMinute: Int = 1_000, now: String = now) throws -> World {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).sqlite").path
        let engine = try Engine(path: path)
        _ = try engine.loadDemo()
        let at = try Engine.instant(Self.now, name: "now")
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 50, now: at))
        let clock = try Engine.instant(now, name: "now")
        let server = try FieldServer(engine: engine, options: ServeOptions(fixedNow: clock, customerRequestsPerMinute: perMinute))
        return World(path: path, engine: engine, server: server, staff: try engine.makeStaffToken(label: "test", now: clock))
    }

    @Test func healthAndTheStaffGate() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        #expect(try await app.get("/healthz") == (.ok, "ok"))
        #expect(try await app.get("/api/day/2026-11-24").0 == .unauthorized)
        #expect(try await app.get("/api/day/2026-11-24", headers: [.authorization: "Bearer not-a-token"]).0 == .unauthorized)
        #expect(try await app.get("/day/2026-11-24").0 == .unauthorized)
        let (status, body) = try await app.get("/api/day/2026-11-24", headers: [.authorization: "Bearer \(w.staff)"])
        #expect(status == .ok)
        // The CLI's JSON of the same view.
        let at = try Engine.instant(Self.now, name: "now")
        #expect(body == (try AnswerJSON.text(try w.engine.promises.dayView(day: DemoRegion.day, now: at))) + "\n")
        let view = try JSONDecoder().decode(DayView.self, from: Data(body.utf8))
        #expect(view.technicians.count == 8)
        #expect(try await app.get("/api/day/2026-13-40", headers: [.authorization: "Bearer \(w.staff)"]).0 == .badRequest)
        let page = try await app.get("/day/2026-11-24", headers: [.cookie: "fieldroute_staff=\(w.staff)"])
        #expect(page.0 == .ok)
        #expect(page.1.components(separatedBy: "class=\"route\"").count - 1 == 8)
    }

    /// Every token over every customer route: each shows its own booking and no other booking's id.
    @Test func everyLinkShowsItsOwnVisitOnly() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        let at = try Engine.instant(Self.now, name: "now")
        let ids = try w.engine.bookings.list(day: DemoRegion.day).map(\.id)
        let pattern = try Regex("B-[0-9]{4}(-R[0-9]+)?")
        for id in ids.prefix(40) {
            let token = try w.engine.bookings.link(booking: id, now: at).token
            for uri in ["/s/\(token)", "/s/\(token)/confirm", "/s/\(token)/cancel", "/api/self/\(token)"] {
                let (status, body) = try await app.get(uri)
                #expect(status == .ok, "\(uri)")
                let seen = Set(body.matches(of: pattern).map { String(body[$0.range]) })
                #expect(seen == [id], "\(id) \(uri): \(seen)")
            }
        }
        #expect(try await app.get("/s/unknown-token").0 == .notFound)
        #expect(try await app.get("/api/self/unknown-token").0 == .badRequest)
    }

    @Test func cancelFromTheFormAndRefuseAnotherSite() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        let at = try Engine.instant(Self.now, name: "now")
        let token = try w.engine.bookings.link(booking: "B-2041", now: at).token
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        var crossSite = form
        crossSite[.origin] = "https://evil.example"
        #expect(try await app.send(.post, "/s/\(token)/cancel", headers: crossSite, body: "reason=not_home").status == .forbidden)
        var fetchCrossSite = form
        fetchCrossSite[HTTPField.Name("Sec-Fetch-Site")!] = "cross-site"
        #expect(try await app.send(.post, "/s/\(token)/cancel", headers: fetchCrossSite, body: "reason=not_home").status == .forbidden)
        #expect(try w.engine.bookings.list(day: DemoRegion.day).first { $0.id == "B-2041" }?.status == .booked)
        // A form sent without its choice is answered in the customer's words, and changes nothing.
        let noReason = try await app.send(.post, "/s/\(token)/cancel", headers: form, body: "note=away")
        #expect(noReason.status == .ok && noReason.body.contains("Choose a reason for cancelling"), "\(noReason.body)")
        let noSlot = try await app.send(.post, "/s/\(token)/reschedule", headers: form, body: "")
        #expect(noSlot.status == .ok && noSlot.body.contains("Choose one of the free times"), "\(noSlot.body)")
        #expect(!noSlot.body.contains("give a") && !noReason.body.contains("give a"))
        let other = try await app.send(.post, "/s/\(token)/cancel", headers: form, body: "reason=other")
        #expect(other.status == .ok)
        #expect(other.body.contains("needs"), "other without a note is refused with the rule's message")
        let done = try await app.send(.post, "/s/\(token)/cancel", headers: form, body: "reason=not_home&note=away")
        #expect(done.status == .seeOther)
        #expect(done.headers[.location] == "/s/\(token)?done=cancelled")
        #expect(try w.engine.bookings.list(day: DemoRegion.day).first { $0.id == "B-2041" }?.status == .cancelled)
    }

    @Test func dispatchAnswersAsTheCLI() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        let request = #"{"op": "cancel_job", "date": "2026-11-24", "booking": "B-2007", "reason": "not_home", "commit": false, "now": "2026-11-23T10:00:00+01:00"}"#
        let expected = DispatchCall.run(Data(request.utf8), engine: w.engine).json + "\n"
        let auth: HTTPFields = [.authorization: "Bearer \(w.staff)"]
        let answer = try await app.send(.post, "/api/dispatch", headers: auth, body: request)
        #expect(answer.status == .ok, "\(answer.body)")
        #expect(answer.body == expected)
        let unknown = try await app.send(.post, "/api/dispatch", headers: auth, body: #"{"op": "fly"}"#)
        #expect(unknown.status == .badRequest)
        #expect(unknown.body.contains("\"ok\" : false"))
        #expect(try await app.send(.post, "/api/dispatch", body: request).status == .unauthorized)
    }

    @Test func aLinkIsRateLimited() async throws {
        let w = try Self.world(perMinute: 5)
        let app = RouterClient(w.server.router())
        let token = try w.engine.bookings.link(booking: "B-2041", now: try Engine.instant(Self.now, name: "now")).token
        for _ in 0..<5 { #expect(try await app.get("/api/self/\(token)").0 == .ok) }
        #expect(try await app.get("/api/self/\(token)").0 == .tooManyRequests)
    }

    /// A write through another connection (as the CLI would make) is seen on the next request.
    @Test func anotherWritersChangeIsSeen() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        let auth: HTTPFields = [.authorization: "Bearer \(w.staff)"]
        func visits() async throws -> Set<String> {
            let body = try await app.get("/api/day/2026-11-24", headers: auth).1
            return Set(try JSONDecoder().decode(DayView.self, from: Data(body.utf8)).technicians.flatMap { $0.visits.map(\.booking) })
        }
        #expect(try await visits().contains("B-2041"))
        let other = try Engine(path: w.path)
        _ = try other.bookings.cancel(booking: "B-2041", reason: "not_home", now: try Engine.instant(Self.now, name: "now"))
        #expect(try await !visits().contains("B-2041"))
    }

    /// A what-if insert is answered from the day the server keeps in memory: as the CLI answers it,
    /// and after another connection commits, as the CLI answers it on the changed day.
    @Test func aWhatIfInsertAnswersFromTheKeptDayAndSeesAnotherWriter() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        let auth: HTTPFields = [.authorization: "Bearer \(w.staff)"]
        func insert(_ id: String, commit: Bool) -> String {
            #"{"op": "insert_job", "date": "2026-11-24", "commit": \#(commit), "now": "2026-11-23T10:00:00+01:00", "#
                + #""job": {"id": "\#(id)", "customer": "C-1001", "lat": 45.757, "lon": 4.842, "duration_min": 30, "windows": ["10:00-16:00"]}}"#
        }
        let first = try await app.send(.post, "/api/dispatch", headers: auth, body: insert("B-NEW-2", commit: false))
        #expect(first.status == .ok, "\(first.body)")
        #expect(first.body == DispatchCall.run(Data(insert("B-NEW-2", commit: false).utf8), engine: try Engine(path: w.path)).json + "\n")
        // Another process books a visit at the same place: the next what-if must see it.
        let other = try Engine(path: w.path)
        #expect(DispatchCall.run(Data(insert("B-NEW-1", commit: true).utf8), engine: other).exitCode == 0)
        let second = try await app.send(.post, "/api/dispatch", headers: auth, body: insert("B-NEW-2", commit: false))
        #expect(second.body == DispatchCall.run(Data(insert("B-NEW-2", commit: false).utf8), engine: try Engine(path: w.path)).json + "\n")
        #expect(second.body != first.body)
    }

    /// `POST /`, as vroom-express: VROOM's problem in, the answer `fieldroute solve FILE.json` gives
    /// out (bar the computing times); bad input is VROOM's code 2 with the key's path; staff only.
    @Test func postingAVroomProblemAnswersAsSolve() async throws {
        let w = try Self.world()
        let app = RouterClient(w.server.router())
        let auth: HTTPFields = [.authorization: "Bearer \(w.staff)"]
        let problem = """
            {"vehicles": [{"id": 7, "start_index": 0, "end_index": 0, "capacity": [4], "time_window": [0, 10000]}],
             "jobs": [{"id": 1, "location_index": 1, "service": 100, "delivery": [1], "time_windows": [[500, 600]]},
                      {"id": 2, "location_index": 2, "service": 50, "delivery": [2]}, {"id": 3, "location_index": 3, "delivery": [5]}],
             "matrices": {"car": {"durations": [[0, 300, 200, 100], [300, 0, 150, 250], [200, 150, 0, 120], [100, 250, 120, 0]]}}}
            """
        func withoutTimes(_ text: String) throws -> NSDictionary {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            var summary = object["summary"] as? [String: Any]
            summary?["computing_times"] = nil
            object["summary"] = summary
            return object as NSDictionary
        }
        let answer = try await app.send(.post, "/?iterations=200&seed=3", headers: auth, body: problem)
        #expect(answer.status == .ok, "\(answer.body)")
        let expected = try VroomProblem.parse(Data(problem.utf8), file: "p.json").solve(seed: 3, timeLimit: nil, iterations: 200)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys]), as: UTF8.self)
        #expect(try withoutTimes(answer.body) == withoutTimes(text))
        #expect(try withoutTimes(answer.body)["unassigned"] as? [[String: Any]] != nil)

        let bad = try await app.send(.post, "/?iterations=10", headers: auth, body: #"{"vehicles": [{"id": 1, "start_index": 0}], "jobs": [], "shipments": []}"#)
        #expect(bad.status == .badRequest)
        let failure = try #require(try JSONSerialization.jsonObject(with: Data(bad.body.utf8)) as? [String: Any])
        #expect(failure["code"] as? Int == 2 && (failure["error"] as? String)?.contains("shipments") == true, "\(bad.body)")
        #expect(try await app.send(.post, "/?iterations=0", headers: auth, body: problem).status == .badRequest)
        #expect(try await app.send(.post, "/", body: problem).status == .unauthorized)

        // Coordinates need the server's --osrm: refused without; 503 when that server is down.
        let located = #"{"vehicles": [{"id": 1, "start": [7.42, 43.73]}], "jobs": [{"id": 1, "location": [7.43, 43.74]}]}"#
        let unrouted = try await app.send(.post, "/?iterations=10", headers: auth, body: located)
        #expect(unrouted.status == .badRequest && unrouted.body.contains("need a routing server"), "\(unrouted.body)")
        let routed = try FieldServer(engine: w.engine, options: ServeOptions(vroomRouter: try VroomRouter(osrm: "http://127.0.0.1:1")))
        let down = try await RouterClient(routed.router()).send(.post, "/?iterations=10", headers: auth, body: located)
        #expect(down.status == .serviceUnavailable && down.body.contains("did not answer"), "\(down.body)")
    }

    /// `POST /api/book` takes the MCP `book` tool's object and answers as `fieldroute book --json`.
    @Test func bookThroughTheAPIAnswersAsTheLibrary() async throws {
        let w = try Self.world(), twin = try Self.world()
        let app = RouterClient(w.server.router())
        let auth: HTTPFields = [.authorization: "Bearer \(w.staff)"]
        let (status, body) = try await app.get("/api/slots?site=45.75,4.84&duration=30&from=2026-11-24&days=1", headers: auth)
        #expect(status == .ok)
        let slots = try JSONDecoder().decode([Slot].self, from: Data(body.utf8))
        let slot = try #require(slots.first)
        let request = #"{"id": "B-9001", "customer": "C-1001", "lat": 45.75, "lon": 4.84, "duration_min": 30, "slot": "\#(slot.id)"}"#
        let at = try Engine.instant(Self.now, name: "now")
        let expected = try AnswerJSON.text(try twin.engine.bookings.book(try BookingDraft(json: Data(request.utf8)), now: at)) + "\n"
        let booked = try await app.send(.post, "/api/book", headers: auth, body: request)
        #expect(booked.status == .ok, "\(booked.body)")
        #expect(booked.body == expected)
        #expect(try w.engine.bookings.list(day: DemoRegion.day).first { $0.id == "B-9001" }?.status == .booked)
        // The same id again, a misspelt key, a latitude off the globe, no body, no staff token.
        #expect(try await app.send(.post, "/api/book", headers: auth, body: request).status != .ok)
        let misspelt = try await app.send(.post, "/api/book", headers: auth, body: request.replacingOccurrences(of: "\"slot\"", with: "\"slott\""))
        #expect(misspelt.status == .badRequest)
        #expect(misspelt.body.contains("unknown argument 'slott'"))
        let offGlobe = try await app.send(.post, "/api/book", headers: auth, body: request.replacingOccurrences(of: "45.75", with: "145.75"))
        #expect(offGlobe.status == .badRequest)
        #expect(try await app.send(.post, "/api/book", headers: auth, body: "").status == .badRequest)
        #expect(try await app.send(.post, "/api/book", body: request).status == .unauthorized)
    }

    /// A customer's free times start on the region's local day: at 00:30 in Paris it is already the
    /// 24th there while it is still the 23rd in UTC.
    @Test func theCustomersSlotsStartOnTheRegionsDay() async throws {
        let w = try Self.world(now: "2026-11-24T00:30:00+01:00")
        let app = RouterClient(w.server.router())
        let token = try w.engine.bookings.link(booking: "B-2041", now: try Engine.instant("2026-11-24T00:30:00+01:00", name: "now")).token
        let (status, body) = try await app.get("/api/self/\(token)/slots?days=1")
        #expect(status == .ok, "\(body)")
        let days = Set(try JSONDecoder().decode([Slot].self, from: Data(body.utf8)).map(\.day))
        #expect(days == ["2026-11-24"])
    }
}
