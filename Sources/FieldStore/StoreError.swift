/// Everything the store can refuse, with enough context to say which row and why.
///
/// `description` is the one line the CLI prints; it never includes phone numbers, e-mail addresses
/// or street addresses.
public enum StoreError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// Another process held the write lock for longer than the busy timeout.
    case busy(path: String, timeoutSeconds: Double)
    /// A booking status change that the lifecycle does not allow (see ``BookingStatus``).
    case illegalTransition(booking: String, from: BookingStatus, to: BookingStatus)
    /// A row named by its external id does not exist.
    case notFound(kind: String, id: String)
    /// A row with this external id exists already.
    case duplicate(kind: String, id: String)
    /// Another writer changed the day while this operation computed outside a transaction; nothing
    /// was written.
    case dayChanged(day: String, operation: String)
    /// An identifier with a NUL or another control character: refused, never cut or stored.
    case badIdentifier(field: String, value: String)
    /// A write would have broken the day's invariants (checked when ``FieldStore/checksInvariants``);
    /// it was rolled back. A bug, not bad input.
    case invariantsBroken([DayViolation])
    /// Any other SQLite failure: a bug or a damaged file, not bad input.
    case database(String)

    /// True when the caller supplied something wrong (exit code 2); false for internal failures (exit 1).
    public var isBadInput: Bool {
        switch self {
        case .illegalTransition, .notFound, .duplicate, .busy, .badIdentifier: true
        case .cannotOpen, .database, .dayChanged, .invariantsBroken: false
        }
    }

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open database \(path): \(reason)"
        case let .busy(path, timeout):
            "database \(path) is busy: another process held the write lock for more than \(timeout) s; try again"
        case let .illegalTransition(booking, from, to):
            "booking \(booking): cannot go from \(from.rawValue) to \(to.rawValue) (allowed from \(from.rawValue): "
                + (from.allowedNext.isEmpty ? "none, it is final" : from.allowedNext.map(\.rawValue).joined(separator: ", "))
                + ")"
        case let .notFound(kind, id): "no \(kind) with id \(id)"
        case let .duplicate(kind, id): "\(kind) \(id) exists already"
        case let .dayChanged(day, operation): "the day \(day) changed while \(operation); try again"
        case let .badIdentifier(field, value):
            "\(field) '\(ExternalId.printable(value))' has a control character (NUL, tab, newline…): ids are plain text"
        case let .invariantsBroken(violations):
            "the day's invariants would break, nothing written: " + violations.prefix(3).map(\.description).joined(separator: "; ")
                + (violations.count > 3 ? " (and \(violations.count - 3) more)" : "")
        case let .database(message): "database error: \(message)"
        }
    }
}
