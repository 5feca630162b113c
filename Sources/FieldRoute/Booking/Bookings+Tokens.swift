import FieldStore
import Foundation

/// What a self-service link may do.
public enum SelfServiceAction: String, Sendable, Codable, CaseIterable {
    case confirm, cancel, reschedule
    /// Accept the booking's open offer of another slot.
    case accept
}

/// Who asks for a change: staff (library, CLI) or the customer through a link's token, which
/// authorises only its own booking's actions and only until it expires.
public enum Requester: Sendable, Equatable {
    case staff
    case customer(token: String)
}

extension Bookings {
    /// Makes an unguessable link token for a booking (256 random bits, URL-safe base64), valid for
    /// `hours` (default until a day after the visit). Only its SHA-256 is stored: the token is shown
    /// once, here.
    public func link(booking externalId: String, validHours: Int? = nil, now: Int64 = Int64(Date().timeIntervalSince1970))
        throws(FieldRouteError) -> (token: String, expiresAt: Int64) {
        if let validHours, !(1...24 * 90).contains(validHours) { throw .badInput("--valid-hours must be 1–2160") }
        do {
            return try store.write { db in
                let booking = try db.booking(externalId: externalId)
                return try Self.makeToken(for: booking, validHours: validHours, now: now, db)
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }

    static func makeToken(for booking: BookingRecord, validHours: Int? = nil, now: Int64, _ db: StoreTransaction) throws -> (token: String, expiresAt: Int64) {
        let token = secretToken()
        let visitEnd = booking.timeWindows.map(\.end).max() ?? now
        let expires = validHours.map { now + Int64($0) * 3_600 } ?? max(now + 3_600, visitEnd + 86_400)
        var record = BookingTokenRecord(bookingId: booking.id ?? 0, tokenHash: SHA256.hex(Array(token.utf8)), createdAt: now,
                                        expiresAt: expires)
        try db.insert(&record)
        return (token, expires)
    }

    /// Checks that `requester` may act on `booking` at `now`: staff always; a customer's token only
    /// for its own booking and before it expires.
    static func authorize(_ requester: Requester, booking: BookingRecord, now: Int64, _ db: StoreTransaction) throws {
        guard case let .customer(token) = requester else { return }
        guard let record = try db.token(hash: SHA256.hex(Array(token.utf8))),
              record.bookingId == booking.id else {
            throw FieldRouteError.badInput("this link does not give access to booking \(booking.externalId)")
        }
        guard now < record.expiresAt else { throw FieldRouteError.badInput("this link expired; ask for a new one") }
    }

    /// The booking a customer's link token opens, checked as ``authorize(_:booking:now:_:)`` checks it.
    static func booking(token: String, now: Int64, _ db: StoreTransaction) throws -> BookingRecord {
        guard let record = try db.token(hash: SHA256.hex(Array(token.utf8))), let booking = try db.booking(id: record.bookingId) else {
            throw FieldRouteError.badInput("this link is not known; ask for a new one")
        }
        guard now < record.expiresAt else { throw FieldRouteError.badInput("this link expired; ask for a new one") }
        return booking
    }
}

/// 256 random bits as URL-safe base64 without padding: a link token, a staff token.
func secretToken() -> String {
    var rng = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
    return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
}
