/// What the detector reports.
public enum FenceEventKind: String, Sendable, Codable, CaseIterable {
    /// The technician came inside the fence's inner boundary.
    case enter
    /// Stayed inside for the minimum dwell: "arrived". Its timestamp is the entry time.
    case dwell
    /// Left through the outer boundary after being inside.
    case exit
    /// Came into an approach zone (and stayed the enter confirmation): the stop is near.
    /// Its timestamp is the entry time.
    case approach
}

/// One event, emitted once.
public struct FenceEvent: Sendable, Equatable, Codable {
    public var fence: String
    public var kind: FenceEventKind
    /// Unix seconds, UTC: when it happened (for `dwell`, when the stay began).
    public var timestamp: Int64
    public var position: GeoPoint
    /// Time of the ping that revealed it (≥ `timestamp`): the detection delay is the difference.
    public var detectedAt: Int64
}

/// Thresholds of the detector. The hysteresis margin belongs to the ``FenceSet``.
public struct DetectorSettings: Sendable, Equatable, Codable {
    /// Pings less accurate than this (metres) are ignored.
    public var maxAccuracy: Double = 75
    /// A ping implying a faster move from the last accepted one (m/s) is an outlier and ignored.
    public var maxSpeed: Double = 70
    /// Seconds inside before a stay counts (`enter`): a drive-by through a fence emits nothing.
    public var enterConfirmation: Int64 = 45
    /// Seconds inside before `dwell` ("arrived").
    public var minDwell: Int64 = 60
    /// Seconds beyond the exit boundary before `exit`, so one stray fix does not end a stay.
    public var exitConfirmation: Int64 = 20
    /// Standing still inside a site fence this long (every fix within `stillRadius` metres of where the
    /// stillness began) is an arrival at once, without waiting for `minDwell`: a 30-second delivery
    /// is seen while it happens. Moving traffic is never still; 0 turns the rule off.
    public var stillDwell: Int64 = 20
    public var stillRadius: Double = 12

    public init() {}
}

/// Per technician and fence: where the detector believes the technician is.
public struct FenceMembership: Sendable, Equatable, Codable {
    /// First ping of the current stay inside the enter boundary.
    public var enteredAt: Int64?
    /// The stay lasted `enterConfirmation` and `enter` was emitted.
    public var confirmed: Bool = false
    public var dwellEmitted: Bool = false
    /// First ping beyond the exit boundary during a confirmed stay.
    public var outsideSince: Int64?
    /// Where and since when the technician has stood still inside (nil in states saved before).
    public var stillAt: GeoPoint?
    public var stillSince: Int64?
}

/// Everything the detector must remember between pings; persisted with the events so a restart
/// continues exactly where it stopped.
public struct DetectorState: Sendable, Equatable, Codable {
    public var lastTimestamp: Int64?
    public var lastPosition: GeoPoint?
    /// By fence id.
    public var memberships: [String: FenceMembership] = [:]
    public init() {}
}

/// A streaming enter / dwell / exit / approach detector for one technician over a ``FenceSet``.
///
///     var detector = FenceDetector(fences: fences, state: saved)
///     for ping in pings { events += detector.process(ping) }
///     save(detector.state)
///
/// A stay begins at the first ping inside a fence and counts once the technician has stayed within
/// the exit boundary (the fence grown by the set's margin) for `enterConfirmation` seconds; it ends
/// only after `exitConfirmation` seconds beyond the exit boundary. So GPS jitter around a boundary
/// neither flaps nor repeats events, and a drive-by emits nothing. Pings that are inaccurate, imply
/// an impossible speed, or are not newer than the last accepted one change nothing: duplicates and
/// out-of-order pings are harmless and each event is emitted once.
public struct FenceDetector {
    public let fences: FenceSet
    public let settings: DetectorSettings
    /// The technician this detector follows: fences owned by someone else are invisible to it.
    public let technician: String?
    public private(set) var state: DetectorState

    public init(fences: FenceSet, settings: DetectorSettings = DetectorSettings(), state: DetectorState = DetectorState(),
                technician: String? = nil) {
        self.fences = fences; self.settings = settings; self.state = state; self.technician = technician
    }

    /// Feeds one ping; returns the events it causes, oldest first.
    public mutating func process(_ ping: Ping) -> [FenceEvent] {
        guard ping.position.isValid, Ping.representableTimestamps.contains(ping.timestamp) else { return [] }
        if let accuracy = ping.accuracy, !(accuracy <= settings.maxAccuracy) { return [] }
        if let last = state.lastTimestamp, ping.timestamp <= last { return [] }
        if let last = state.lastTimestamp, let from = state.lastPosition,
           from.metres(to: ping.position) > settings.maxSpeed * Double(ping.timestamp - last) { return [] }
        state.lastTimestamp = ping.timestamp
        state.lastPosition = ping.position
        let p = ping.position, t = ping.timestamp
        var events: [FenceEvent] = []
        // Fences near the ping, plus every fence with an open stay (it may have to end).
        var candidates = fences.near(p)
        for id in state.memberships.keys { if let k = fences.index(of: id), !candidates.contains(k) { candidates.append(k) } }
        candidates.sort()
        // Of the exclusive fences the ping is inside, only the nearest may begin a stay.
        var nearestExclusive = -1, nearestDistance = Double.infinity
        for k in candidates where fences.fences[k].exclusive && fences.contains(k, p) {
            if let owner = fences.fences[k].owner, let technician, owner != technician { continue }
            let d = fences.centreDistance(k, p)
            if d < nearestDistance { nearestDistance = d; nearestExclusive = k }
        }
        for k in candidates {
            let fence = fences.fences[k]
            if let owner = fence.owner, let technician, owner != technician { continue }
            let id = fence.id, isApproach = fence.role == .approach
            var m = state.memberships[id] ?? FenceMembership()
            if let entered = m.enteredAt {
                if fences.contains(k, p, outer: true) {
                    m.outsideSince = nil
                    // Stillness, inside the fence itself: the anchor moves whenever a fix leaves it.
                    if let at = m.stillAt, at.metres(to: p) <= settings.stillRadius, fences.contains(k, p) {
                        // still: keep the anchor and its start
                    } else if fences.contains(k, p) {
                        m.stillAt = p; m.stillSince = t
                    } else {
                        m.stillAt = nil; m.stillSince = nil
                    }
                    let still = !isApproach && fence.exclusive && settings.stillDwell > 0
                        && m.stillSince.map { t - $0 >= settings.stillDwell } == true
                    if !m.confirmed, t - entered >= settings.enterConfirmation || still {
                        m.confirmed = true
                        events.append(FenceEvent(fence: id, kind: isApproach ? .approach : .enter, timestamp: entered,
                                                 position: p, detectedAt: t))
                    }
                    if !isApproach, m.confirmed, !m.dwellEmitted, t - entered >= settings.minDwell || still {
                        m.dwellEmitted = true
                        events.append(FenceEvent(fence: id, kind: .dwell, timestamp: entered, position: p, detectedAt: t))
                    }
                } else if !m.confirmed {
                    m = FenceMembership()  // passed through: nothing happened
                } else {
                    let out = m.outsideSince ?? t
                    m.outsideSince = out
                    if t - out >= settings.exitConfirmation {
                        if !isApproach {
                            events.append(FenceEvent(fence: id, kind: .exit, timestamp: out, position: p, detectedAt: t))
                        }
                        m = FenceMembership()
                    }
                }
            } else if (!fence.exclusive || k == nearestExclusive) && fences.contains(k, p) {
                m.enteredAt = t
                m.stillAt = p; m.stillSince = t
                if settings.enterConfirmation <= 0 {
                    m.confirmed = true
                    events.append(FenceEvent(fence: id, kind: isApproach ? .approach : .enter, timestamp: t, position: p, detectedAt: t))
                }
            }
            state.memberships[id] = m == FenceMembership() ? nil : m
        }
        return events
    }
}
