import Foundation

/// One dispatcher call from JSON to JSON, as `fieldroute dispatch` and `POST /api/dispatch` answer
/// it: the request decoded strictly, the operation run, the answer or the failure as JSON.
public struct DispatchCall: Sendable {
    /// The answer's JSON text (snake_case keys), and the CLI's exit code: 0 done, 2 bad request,
    /// 3 refused (with "why_not" per technician), 4 a service the region depends on did not answer, 1 internal.
    public var json: String
    public var exitCode: Int32
    /// The failure's one-line message, for a person (stderr, a log); nil when it went through.
    public var message: String?

    /// Runs the request in `data` against `engine`.
    public static func run(_ data: Data, engine: Engine) -> DispatchCall {
        do {
            let answer = try engine.dispatcher.dispatch(try DispatchRequest.decode(data))
            return DispatchCall(json: try AnswerJSON.text(answer, snakeCase: true), exitCode: 0, message: nil)
        } catch {
            return failure(error)
        }
    }

    /// The failure answer for `error`: `{"ok": false, "error": {"code", "message", "why_not"?}}`.
    public static func failure(_ error: FieldRouteError) -> DispatchCall {
        struct Failure: Encodable {
            struct Body: Encodable { var code: String; var message: String; var whyNot: [DispatchRefusal.Reason]? }
            var ok = false
            var error: Body
        }
        let body: Failure.Body
        switch error {
        case let .refused(refusal):
            body = .init(code: refusal.code, message: FieldRouteError.oneLine(refusal.message), whyNot: refusal.whyNot)
        case .unavailable:
            body = .init(code: "unavailable", message: FieldRouteError.oneLine(error.description), whyNot: nil)
        default:
            body = .init(code: error.isBadInput ? "bad_request" : "internal", message: FieldRouteError.oneLine(error.description), whyNot: nil)
        }
        let json = (try? AnswerJSON.text(Failure(error: body), snakeCase: true)) ?? #"{"ok": false}"#  // encoding these plain fields cannot fail
        return DispatchCall(json: json, exitCode: error.exitCode, message: body.message)
    }
}
