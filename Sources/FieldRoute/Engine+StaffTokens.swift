import FieldStore
import Foundation

extension Engine {
    /// Makes a staff token for the served dispatcher pages and API (`fieldroute staff-token`): 256
    /// random bits, shown once here; only its SHA-256 is stored.
    public func makeStaffToken(label: String, now: Int64 = Int64(Date().timeIntervalSince1970)) throws(FieldRouteError) -> String {
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...80).contains(label.count) else { throw .badInput("--label must be 1–80 characters, e.g. \"dispatch desk\"") }
        let token = secretToken()
        do {
            try store.write { db in
                var record = StaffTokenRecord(tokenHash: SHA256.hex(Array(token.utf8)), label: label, createdAt: now)
                try db.insert(&record)
            }
        } catch { throw FieldRouteError(wrapping: error) }
        return token
    }

    /// The label of the staff token `token`, or nil when it is not one.
    public func staffTokenLabel(_ token: String) throws(FieldRouteError) -> String? {
        guard !token.isEmpty, token.utf8.count <= 256 else { return nil }
        do { return try store.read { db in try db.staffToken(hash: SHA256.hex(Array(token.utf8)))?.label } } catch { throw .store(error) }
    }
}
