import FieldStore

/// A message a technician was sent (a visit cancelled or moved, a change to their day).
public struct TechnicianMessageView: Sendable, Codable, Equatable {
    public var technician: String
    public var booking: String?
    public var body: String
    /// Unix seconds, UTC.
    public var at: Int64
}

extension Messages {
    /// What technician `technician` (external id) has been told since `since` (Unix seconds; default
    /// everything), oldest first.
    ///
    ///     for m in try engine.messages.technicianMessages(technician: "T-03") { print(m.at, m.body) }
    public func technicianMessages(technician: String, since: Int64 = .min) throws(FieldRouteError) -> [TechnicianMessageView] {
        do {
            return try store.read { db in
                guard let tech = try db.technician(externalId: technician), let id = tech.id else {
                    throw StoreError.notFound(kind: "technician", id: technician)
                }
                return try db.technicianMessages(technicianId: id, since: since).map {
                    TechnicianMessageView(technician: technician, booking: $0.booking, body: $0.message.body, at: $0.message.createdAt)
                }
            }
        } catch { throw FieldRouteError(wrapping: error) }
    }
}
