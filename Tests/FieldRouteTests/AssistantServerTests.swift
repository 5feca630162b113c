import FieldRoute
import Foundation
import Testing

/// Issue 19, part 2: the dispatcher's tools over the Model Context Protocol.
@Suite struct AssistantServerTests {
    static let eleven = "2026-11-24T11:00:00+01:00"

    final class Session {
        let server: AssistantServer
        var id = 0
        init(_ engine: Engine) { server = AssistantServer(engine: engine) }

        /// Sends one request and returns its reply, parsed.
        func send(_ method: String, _ params: [String: Any] = [:]) throws -> [String: Any] {
            id += 1
            let line = String(decoding: try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": id, "method": method, "params": params]),
                              as: UTF8.self)
            let reply = try #require(server.handle(line))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any])
            #expect(object["id"] as? Int == id && object["jsonrpc"] as? String == "2.0")
            return object
        }

        /// Calls a tool: (is it an error, its text).
        func call(_ tool: String, _ arguments: [String: Any]) throws -> (error: Bool, text: String) {
            let result = try #require(try send("tools/call", ["name": tool, "arguments": arguments])["result"] as? [String: Any])
            let content = try #require(result["content"] as? [[String: Any]])
            return (result["isError"] as? Bool ?? true, content.first?["text"] as? String ?? "")
        }
    }

    func session() throws -> Session {
        let engine = try makeEngine()
        _ = try engine.loadDemo()
        _ = try engine.planner.plan(day: DemoRegion.day, options: PlanOptions(iterations: 300, seed: 1))
        return Session(engine)
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func aClientSeesEveryToolWithItsSchemaAndNotificationsGetNoReply() throws {
        let s = try session()
        let hello = try #require(try s.send("initialize", ["protocolVersion": "2025-06-18", "capabilities": [:] as [String: Any],
                                                          "clientInfo": ["name": "test", "version": "1"]])["result"] as? [String: Any])
        #expect(hello["protocolVersion"] as? String == "2025-06-18")
        #expect(s.server.handle(#"{"jsonrpc": "2.0", "method": "notifications/initialized"}"#) == nil)
        let tools = try #require((try s.send("tools/list")["result"] as? [String: Any])?["tools"] as? [[String: Any]])
        #expect(Set(tools.compactMap { $0["name"] as? String }) == ["day_windows", "why_unplanned", "find_slots", "book", "insert_job", "cancel_job",
                                                                   "move_job", "technician_unavailable", "reoptimize"])
        for tool in tools {
            let schema = try #require(tool["inputSchema"] as? [String: Any])
            #expect(schema["type"] as? String == "object" && schema["additionalProperties"] as? Bool == false)
            let properties = try #require(schema["properties"] as? [String: Any])
            #expect((schema["required"] as? [String] ?? []).allSatisfy { properties[$0] != nil })
        }
        // Unknown methods and tools are protocol errors; a broken line says so.
        #expect((try s.send("tools/frobnicate")["error"] as? [String: Any])?["code"] as? Int == -32601)
        #expect((try s.send("tools/call", ["name": "teleport"])["error"] as? [String: Any])?["code"] as? Int == -32602)
        #expect(s.server.handle("{not json")?.contains("-32700") == true)
    }

    @Test func eachToolAnswersAsTheCLIDoesAndFailsAsAToolError() throws {
        let s = try session()
        let day = try s.call("day_windows", ["date": DemoRegion.day])
        let visits = try json(day.text) as? [[String: Any]] ?? []
        #expect(!day.error && visits.count > 100)
        let unplanned = try s.call("why_unplanned", ["date": DemoRegion.day])
        let reasons = try json(unplanned.text) as? [[String: Any]]
        #expect(!unplanned.error && reasons?.allSatisfy { $0["reason"] is String } == true)

        // What-if by default for reoptimize; the others as the CLI (commit false asked here).
        let what = try s.call("reoptimize", ["date": DemoRegion.day, "now": Self.eleven, "iterations": 20])
        let whatIf = try json(what.text) as? [String: Any]
        #expect(!what.error && whatIf?["committed"] as? Bool == false)
        let job: [String: Any] = ["id": "B-URG-1", "customer": "C-1001", "lat": 45.75, "lon": 4.84, "duration_min": 30, "windows": ["13:00-17:00"]]
        let insert = try s.call("insert_job", ["date": DemoRegion.day, "now": Self.eleven, "job": job, "commit": false])
        let inserted = try json(insert.text) as? [String: Any]
        #expect(!insert.error && inserted?["options"] != nil, "\(insert.text.prefix(300))")
        let open = try #require(visits.first { ($0["planned"] as? String ?? "") > "15:00" })
        let booking = try #require(open["booking"] as? String), technician = try #require(open["technician"] as? String)
        let out = try s.call("technician_unavailable", ["date": DemoRegion.day, "now": Self.eleven, "technician": technician, "commit": false])
        #expect(!out.error, "\(out.text.prefix(300))")
        let move = try s.call("move_job", ["date": DemoRegion.day, "now": Self.eleven, "booking": booking, "technician": technician, "commit": false])
        #expect(!move.error, "\(move.text.prefix(300))")
        let cancel = try s.call("cancel_job", ["date": DemoRegion.day, "now": Self.eleven, "booking": booking, "reason": "forgot", "commit": false])
        #expect(!cancel.error, "\(cancel.text.prefix(300))")

        // Slots and booking on a day ahead.
        let slots = try s.call("find_slots", ["lat": 45.76, "lon": 4.85, "duration_min": 30, "from": "2026-11-25", "days": 1])
        #expect(!slots.error, "\(slots.text.prefix(300))")

        // Bad calls: the CLI's messages, as tool errors.
        let misspelt = try s.call("reoptimize", ["date": DemoRegion.day, "comit": true])
        #expect(misspelt.error && misspelt.text.hasPrefix("reoptimize: unknown argument 'comit'"))
        let reason = try s.call("cancel_job", ["date": DemoRegion.day, "now": Self.eleven, "booking": booking, "reason": "bored"])
        #expect(reason.error && reason.text.contains("bored"))
        let noWindow = try s.call("book", ["id": "B-NEW", "customer": "C-1001", "lat": 45.76, "lon": 4.85, "duration_min": 30])
        #expect(noWindow.error && noWindow.text == "book: give a slot, or a date and a window")
    }
}
