import FieldStore
import Foundation
import GRDB

/// What `learn` fitted.
public struct LearnSummary: Sendable, Codable, Equatable {
    public var before: UncertaintySettings
    public var after: UncertaintySettings
}

extension Engine {
    /// Refits the region's uncertainty model from history: every leg with a known departure and
    /// arrival (planned travel vs actual), every visit with a known start and departure (planned
    /// service vs actual). σ of the log ratios, the day's shared factor from the spread of each route's
    /// mean; each shrunk toward the prior by n / (n + 30), so thin history moves little.
    @discardableResult
    public func learn(region: String? = nil) throws(FieldRouteError) -> LearnSummary {
        do {
            return try store.write { db in
                let r = try Self.region(named: region, db)
                let travel = try Self.travelSource(for: r, db)
                let before = try Self.setting(UncertaintySettings.self, regionId: r.id ?? 0, db)
                let rows = try Row.fetchAll(db, sql: """
                    SELECT s.routeId, s.sequence, s.actualArrival, s.actualDeparture, s.actualStart, b.lat, b.lon, b.serviceDuration,
                           b.timeWindows, b.requiredSkills, t.startLat, t.startLon
                    FROM stop s JOIN booking b ON b.id = s.bookingId JOIN route ro ON ro.id = s.routeId JOIN technician t ON t.id = ro.technicianId
                    WHERE b.regionId = ? ORDER BY s.routeId, s.sequence
                    """, arguments: [r.id])
                var legLogs: [Int64: [Double]] = [:], serviceLogs: [Double] = [], byType: [String: [Double]] = [:]
                var previous: Row?
                for row in rows {
                    let lat: Double = row["lat"], lon: Double = row["lon"]
                    if let p = previous, (p["routeId"] as Int64) == (row["routeId"] as Int64),
                       let left: Int64 = p["actualDeparture"], let came: Int64 = row["actualArrival"], came > left {
                        let planned = travel.leg(from: (p["lat"], p["lon"]), to: (lat, lon)).seconds
                        if planned >= 60 { legLogs[row["routeId"], default: []].append(log(Double(came - left) / planned)) }
                    }
                    if let left: Int64 = row["actualDeparture"],
                       let start = Self.serviceStart(actualStart: row["actualStart"], arrival: row["actualArrival"], windows: row["timeWindows"]),
                       left > start, (row["serviceDuration"] as Int64) > 0 {
                        let value = log(Double(left - start) / Double(row["serviceDuration"] as Int64))
                        serviceLogs.append(value)
                        let skills = (row["requiredSkills"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
                        byType[UncertaintySettings.jobType(skills), default: []].append(value)
                    }
                    previous = row
                }
                func sigma(_ xs: [Double]) -> Double? {
                    guard xs.count >= 2 else { return nil }
                    let mean = xs.reduce(0, +) / Double(xs.count)
                    return (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count - 1)).squareRoot()
                }
                func shrink(_ fitted: Double?, n: Int, prior: Double) -> Double {
                    guard let fitted else { return prior }
                    let w = Double(n) / Double(n + 30)
                    return ((w * fitted + (1 - w) * prior) * 1_000).rounded() / 1_000
                }
                let routeMeans = legLogs.values.filter { !$0.isEmpty }.map { $0.reduce(0, +) / Double($0.count) }
                let withinRoute = legLogs.values.flatMap { logs in logs.map { $0 - logs.reduce(0, +) / Double(logs.count) } }
                let legs = withinRoute.count
                var after = before
                after.travelSigma = shrink(sigma(withinRoute), n: legs, prior: UncertaintySettings().travelSigma)
                after.daySigma = shrink(sigma(routeMeans), n: routeMeans.count, prior: UncertaintySettings().daySigma)
                after.serviceSigma = shrink(sigma(serviceLogs), n: serviceLogs.count, prior: UncertaintySettings().serviceSigma)
                after.legs = legs; after.visits = serviceLogs.count
                // Job types with enough history get their own σ, shrunk toward the region's.
                after.serviceSigmaByJobType = [:]
                for (type, logs) in byType where logs.count >= 20 {
                    after.serviceSigmaByJobType[type] = shrink(sigma(logs), n: logs.count, prior: after.serviceSigma)
                }
                try after.validate()
                try SettingRecord(regionId: r.id ?? 0, key: UncertaintySettings.key,
                                  value: String(decoding: try JSONEncoder().encode(after), as: UTF8.self)).save(db)
                return LearnSummary(before: before, after: after)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
