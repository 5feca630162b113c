import FieldStore
import Foundation

/// A customer as staff see them: contact, visits and how they ended, and where the no-show policy stands.
public struct CustomerView: Sendable, Codable, Equatable {
    public struct Note: Sendable, Codable, Equatable {
        /// "blocked", "prepayment_required", "unblocked", …
        public var kind: String
        public var note: String
        /// Unix seconds, UTC.
        public var at: Int64
    }

    public var id: String
    public var name: String
    public var phone: String?
    public var email: String?
    public var preferredChannel: String
    /// Every visit, by day.
    public var visits: [BookingView]
    /// No-shows ever, and within the policy's window ending now.
    public var noShows: Int
    public var noShowsInWindow: Int
    /// The region's rule, e.g. "2 no-shows within 180 days: prepay".
    public var policy: String
    /// "ok", "must prepay" or "blocked (…)", and how close to the rule ("1 more no-show within 180 days: prepay").
    public var policyState: String
    public var blocked: Bool
    public var prepaymentRequired: Bool
    public var notes: [Note]
}

extension Bookings {
    /// The customer `externalId` with their visits, outcomes, no-shows within the region's policy
    /// window ending at `now`, and their policy state.
    public func customer(_ externalId: String, region: String? = nil,
                         now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> CustomerView {
        do {
            return try store.snapshot { db in
                guard let c = try db.customer(externalId: externalId), let id = c.id else {
                    throw FieldRouteError.badInput("unknown customer '\(externalId)'")
                }
                let regionId = try Engine.region(named: region, db).id ?? 0
                let policy = try Engine.setting(NoShowPolicy.self, regionId: regionId, db)
                let recent = try db.noShows(customerId: id, since: now - Int64(policy.windowDays) * 86_400)
                let rule = "\(policy.threshold) no-shows within \(policy.windowDays) days: \(policy.action.rawValue)"
                let state: String
                if c.blocked {
                    state = "blocked (\(c.blockedReason ?? "no-show policy"))"
                } else if c.prepaymentRequired {
                    state = "must prepay"
                } else if policy.action == .none {
                    state = "ok (the policy takes no action)"
                } else {
                    let left = max(1, policy.threshold - recent)
                    state = "ok: \(left) more no-show\(left == 1 ? "" : "s") within \(policy.windowDays) days: \(policy.action.rawValue)"
                }
                return CustomerView(
                    id: c.externalId, name: c.name, phone: c.phone, email: c.email, preferredChannel: c.preferredChannel.rawValue,
                    visits: try Self.views(try db.bookings(customerId: id), db), noShows: c.noShowCount, noShowsInWindow: recent,
                    policy: rule, policyState: state, blocked: c.blocked, prepaymentRequired: c.prepaymentRequired,
                    notes: try db.notes(customerId: id).map { CustomerView.Note(kind: $0.kind, note: $0.note, at: $0.at) })
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
