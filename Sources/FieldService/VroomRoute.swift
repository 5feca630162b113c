import FieldRoute
import Foundation
import HTTPTypes
import Hummingbird

/// `POST /`: a VROOM problem in, VROOM's answer out, as vroom-express serves it and as
/// `fieldroute solve FILE.json` prints it (the same reader, the same keys refused with their path).
/// Staff only, like every route that is not a customer's. Query: `seed` (default 1), `iterations`
/// or `time_limit` seconds (default, as the CLI: 10 s). Locations given as coordinates take their
/// matrices from the OSRM server `--osrm` names. Errors answer as VROOM does: HTTP 400 with
/// `{"code": 2, "error": "…"}` for the input, 500 with code 1 otherwise.
extension FieldServer {
    func addVroom(to router: Router<BasicRequestContext>) {
        router.post("/") { request, _ in
            try await staffAnswer(request) {
                let data = Data(try await request.body.collect(upTo: Self.largestProblem).readableBytesView)
                let q = request.uri.queryParameters
                do throws(FieldRouteError) {
                    let seed = UInt64(try Self.number(q.get("seed") ?? "1", "seed", 0...Int(Int32.max)))
                    let iterations = try q.get("iterations").map { text throws(FieldRouteError) in try Self.number(text, "iterations", 1...10_000_000) }
                    let limit = try q.get("time_limit").map { text throws(FieldRouteError) in Double(try Self.number(text, "time_limit", 1...3_600)) }
                    // Off the event loop from the parse on: coordinates make it ask the OSRM server.
                    let answer = await Self.offPool { [router = options.vroomRouter] () -> Result<String, FieldRouteError> in
                        Result { () throws(FieldRouteError) in
                            try VroomProblem.parse(data, file: "request", router: router).answerText(seed: seed, timeLimit: limit, iterations: iterations)
                        }
                    }
                    return Self.json(try answer.get())
                } catch {
                    let code = error.isBadInput ? 2 : 1
                    // A number and a string always encode: the fallback only satisfies the type.
                    let body = (try? VroomProblem.text(["code": code, "error": FieldRouteError.oneLine(error.description)])) ?? #"{"code": 1}"#
                    let status: HTTPResponse.Status = if case .unavailable = error { .serviceUnavailable }
                        else { error.isBadInput ? .badRequest : .internalServerError }
                    return Self.json(body, status: status)
                }
            }
        }
    }

    /// VROOM problems carry matrices: 32 MiB holds a 1,000-location duration and distance matrix.
    static let largestProblem = 32 << 20
}
