import Foundation

/// The Model Context Protocol over stdio for dispatch assistants (`fieldroute mcp`): JSON-RPC 2.0,
/// one message per line. It answers `initialize`, `ping`, `tools/list` and `tools/call`; the tools
/// (``AssistantTools``) are the dispatcher's operations with the CLI's answers and messages, a
/// refused or bad call coming back as a tool error (`isError`), never a crash or a silent default.
///
///     let server = AssistantServer(engine: engine)
///     while let line = readLine() { if let reply = server.handle(line) { print(reply) } }
public struct AssistantServer: Sendable {
    public let engine: Engine
    /// The protocol revision answered when the client asks for one this server does not know.
    public static let protocolVersion = "2025-06-18"
    static let knownVersions: Set<String> = ["2024-11-05", "2025-03-26", "2025-06-18"]

    public init(engine: Engine) { self.engine = engine }

    /// The reply to one line, or nil for a notification (no `id`) or a blank line.
    public func handle(_ line: String) -> String? {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        guard let message = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return reply(id: NSNull(), error: (-32700, "parse error: not a JSON object"))
        }
        let id = message["id"]
        guard let method = message["method"] as? String else {
            return id == nil ? nil : reply(id: id, error: (-32600, "invalid request: no method"))
        }
        let params = message["params"] as? [String: Any] ?? [:]
        guard let id else { return nil }  // notifications/initialized, notifications/cancelled: nothing to answer
        switch method {
        case "initialize":
            let asked = params["protocolVersion"] as? String ?? Self.protocolVersion
            return reply(id: id, result: [
                "protocolVersion": Self.knownVersions.contains(asked) ? asked : Self.protocolVersion,
                "capabilities": ["tools": ["listChanged": false]],
                "serverInfo": ["name": "fieldroute", "version": "1.0"],
                "instructions": "Dispatch tools for one FieldRoute database: the day's routes and windows, insert/cancel/move jobs, "
                    + "a technician out, what-if re-optimisation, free slots, booking, and why a visit is unplanned. Dates are local yyyy-mm-dd.",
            ])
        case "ping":
            return reply(id: id, result: [:])
        case "tools/list":
            return reply(id: id, result: ["tools": AssistantTools.all.map(\.listing)])
        case "tools/call":
            guard let name = params["name"] as? String else { return reply(id: id, error: (-32602, "tools/call wants a tool name")) }
            guard let tool = AssistantTools.all.first(where: { $0.name == name }) else {
                return reply(id: id, error: (-32602, "unknown tool '\(String(name.prefix(80)))'; tools: \(AssistantTools.all.map(\.name).joined(separator: ", "))"))
            }
            let arguments = params["arguments"] as? [String: Any] ?? [:]
            do {
                let text = try tool.call(engine, arguments)
                return reply(id: id, result: ["content": [["type": "text", "text": text]], "isError": false])
            } catch {
                let message = FieldRouteError.oneLine(error.description)
                return reply(id: id, result: ["content": [["type": "text", "text": message]], "isError": true])
            }
        default:
            return reply(id: id, error: (-32601, "method not found: \(String(method.prefix(80)))"))
        }
    }

    private func reply(id: Any?, result: [String: Any]) -> String { encode(["jsonrpc": "2.0", "id": id ?? NSNull(), "result": result]) }

    private func reply(id: Any?, error: (code: Int, message: String)) -> String {
        encode(["jsonrpc": "2.0", "id": id ?? NSNull(), "error": ["code": error.code, "message": error.message]])
    }

    private func encode(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"internal error: unencodable reply"}}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}
