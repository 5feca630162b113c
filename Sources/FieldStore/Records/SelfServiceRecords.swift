import GRDB

/// A self-service link's token, stored only as its SHA-256 (hex): the token itself is shown once.
public struct BookingTokenRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var bookingId: Int64
    public var tokenHash: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(id: Int64? = nil, bookingId: Int64, tokenHash: String, createdAt: Int64, expiresAt: Int64) {
        self.id = id; self.bookingId = bookingId; self.tokenHash = tokenHash; self.createdAt = createdAt; self.expiresAt = expiresAt
    }
}

extension BookingTokenRecord: StoredRecord {
    public static let databaseTableName = "bookingToken"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A staff member's key to the served dispatcher pages and API (`fieldroute staff-token`): only its
/// SHA-256 is stored.
public struct StaffTokenRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var tokenHash: String
    /// Who or what it was made for, e.g. "dispatch desk".
    public var label: String
    public var createdAt: Int64

    public init(id: Int64? = nil, tokenHash: String, label: String, createdAt: Int64) {
        self.id = id; self.tokenHash = tokenHash; self.label = label; self.createdAt = createdAt
    }
}

extension StaffTokenRecord: StoredRecord {
    public static let databaseTableName = "staffToken"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A change a technician must know about at once (a visit cancelled or moved), for the field app.
public struct TechnicianMessageRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var technicianId: Int64
    public var bookingId: Int64?
    public var body: String
    public var createdAt: Int64
    public var dedupeKey: String

    public init(id: Int64? = nil, technicianId: Int64, bookingId: Int64?, body: String, createdAt: Int64, dedupeKey: String) {
        self.id = id; self.technicianId = technicianId; self.bookingId = bookingId; self.body = body
        self.createdAt = createdAt; self.dedupeKey = dedupeKey
    }
}

extension TechnicianMessageRecord: StoredRecord {
    public static let databaseTableName = "technicianMessage"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Staff's note on a customer (why a block was lifted, …).
public struct CustomerNoteRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var customerId: Int64
    /// "blocked", "unblocked", "prepayment_required", …
    public var kind: String
    public var note: String
    public var at: Int64

    public init(id: Int64? = nil, customerId: Int64, kind: String, note: String, at: Int64) {
        self.id = id; self.customerId = customerId; self.kind = kind; self.note = note; self.at = at
    }
}

extension CustomerNoteRecord: StoredRecord {
    public static let databaseTableName = "customerNote"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A stop's window as estimated at one horizon (night before, start of day, an hour before, en route).
public struct WindowEstimateRecord: Codable, Sendable, Equatable {
    public var bookingId: Int64
    public var horizon: String
    public var start: Int64
    public var end: Int64
    /// When it was estimated.
    public var at: Int64

    public init(bookingId: Int64, horizon: String, start: Int64, end: Int64, at: Int64) {
        self.bookingId = bookingId; self.horizon = horizon; self.start = start; self.end = end; self.at = at
    }
}

extension WindowEstimateRecord: StoredRecord, PersistableRecord {
    public static let databaseTableName = "windowEstimate"
}

/// A told window that moved, and why ("running late", "running early"): never silent.
public struct WindowChangeRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var bookingId: Int64
    public var oldStart: Int64
    public var oldEnd: Int64
    public var newStart: Int64
    public var newEnd: Int64
    public var reason: String
    public var at: Int64

    public init(id: Int64? = nil, bookingId: Int64, oldStart: Int64, oldEnd: Int64, newStart: Int64, newEnd: Int64, reason: String, at: Int64) {
        self.id = id; self.bookingId = bookingId; self.oldStart = oldStart; self.oldEnd = oldEnd; self.newStart = newStart
        self.newEnd = newEnd; self.reason = reason; self.at = at
    }
}

extension WindowChangeRecord: StoredRecord {
    public static let databaseTableName = "windowChange"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Where a hold on a slot stands.
public enum SlotHoldStatus: String, Codable, Sendable, CaseIterable {
    /// Keeping the slot from others until `expiresAt`.
    case open
    /// Taken: the customer booked it (a hold) or accepted it (an offer).
    case taken
    /// Let go before it expired (declined, or released by staff).
    case released
    /// Past `expiresAt` without being taken: never honoured.
    case expired
}

/// A slot kept for one customer for a few minutes: a hold while they decide (`fieldroute hold`), or
/// an offer of a slot to an existing booking (`fieldroute offer`, then `bookingId` is set). While
/// open, no one else is promised room the holder would need.
public struct SlotHoldRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var regionId: Int64
    public var customerId: Int64
    /// The booking an offer would move; nil for a plain hold.
    public var bookingId: Int64?
    /// The slot id as `slots` offers it ("2026-11-25T10:00-12:00") and its window, Unix seconds.
    public var slot: String
    public var day: String
    public var windowStart: Int64
    public var windowEnd: Int64
    public var lat: Double
    public var lon: Double
    /// Seconds on site.
    public var serviceDuration: Int64
    public var requiredSkills: [String]
    public var note: String?
    public var createdAt: Int64
    public var expiresAt: Int64
    public var status: SlotHoldStatus

    public init(id: Int64? = nil, regionId: Int64, customerId: Int64, bookingId: Int64? = nil, slot: String, day: String,
                windowStart: Int64, windowEnd: Int64, lat: Double, lon: Double, serviceDuration: Int64, requiredSkills: [String],
                note: String? = nil, createdAt: Int64, expiresAt: Int64, status: SlotHoldStatus = .open) {
        self.id = id; self.regionId = regionId; self.customerId = customerId; self.bookingId = bookingId; self.slot = slot
        self.day = day; self.windowStart = windowStart; self.windowEnd = windowEnd; self.lat = lat; self.lon = lon
        self.serviceDuration = serviceDuration; self.requiredSkills = requiredSkills; self.note = note
        self.createdAt = createdAt; self.expiresAt = expiresAt; self.status = status
    }
}

extension SlotHoldRecord: StoredRecord {
    public static let databaseTableName = "slotHold"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
