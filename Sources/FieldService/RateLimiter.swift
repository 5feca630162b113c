import Foundation
import Synchronization

/// Requests per key (a link token) in a sliding minute: each key may make `perMinute` requests, the
/// next is refused until the oldest is a minute old. Keys unseen for a minute are forgotten.
final class RateLimiter: Sendable {
    let perMinute: Int
    private let seen = Mutex<[String: [Int64]]>([:])

    init(perMinute: Int) { self.perMinute = perMinute }

    /// True when `key` may make a request at `now` (Unix seconds); the request is then counted.
    func allow(_ key: String, now: Int64) -> Bool {
        seen.withLock { seen in
            if seen.count > 10_000 { seen = seen.filter { ($0.value.last ?? 0) > now - 60 } }
            var times = (seen[key] ?? []).filter { $0 > now - 60 }
            guard times.count < perMinute else { seen[key] = times; return false }
            times.append(now)
            seen[key] = times
            return true
        }
    }
}
