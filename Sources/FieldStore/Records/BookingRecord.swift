import GRDB

/// An interval of Unix seconds, UTC, `start` ≤ `end`.
public struct TimeWindow: Codable, Sendable, Equatable, Hashable {
    public var start: Int64
    public var end: Int64
    public init(start: Int64, end: Int64) { self.start = start; self.end = end }
}

/// Whether, and how, a visit was paid for in advance.
public enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    case none, deposit, prepaid, voucher
}

/// What finally happened at a visit.
public enum VisitOutcome: String, Codable, Sendable, CaseIterable {
    case completed
    case noShow = "no_show"
    case cancelledLate = "cancelled_late"
}

/// A booked visit at a customer's site.
public struct BookingRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var externalId: String
    public var customerId: Int64
    public var regionId: Int64
    public var lat: Double
    public var lon: Double
    public var address: String
    /// Seconds on site.
    public var serviceDuration: Int64
    public var requiredSkills: [String]
    /// Local calendar day of the visit, "yyyy-mm-dd".
    public var day: String
    /// When the technician may start, any one of these; Unix seconds, UTC.
    public var timeWindows: [TimeWindow]
    /// Larger is more important; the planner drops low priorities first.
    public var priority: Int
    public var pinnedTechnicianId: Int64?
    public var paymentStatus: PaymentStatus
    public var status: BookingStatus
    public var createdAt: Int64
    public var changedAt: Int64
    public var cancelledAt: Int64?
    public var cancellationReason: String?
    /// Seconds between the cancellation and the start of the first allowed window.
    public var cancellationLeadTime: Int64?
    public var outcome: VisitOutcome?
    /// Metres of the circle around the site that counts as "there"; nil takes the region's setting.
    public var siteRadius: Double?

    public init(id: Int64? = nil, externalId: String, customerId: Int64, regionId: Int64, lat: Double, lon: Double,
                address: String, serviceDuration: Int64, requiredSkills: [String], day: String,
                timeWindows: [TimeWindow], priority: Int = 1, pinnedTechnicianId: Int64? = nil,
                paymentStatus: PaymentStatus = .none, status: BookingStatus = .booked, createdAt: Int64,
                changedAt: Int64? = nil, cancelledAt: Int64? = nil, cancellationReason: String? = nil,
                cancellationLeadTime: Int64? = nil, outcome: VisitOutcome? = nil, siteRadius: Double? = nil) {
        self.id = id; self.externalId = externalId; self.customerId = customerId; self.regionId = regionId
        self.lat = lat; self.lon = lon; self.address = address; self.serviceDuration = serviceDuration
        self.requiredSkills = requiredSkills; self.day = day; self.timeWindows = timeWindows
        self.priority = priority; self.pinnedTechnicianId = pinnedTechnicianId; self.paymentStatus = paymentStatus
        self.status = status; self.createdAt = createdAt; self.changedAt = changedAt ?? createdAt
        self.cancelledAt = cancelledAt; self.cancellationReason = cancellationReason
        self.cancellationLeadTime = cancellationLeadTime; self.outcome = outcome; self.siteRadius = siteRadius
    }
}

extension BookingRecord: StoredRecord {
    public static let databaseTableName = "booking"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One step of a booking's lifecycle, kept for the reports (nothing a report needs is deleted).
public struct BookingStatusChangeRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var bookingId: Int64
    public var fromStatus: BookingStatus
    public var toStatus: BookingStatus
    /// Unix seconds, UTC.
    public var at: Int64
    public var reason: String?

    public init(id: Int64? = nil, bookingId: Int64, fromStatus: BookingStatus, toStatus: BookingStatus, at: Int64,
                reason: String? = nil) {
        self.id = id; self.bookingId = bookingId; self.fromStatus = fromStatus; self.toStatus = toStatus
        self.at = at; self.reason = reason
    }
}

extension BookingStatusChangeRecord: StoredRecord {
    public static let databaseTableName = "bookingStatusChange"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
