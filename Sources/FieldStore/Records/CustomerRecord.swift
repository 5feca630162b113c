import GRDB

/// How a customer wants to be reached.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case sms, email
}

/// A customer, with the no-show history the booking policy reads.
public struct CustomerRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var externalId: String
    public var name: String
    public var phone: String?
    public var email: String?
    public var preferredChannel: Channel
    public var noShowCount: Int
    public var blocked: Bool
    public var blockedReason: String?
    public var prepaymentRequired: Bool

    public init(id: Int64? = nil, externalId: String, name: String, phone: String? = nil, email: String? = nil,
                preferredChannel: Channel = .sms, noShowCount: Int = 0, blocked: Bool = false,
                blockedReason: String? = nil, prepaymentRequired: Bool = false) {
        self.id = id; self.externalId = externalId; self.name = name; self.phone = phone; self.email = email
        self.preferredChannel = preferredChannel; self.noShowCount = noShowCount; self.blocked = blocked
        self.blockedReason = blockedReason; self.prepaymentRequired = prepaymentRequired
    }
}

extension CustomerRecord: StoredRecord {
    public static let databaseTableName = "customer"
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
