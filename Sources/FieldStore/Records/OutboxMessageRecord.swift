import GRDB

/// Where a queued message stands.
public enum OutboxStatus: String, Codable, Sendable, CaseIterable {
    case pending, sent, failed, withdrawn
}

/// A message waiting for whatever sends SMS and e-mail. Unique on `dedupeKey`: queuing the same
/// reminder twice is a no-op, so a re-run never sends twice.
public struct OutboxMessageRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var channel: Channel
    public var recipient: String
    public var template: String
    public var body: String
    /// Unix seconds, UTC.
    public var dueAt: Int64
    public var dedupeKey: String
    public var status: OutboxStatus
    public var attempts: Int
    public var bookingId: Int64?
    /// The failure the sender reported last ("sms: number not reachable").
    public var lastError: String?
    /// Why it was withdrawn ("cancelled", "the visit began before it was handed out").
    public var withdrawnReason: String?

    public init(id: Int64? = nil, channel: Channel, recipient: String, template: String, body: String, dueAt: Int64,
                dedupeKey: String, status: OutboxStatus = .pending, attempts: Int = 0, bookingId: Int64? = nil,
                lastError: String? = nil, withdrawnReason: String? = nil) {
        self.id = id; self.channel = channel; self.recipient = recipient; self.template = template; self.body = body
        self.dueAt = dueAt; self.dedupeKey = dedupeKey; self.status = status; self.attempts = attempts
        self.bookingId = bookingId; self.lastError = lastError; self.withdrawnReason = withdrawnReason
    }
}

extension OutboxMessageRecord: StoredRecord {
    public static let databaseTableName = "outbox"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A named setting of a region (booking rules, reminder rules, templates, no-show policy), as JSON text.
public struct SettingRecord: Codable, Sendable, Equatable {
    public var regionId: Int64
    public var key: String
    public var value: String

    public init(regionId: Int64, key: String, value: String) {
        self.regionId = regionId; self.key = key; self.value = value
    }
}

extension SettingRecord: StoredRecord, PersistableRecord {
    public static let databaseTableName = "setting"
}

extension OutboxMessageRecord {
    /// The dedupe key of the message telling a customer their window moved to `start`–`end` (Unix
    /// seconds): one per new window, so a change is told once (the day's rule 8 looks for it).
    public static func windowChangedKey(booking: String, start: Int64, end: Int64) -> String {
        "window_changed:\(booking):\(start)-\(end)"
    }
}
