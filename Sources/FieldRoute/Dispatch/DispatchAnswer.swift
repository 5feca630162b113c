/// What a dispatcher call did or would do (`fieldroute dispatch` writes it as JSON, snake_case keys).
public struct DispatchAnswer: Sendable, Codable, Equatable {
    /// One place an inserted job could go.
    public struct Option: Sendable, Codable, Equatable {
        public var technician: String
        /// 1-based place among the technician's remaining stops.
        public var position: Int
        public var after: String?
        public var before: String?
        /// Minutes of driving the day gains (negative: saves).
        public var extraDriveMinutes: Double
        /// Planned start, local "HH:MM".
        public var start: String
        /// Bookings whose told window this option breaks (only with `may_break_promises`).
        public var breaksWindows: [String]
    }

    public struct Stop: Sendable, Codable, Equatable {
        public var booking: String
        public var plannedStart: String
        public var promised: String?
    }

    /// A technician's remaining stops after the change.
    public struct Route: Sendable, Codable, Equatable {
        public var technician: String
        public var stops: [Stop]
    }

    /// A window told to a customer that moved.
    public struct WindowChange: Sendable, Codable, Equatable {
        public var booking: String
        public var old: String
        public var new: String
        /// "running late" or "running early".
        public var reason: String
    }

    /// A later customer of the same route who could now be offered an earlier visit.
    public struct EarlierOffer: Sendable, Codable, Equatable {
        public var booking: String
        public var promised: String?
        /// Local "HH:MM" the technician could now start.
        public var couldStart: String
        public var minutesEarlier: Int
    }

    public struct Unplaced: Sendable, Codable, Equatable {
        public var booking: String
        public var reason: String
    }

    public var ok = true
    public var op: String
    public var committed: Bool
    public var booking: String?
    public var options: [Option]?
    public var chosen: Option?
    public var changedRoutes: [Route] = []
    public var changedWindows: [WindowChange] = []
    public var unplaced: [Unplaced]?
    public var earlierOffers: [EarlierOffer]?
    /// `move_job`: every rule the forced route breaks, in words.
    public var consequences: [String]?
    /// Change of the day's remaining driving, minutes.
    public var driveMinutesDelta: Double?
    /// Why the call changed less than asked (a `reoptimize` that kept the day as it was).
    public var note: String?

    init(op: DispatchRequest.Operation, committed: Bool) { self.op = op.rawValue; self.committed = committed }
}

/// A dispatcher call that was understood but cannot be done (`ok: false`, exit code 3): the urgent
/// job fits nowhere, the booking is already driven, … `whyNot` says per technician what stands in the way.
public struct DispatchRefusal: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public struct Reason: Sendable, Codable, Equatable {
        public var technician: String
        public var reason: String
    }

    public var code: String
    public var message: String
    public var whyNot: [Reason]

    public var description: String { message }
}
