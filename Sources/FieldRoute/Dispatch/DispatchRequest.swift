import Foundation

/// One dispatcher call (`fieldroute dispatch` reads it as JSON, snake_case keys).
///
///     {"op": "insert_job", "date": "2026-11-24", "now": "2026-11-24T13:05:00+01:00",
///      "job": {"id": "B-URG-1", "customer": "C-1001", "lat": 45.75, "lon": 4.84, "duration_min": 45,
///              "windows": ["14:00-18:00"], "skills": ["gas"]},
///      "top_k": 3, "commit": true}
public struct DispatchRequest: Sendable, Codable, Equatable {
    public enum Operation: String, Sendable, Codable, CaseIterable {
        case insertJob = "insert_job"
        case cancelJob = "cancel_job"
        case technicianUnavailable = "technician_unavailable"
        case reoptimize
        case moveJob = "move_job"
    }

    /// A new visit for `insert_job`; the fields of a bookings import row.
    public struct NewJob: Sendable, Codable, Equatable {
        public var id: String
        public var customer: String
        public var lat: Double
        public var lon: Double
        public var durationMin: Int
        /// Local "HH:MM-HH:MM" on the request's date.
        public var windows: [String]
        public var skills: [String]?
        public var priority: Int?
        public var address: String?

        public init(id: String, customer: String, lat: Double, lon: Double, durationMin: Int, windows: [String],
                    skills: [String]? = nil, priority: Int? = nil, address: String? = nil) {
            self.id = id; self.customer = customer; self.lat = lat; self.lon = lon; self.durationMin = durationMin
            self.windows = windows; self.skills = skills; self.priority = priority; self.address = address
        }
    }

    public var op: Operation
    /// Local day, "yyyy-mm-dd": it must have a plan.
    public var date: String
    public var region: String?
    /// The moment the request is made: Unix seconds or ISO-8601 with a zone. Default: the clock.
    public var now: String?
    /// False answers what-if without writing anything. Default true.
    public var commit: Bool?
    /// Let windows already told to customers move (each change is reported and, when committed,
    /// queued as a "window changed" message). Default false: promises are hard constraints.
    public var mayBreakPromises: Bool?
    public var job: NewJob?
    /// `insert_job`: how many options to list (default 3).
    public var topK: Int?
    /// `cancel_job`, `move_job`: the booking.
    public var booking: String?
    /// `cancel_job`: why, one of the region's cancellation reasons (`fieldroute settings show cancellation`).
    public var reason: String?
    /// `cancel_job`: free text kept with the reason ("other" needs one).
    public var note: String?
    /// `technician_unavailable`, `move_job`: the technician.
    public var technician: String?
    /// `move_job`: 1-based place among the technician's remaining stops; default the best place.
    public var position: Int?
    /// `reoptimize`: seconds to search (default 2) or iterations, and the seed.
    public var timeLimit: Double?
    public var iterations: Int?
    public var seed: UInt64?

    public init(op: Operation, date: String, region: String? = nil, now: String? = nil, commit: Bool? = nil,
                mayBreakPromises: Bool? = nil, job: NewJob? = nil, topK: Int? = nil, booking: String? = nil,
                reason: String? = nil, note: String? = nil, technician: String? = nil, position: Int? = nil, timeLimit: Double? = nil,
                iterations: Int? = nil, seed: UInt64? = nil) {
        self.op = op; self.date = date; self.region = region; self.now = now; self.commit = commit
        self.mayBreakPromises = mayBreakPromises; self.job = job; self.topK = topK; self.booking = booking
        self.reason = reason; self.note = note; self.technician = technician; self.position = position; self.timeLimit = timeLimit
        self.iterations = iterations; self.seed = seed
    }

    /// The keys a request may have (snake_case), and those of its `job`.
    static let keys: Set<String> = ["op", "date", "region", "now", "commit", "may_break_promises", "job", "top_k", "booking", "reason",
                                    "note", "technician", "position", "time_limit", "iterations", "seed"]
    static let jobKeys: Set<String> = ["id", "customer", "lat", "lon", "duration_min", "windows", "skills", "priority", "address"]

    /// Decodes a request from JSON; every problem is a ``FieldRouteError/badInput(_:)`` that names the field.
    /// Unknown keys are refused with their path (a misspelt `"comit": false` must not commit); `now` may
    /// be Unix seconds as a number or a string, or ISO-8601.
    public static func decode(_ data: Data) throws(FieldRouteError) -> DispatchRequest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = try strict(data)
        let request: DispatchRequest
        do { request = try decoder.decode(DispatchRequest.self, from: data) } catch let error as DecodingError {
            switch error {
            case let .keyNotFound(key, c):
                throw .badInput("request: missing \(path(c.codingPath + [key]))")
            case let .typeMismatch(_, c), let .valueNotFound(_, c):
                throw .badInput("request: \(path(c.codingPath)): \(c.debugDescription)")
            case let .dataCorrupted(c):
                if c.codingPath.last?.stringValue == "op" {
                    throw .badInput("request: op must be one of \(Operation.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                throw .badInput("request: \(c.codingPath.isEmpty ? "not valid JSON" : path(c.codingPath) + ": " + c.debugDescription)")
            @unknown default: throw .badInput("request: \(error)")
            }
        } catch { throw .badInput("request: \(error)") }
        try request.checkRanges()
        return request
    }

    /// How much search a call may ask for: a dispatcher call answers in seconds, never runs for hours.
    public static let iterationRange = 1...100_000
    public static let timeLimitRange = 0.01...600.0
    public static let topKRange = 1...50

    /// The numbers the decoder accepts but the operations must not take as given.
    private func checkRanges() throws(FieldRouteError) {
        if let iterations, !Self.iterationRange.contains(iterations) {
            throw .badInput("request: iterations \(iterations) is outside \(Self.iterationRange.lowerBound)…\(Self.iterationRange.upperBound)")
        }
        if let timeLimit, !Self.timeLimitRange.contains(timeLimit) {
            throw .badInput("request: time_limit \(timeLimit) is outside \(Self.timeLimitRange.lowerBound)…\(Self.timeLimitRange.upperBound) seconds")
        }
        if let topK, !Self.topKRange.contains(topK) {
            throw .badInput("request: top_k \(topK) is outside \(Self.topKRange.lowerBound)…\(Self.topKRange.upperBound)")
        }
    }

    /// Refuses unknown keys and turns a numeric `now` into its text; other problems are left to the decoder.
    private static func strict(_ data: Data) throws(FieldRouteError) -> Data {
        guard var root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        if let unknown = root.keys.filter({ !keys.contains($0) }).sorted().first {
            throw .badInput("request: unknown key '\(unknown)'; a request has \(keys.sorted().joined(separator: ", "))")
        }
        if let job = root["job"] as? [String: Any], let unknown = job.keys.filter({ !jobKeys.contains($0) }).sorted().first {
            throw .badInput("request: unknown key 'job.\(unknown)'; a job has \(jobKeys.sorted().joined(separator: ", "))")
        }
        if let now = root["now"], !(now is String), !(now is NSNull) {
            guard !isJSONBoolean(now), let number = now as? NSNumber, number.doubleValue.rounded() == number.doubleValue,
                  abs(number.doubleValue) < 1e15 else {
                throw .badInput("request: now must be Unix seconds (a whole number) or ISO-8601 text, got \(now)")
            }
            root["now"] = String(number.int64Value)
        } else { return data }
        do { return try JSONSerialization.data(withJSONObject: root) } catch { throw .internalFailure("cannot re-encode the request: \(error)") }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { key in key.intValue.map { "[\($0)]" } ?? snake(key.stringValue) }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    private static func snake(_ name: String) -> String {
        var out = ""
        for c in name { if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) } }
        return out
    }
}
