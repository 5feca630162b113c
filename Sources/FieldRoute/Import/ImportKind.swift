/// What an import file holds. Columns (CSV header or JSON keys), `*` required:
///
/// - `technicians`: id*, name*, start_lat*, start_lon*, end_lat, end_lon, skills, region
/// - `shifts`: technician*, date*, start*, end*, break_start, break_end, break_minutes
/// - `customers`: id*, name*, phone, email, channel
/// - `bookings`: id*, customer*, date*, lat*, lon*, duration_min*, windows*, address, skills, priority,
///   technician, payment, status, site_radius_m
///
/// Lists (skills, windows) are `;`-separated in CSV and may be arrays in JSON. Times are local to the
/// region: "HH:MM" on the row's date, or "yyyy-mm-ddTHH:MM"; windows are "HH:MM-HH:MM".
public enum ImportKind: String, CaseIterable, Sendable {
    case technicians, shifts, customers, bookings

    var requiredColumns: [String] {
        switch self {
        case .technicians: ["id", "name", "start_lat", "start_lon"]
        case .shifts: ["technician", "date", "start", "end"]
        case .customers: ["id", "name"]
        case .bookings: ["id", "customer", "date", "lat", "lon", "duration_min", "windows"]
        }
    }

    var optionalColumns: [String] {
        switch self {
        case .technicians: ["end_lat", "end_lon", "skills", "region"]
        case .shifts: ["break_start", "break_end", "break_minutes"]
        case .customers: ["phone", "email", "channel"]
        case .bookings: ["address", "skills", "priority", "technician", "payment", "status", "region", "site_radius_m"]
        }
    }
}

/// What an import wrote.
public struct ImportSummary: Sendable, Equatable {
    public var kind: ImportKind
    public var file: String
    public var rows: Int

    public init(kind: ImportKind, file: String, rows: Int) { self.kind = kind; self.file = file; self.rows = rows }
}
