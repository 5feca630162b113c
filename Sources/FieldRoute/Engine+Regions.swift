import FieldStore
import Foundation
import Geofencing

/// What every service shares: which region a call means, and instants from outside.
extension Engine {
    /// The region named `name` (a command's `--region`), or the only one.
    static func region(named name: String?, _ db: StoreTransaction) throws -> RegionRecord {
        try lookUpRegion(named: name, db).get { FieldRouteError.badInput($0.message(nameIt: "choose one with --region")) }
    }

    /// Why a region could not be chosen.
    enum RegionProblem: Error {
        case unknown(String), none, several
        func message(nameIt hint: String) -> String {
            switch self {
            case let .unknown(name): "no region named '\(name)'"
            case .none: "no region: run 'fieldroute init' first"
            case .several: "several regions: \(hint)"
            }
        }
    }

    /// The one region lookup: by name, or the only region there is.
    static func lookUpRegion(named name: String?, _ db: StoreTransaction) throws -> Result<RegionRecord, RegionProblem> {
        if let name {
            return try db.region(named: name).map { .success($0) } ?? .failure(.unknown(name))
        }
        let regions = try db.regions()
        if regions.count == 1 { return .success(regions[0]) }
        return .failure(regions.isEmpty ? .none : .several)
    }

    /// "45.75,4.84" → (45.75, 4.84), range-checked; `name` (e.g. "--site") starts the error.
    public static func site(_ text: String, name: String) throws(FieldRouteError) -> (lat: Double, lon: Double) {
        let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lat = parts[0], let lon = parts[1], abs(lat) <= 90, abs(lon) <= 180 else {
            throw .badInput("\(name) wants latitude,longitude, e.g. 45.75,4.84; got '\(text)'.")
        }
        return (lat, lon)
    }

    /// An instant given as Unix seconds or ISO-8601 with a zone; nil is the clock. `name` says in an
    /// error where the text came from ("--now", "request: now").
    public static func instant(_ text: String?, name: String) throws(FieldRouteError) -> Int64 {
        guard let text else { return Int64(Date().timeIntervalSince1970) }
        let t: Int64
        if let seconds = Int64(text) { t = seconds } else {
            // Read by hand, as pings are: no formatter, no ICU to load (a few ms of every CLI call).
            guard let seconds = ISO8601Instant.parse(text) else {
                throw .badInput("\(name) '\(text)' is neither Unix seconds nor ISO-8601 with a zone (2026-11-24T13:05:00+01:00)")
            }
            t = seconds
        }
        // The same years as everything else read from outside, so rules can add days to it safely.
        guard Ping.plausibleTimestamps.contains(t) else { throw .badInput("\(name) '\(text)' is not between the years 2000 and 2100") }
        return t
    }
}

extension Result {
    /// The success value, or the failure turned into an error by `mapError`.
    func get<E: Error>(_ mapError: (Failure) -> E) throws(E) -> Success {
        switch self {
        case let .success(value): return value
        case let .failure(failure): throw mapError(failure)
        }
    }
}
