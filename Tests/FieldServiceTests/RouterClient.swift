import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOEmbedded
import Synchronization

/// Sends requests straight to a router's responder, as the server would after parsing them; no socket.
struct RouterClient {
    struct Answer {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
    }

    let responder: any HTTPResponder<BasicRequestContext>

    init(_ router: Router<BasicRequestContext>) {
        responder = router.buildResponder()
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil) async throws -> Answer {
        var headers = headers
        if let body { headers[.contentLength] = String(body.utf8.count) }
        let request = Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: uri, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer(string: body ?? ""))
        )
        let context = BasicRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        let response = try await responder.respond(to: request, context: context)
        let writer = CollectingWriter()
        try await response.body.write(writer)
        return Answer(status: response.status, headers: response.headers, body: writer.text)
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, String) {
        let answer = try await send(.get, uri, headers: headers)
        return (answer.status, answer.body)
    }
}

/// Collects a response body in memory.
private final class CollectingWriter: ResponseBodyWriter, Sendable {
    private let bytes = Mutex<ByteBuffer>(ByteBuffer())

    var text: String { bytes.withLock { String(buffer: $0) } }

    func write(_ buffer: ByteBuffer) async throws {
        bytes.withLock { _ = $0.writeImmutableBuffer(buffer) }
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
