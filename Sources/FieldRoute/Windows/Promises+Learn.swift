import ArrivalWindows
import FieldStore
import Foundation

/// What `learn` fitted.
public struct LearnSummary: Sendable, Codable, Equatable {
    public var before: UncertaintySettings
    public var after: UncertaintySettings
}

extension Promises {
    /// Refits the region's uncertainty model from history: every drive of 5 minutes or more with a
    /// known departure and arrival (planned travel vs actual), every visit with a known start and
    /// departure (planned service vs actual), leaving out the visit and the drive around the lunch
    /// break. The log ratios are fitted as an everyday spread plus a heavy tail
    /// (``fitSpread(_:prior:iterations:)``); the day's shared factor comes from the spread of the
    /// routes' means, a travel factor from each hour of the day with 20 drives or more. Each is shrunk
    /// toward its prior by n / (n + 30) (tails by their expected events), so thin history moves little.
    @discardableResult
    public func learn(region: String? = nil) throws(FieldRouteError) -> LearnSummary {
        do {
            return try store.write { db in
                let r = try Engine.region(named: region, db)
                let travel = try Engine.travelSource(for: r, db)
                let before = try Engine.setting(UncertaintySettings.self, regionId: r.id ?? 0, db)
                let rows = try db.visitHistory(regionId: r.id ?? 0)
                let clock = try RegionClock(timeZone: r.timeZone)
                var legLogs: [Int64: [Double]] = [:], serviceLogs: [Double] = [], byType: [String: [Double]] = [:]
                var byHour: [Int: [Double]] = [:]
                // The lunch break falls between the visit before it and the one after (`next`, nil at
                // the route's end): taken on site it reads as an overrun, on the way as a slow leg.
                // Neither is kept.
                func beforeLunch(_ r: StoreTransaction.VisitHistory, next: StoreTransaction.VisitHistory?) -> Bool {
                    guard let b = r.breakStart, r.plannedStart < b else { return false }
                    guard let next else { return true }
                    return next.plannedStart >= b
                }
                var previous: StoreTransaction.VisitHistory?
                for (i, row) in rows.enumerated() {
                    let (lat, lon) = (row.lat, row.lon)
                    let sameRoute = previous.map { $0.routeId == row.routeId } ?? false
                    let lunchLeg = sameRoute && previous.map { beforeLunch($0, next: row) } == true
                    // Geofence times shave a near-constant minute off each drive (the fences' radius,
                    // the fix interval): only drives of 5 minutes and more say how long driving takes.
                    if let p = previous, sameRoute, !lunchLeg,
                       let left = p.actualDeparture, let came = row.actualArrival, came > left {
                        let planned = travel.leg(from: (p.lat, p.lon), to: (lat, lon)).seconds
                        if planned >= 300 {
                            let value = log(Double(came - left) / planned)
                            legLogs[row.routeId, default: []].append(value)
                            byHour[clock.minuteOfDay(left) / 60, default: []].append(value)
                        }
                    }
                    // Next door, the geofence may see the technician leave only once at the neighbour
                    // (the fences overlap): a departure after the next arrival is not this visit's end.
                    let next = i + 1 < rows.count && rows[i + 1].routeId == row.routeId ? rows[i + 1] : nil
                    var overlapped = false
                    if let nextArrival = next?.actualArrival, let left = row.actualDeparture { overlapped = left >= nextArrival }
                    if !beforeLunch(row, next: next), !overlapped, let left = row.actualDeparture,
                       let start = Self.serviceStart(actualStart: row.actualStart, arrival: row.actualArrival, windows: row.timeWindows,
                                                       plannedStart: row.plannedStart, promisedStart: row.promisedStart),
                       left > start, row.serviceDuration > 0 {
                        let value = log(Double(left - start) / Double(row.serviceDuration))
                        serviceLogs.append(value)
                        byType[UncertaintySettings.jobType(row.requiredSkills), default: []].append(value)
                    }
                    previous = row
                }
                func sigma(_ xs: [Double]) -> Double? {
                    guard xs.count >= 2 else { return nil }
                    let mean = xs.reduce(0, +) / Double(xs.count)
                    return (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count - 1)).squareRoot()
                }
                func weight(_ n: Int) -> Double { Double(n) / Double(n + 30) }
                func rounded(_ x: Double) -> Double { (x * 1_000).rounded() / 1_000 }
                func shrink(_ fitted: Double?, n: Int, prior: Double) -> Double {
                    guard let fitted else { return prior }
                    return rounded(weight(n) * fitted + (1 - weight(n)) * prior)
                }
                // A tail is learnt from its rare events, not from every observation: its weight counts
                // the events the prior expects (1 in 20 of 100 visits: 5, against 10 for the prior).
                func shrink(_ fitted: HeavyTail?, n: Int, prior: HeavyTail) -> HeavyTail {
                    guard let fitted else { return prior }
                    let events = Double(n) * max(prior.share, 0.01), w = events / (events + 10)
                    // No tail seen says nothing about how long one lasts: the factor stays the prior's.
                    let factor = fitted.share > 0 ? w * fitted.factor + (1 - w) * prior.factor : prior.factor
                    return HeavyTail(share: rounded(w * fitted.share + (1 - w) * prior.share), factor: max(1, rounded(factor)))
                }
                let priors = UncertaintySettings()
                // Each leg against its route's mean (the day factor taken out), rescaled by √(n / (n − 1))
                // since a mean of n legs already absorbed part of each leg's own spread.
                var withinRoute: [Double] = [], routeMeans: [(mean: Double, n: Int)] = []
                for logs in legLogs.values where !logs.isEmpty {
                    let mean = logs.reduce(0, +) / Double(logs.count)
                    routeMeans.append((mean, logs.count))
                    guard logs.count >= 2 else { continue }
                    let scale = (Double(logs.count) / Double(logs.count - 1)).squareRoot()
                    for x in logs { withinRoute.append((x - mean) * scale) }
                }
                let legs = withinRoute.count
                let legFit = fitSpread(withinRoute, prior: priors.slowLegs)
                let serviceFit = fitSpread(serviceLogs, prior: priors.overruns)
                // The day factor: the spread of route means, less what their own legs' spread puts there.
                let legVariance = sigma(withinRoute).map { $0 * $0 } ?? 0
                let daySpread = sigma(routeMeans.map(\.mean)).map { s -> Double in
                    let ownShare = routeMeans.reduce(0) { $0 + legVariance / Double($1.n) } / Double(routeMeans.count)
                    return max(0, s * s - ownShare).squareRoot()
                }
                var after = before
                after.travelSigma = shrink(legFit?.sigma, n: legs, prior: priors.travelSigma)
                after.slowLegs = shrink(legFit?.tail, n: legs, prior: priors.slowLegs)
                after.daySigma = shrink(daySpread, n: routeMeans.count, prior: priors.daySigma)
                after.serviceSigma = shrink(serviceFit?.sigma, n: serviceLogs.count, prior: priors.serviceSigma)
                after.overruns = shrink(serviceFit?.tail, n: serviceLogs.count, prior: priors.overruns)
                after.legs = legs; after.visits = serviceLogs.count
                // Job types with enough history get their own σ, shrunk toward the region's.
                after.serviceSigmaByJobType = [:]
                for (type, logs) in byType where logs.count >= 20 {
                    after.serviceSigmaByJobType[type] = shrink(fitSpread(logs, prior: after.overruns)?.sigma, n: logs.count,
                                                               prior: after.serviceSigma)
                }
                // Hours with enough drives get their own factor against the mean drive of the other
                // hours (so what the geofence shaves off every drive cancels, and a busy rush hour does
                // not hide itself by weighing on the mean it is compared with), shrunk toward 1.
                after.travelFactorByHour = [:]
                let allDrives = byHour.values.flatMap { $0 }
                let allSum = allDrives.reduce(0, +)
                for (hour, logs) in byHour where logs.count >= 20 && allDrives.count > logs.count {
                    let sum = logs.reduce(0, +)
                    let offset = sum / Double(logs.count) - (allSum - sum) / Double(allDrives.count - logs.count)
                    after.travelFactorByHour[hour] = min(3, max(0.5, rounded(exp(weight(logs.count) * offset))))
                }
                try after.validate()
                try db.saveSetting(regionId: r.id ?? 0, key: UncertaintySettings.key,
                                   json: String(decoding: try JSONEncoder().encode(after), as: UTF8.self))
                return LearnSummary(before: before, after: after)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
