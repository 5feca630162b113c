/// The window told to a customer must hold the visit's planned start once the technician has waited
/// for it to open (a day invariant). Where dispatch places a new visit, or forces a move, later than
/// the window the model gives, the told window is widened to hold it rather than promise a time the
/// plan does not keep, but never past the window the customer booked.
enum ToldWindow {
    /// `window` widened on 5-minute edges just enough to hold `start` (Unix seconds), and kept inside
    /// `allowed`, the booked window `start` lies in.
    static func holding(_ start: Int64, _ window: (start: Int64, end: Int64), inside allowed: (start: Int64, end: Int64))
        -> (start: Int64, end: Int64) {
        var out = window
        let below = ((start % 300) + 300) % 300
        if start < out.start { out.start = start - below }
        if start > out.end { out.end = below == 0 ? start : start + 300 - below }
        return (max(out.start, allowed.start), min(out.end, allowed.end))
    }
}
