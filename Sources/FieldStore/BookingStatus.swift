/// Where a booking stands. The lifecycle is enforced here and nowhere else:
///
///     requested → booked → confirmed → en_route → arrived → completed
///                   │          │          │          └──→ no_show
///                   │          │          └──→ arrived (ping missed the approach), no_show, cancelled
///                   └──────────┴──→ en_route, arrived, cancelled, no_show, rescheduled
///     requested → cancelled
///
/// `completed`, `cancelled`, `no_show` and `rescheduled` are final: a rescheduled visit lives on as a new
/// booking, so the old one keeps its history for the reports.
public enum BookingStatus: String, Codable, Sendable, CaseIterable {
    case requested
    case booked
    case confirmed
    case enRoute = "en_route"
    case arrived
    case completed
    case cancelled
    case noShow = "no_show"
    case rescheduled

    /// The statuses this one may move to.
    public var allowedNext: [BookingStatus] {
        switch self {
        case .requested: [.booked, .cancelled]
        case .booked, .confirmed:
            (self == .booked ? [.confirmed] : []) + [.enRoute, .arrived, .cancelled, .noShow, .rescheduled]
        case .enRoute: [.arrived, .cancelled, .noShow]
        case .arrived: [.completed, .noShow]
        case .completed, .cancelled, .noShow, .rescheduled: []
        }
    }

    /// True for the statuses nothing can follow.
    public var isFinal: Bool { allowedNext.isEmpty }

    /// True while the visit still needs a place in a route.
    public var needsVisit: Bool {
        switch self {
        case .booked, .confirmed, .enRoute, .arrived: true
        default: false
        }
    }

    /// True once the technician is on the way or has been there: such a stop is history, and no
    /// re-plan or dispatch call moves it.
    public var isDriven: Bool {
        switch self {
        case .enRoute, .arrived, .completed, .noShow: true
        default: false
        }
    }

    /// Checks one step of the lifecycle.
    /// - Throws: ``StoreError/illegalTransition(booking:from:to:)`` when the step is not allowed.
    public func checkMove(to next: BookingStatus, booking: String) throws(StoreError) {
        guard allowedNext.contains(next) else {
            throw .illegalTransition(booking: booking, from: self, to: next)
        }
    }
}
