import FieldRoute
import HTTPTypes
import Hummingbird

/// Staff reach the API and the dispatcher's pages with a staff token (`fieldroute staff-token`):
/// `Authorization: Bearer TOKEN` for programs, or `?key=TOKEN` once in a browser, which sets this
/// cookie (HTTP-only, same-site strict, so another site's page cannot ride on it).
extension FieldServer {
    static let staffCookie = "fieldroute_staff"

    /// True when the request carries a staff token the store knows.
    func isStaff(_ request: Request) throws(FieldRouteError) -> Bool {
        var presented: String?
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer ") { presented = String(auth.dropFirst(7)) }
        if presented == nil { presented = request.cookies[Self.staffCookie]?.value }
        guard let presented else { return false }
        return try engine.staffTokenLabel(presented) != nil
    }

    static let staffOnly = json(#"{"ok": false, "error": {"code": "unauthorized", "message": "a staff token is needed: Authorization: Bearer TOKEN (fieldroute staff-token prints one)"}}"#,
                                status: .unauthorized)

    /// Runs `body` for staff; others get 401.
    func staffAnswer(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        do throws(FieldRouteError) { guard try isStaff(request) else { return Self.staffOnly } } catch { return Self.failure(error) }
        return try await body()
    }
}
