import FieldRoute
import FieldStore
import Foundation
import HTTPTypes
import Hummingbird

/// How `fieldroute serve` runs.
public struct ServeOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// A fixed clock (Unix seconds) for demos, replays and tests; nil: the real clock.
    public var fixedNow: Int64?
    /// Requests per minute one customer link may make (pages and API together).
    public var customerRequestsPerMinute = 30
    /// Where `POST /` takes the matrices of a VROOM problem whose locations are coordinates; nil:
    /// such a problem is refused.
    public var vroomRouter: VroomRouter?

    public init(host: String = "127.0.0.1", port: Int = 8080, fixedNow: Int64? = nil, customerRequestsPerMinute: Int = 30,
                vroomRouter: VroomRouter? = nil) {
        self.host = host; self.port = port; self.fixedNow = fixedNow; self.customerRequestsPerMinute = customerRequestsPerMinute
        self.vroomRouter = vroomRouter
    }
}

/// FieldRoute over HTTP: the JSON API (`/api/…`, `Docs/openapi.yaml`), the customer's page at the
/// reminder link (`/s/TOKEN`) and the dispatcher's day (`/day/DATE`).
///
/// Customers reach only what their link's token opens. Everything else needs a staff token (from
/// `fieldroute staff-token`) as `Authorization: Bearer …`, or for pages once as `?key=…`, which
/// sets a same-site, HTTP-only cookie.
///
///     let server = FieldServer(engine: try Engine(path: "ops.sqlite"), options: ServeOptions(port: 8080))
///     try await server.application().runService()
public struct FieldServer: Sendable {
    public let engine: Engine
    public let options: ServeOptions
    let limiter: RateLimiter
    let days: DayCache

    public init(engine: Engine, options: ServeOptions = ServeOptions()) throws(FieldRouteError) {
        self.options = options
        limiter = RateLimiter(perMinute: options.customerRequestsPerMinute)
        let watch: StoreChangeWatch
        do { watch = try StoreChangeWatch(engine.store) } catch { throw .store(error) }
        days = DayCache(watch: watch)
        // The live day stays in memory: dispatch what-ifs read it from there until the store changes.
        self.engine = Engine(store: engine.store, dayRecords: DayRecordsCache(watch: watch))
    }

    var now: Int64 { options.fixedNow ?? Int64(Date().timeIntervalSince1970) }

    /// Every route, for ``application()`` and for tests.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in "ok" }
        addAPI(to: router)
        addCustomerPages(to: router)
        addDayPage(to: router)
        addVroom(to: router)
        return router
    }

    /// The server, bound to `options.host:options.port`.
    public func application() -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(options.host, port: options.port), serverName: "fieldroute"))
    }
}

// MARK: - Answers

extension FieldServer {
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
            .referrerPolicy: "no-referrer", .contentTypeOptions: "nosniff",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func seeOther(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The HTTP status of an engine error: 400 bad input, 409 refused, 503 a service the region
    /// depends on is down, 500 otherwise.
    static func status(of error: FieldRouteError) -> HTTPResponse.Status {
        if case .refused = error { return .conflict }
        if case .unavailable = error { return .serviceUnavailable }
        return error.isBadInput ? .badRequest : .internalServerError
    }

    /// `{"ok": false, "error": {...}}`, the dispatch failure's shape, for any engine error.
    static func failure(_ error: FieldRouteError) -> Response {
        json(DispatchCall.failure(error).json, status: status(of: error))
    }

    /// Runs `body`, answering its value as the CLI's JSON, or its error as ``failure(_:)``.
    static func answer<T: Encodable>(_ body: () throws(FieldRouteError) -> T) -> Response {
        do { return json(try AnswerJSON.text(try body())) } catch { return failure(error) }
    }

    /// Runs CPU-bound, blocking work (a dispatch call: store reads, the Monte Carlo) on a Dispatch
    /// thread instead of Swift's cooperative pool, whose few threads also write the responses: with
    /// them all computing, finished answers waited and the slowest 5 % took five times the median.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
        }
    }

    /// The request's body as bytes, at most 1 MiB.
    static func body(_ request: Request) async throws -> Data {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return Data(buffer.readableBytesView)
    }
}

extension HTTPField.Name {
    // Valid header names, so the initialiser never fails; the fallback only satisfies the type.
    static let referrerPolicy = HTTPField.Name("Referrer-Policy") ?? .cacheControl
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options") ?? .cacheControl
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site") ?? .cacheControl
}
