import Foundation
import RouteSolver

/// The built-in demo region: Lyon, 8 technicians, about 120 bookings on one day, generated
/// deterministically from a seed, as the CSV files the importer reads (also in `Fixtures/demo`).
///
///     let demo = DemoRegion.generate()
///     demo.files["bookings.csv"]  // CSV text
public struct DemoRegion: Sendable, Equatable {
    public static let regionName = "lyon"
    public static let timeZone = "Europe/Paris"
    /// Part-Dieu, Lyon.
    public static let depot = (lat: 45.7606, lon: 4.8593)
    public static let day = "2026-11-24"
    public static let fileOrder: [(ImportKind, String)] = [
        (.technicians, "technicians.csv"), (.shifts, "shifts.csv"), (.customers, "customers.csv"), (.bookings, "bookings.csv"),
    ]

    /// File name → CSV text.
    public var files: [String: String]

    public static func generate(seed: UInt64 = 20_261_124, technicians: Int = 8, bookings: Int = 120) -> DemoRegion {
        var rng = SeededGenerator(seed: seed)
        let skills = ["plumbing", "heating", "electric", "gas"]
        func around(_ km: Double) -> (Double, Double) {
            // Uniform in a disc of radius `km` around the depot; 1° lat ≈ 111.2 km.
            let r = km * rng.unit().squareRoot(), a = 2 * Double.pi * rng.unit()
            let lat = depot.lat + r * cos(a) / 111.2
            let lon = depot.lon + r * sin(a) / (111.2 * cos(depot.lat * .pi / 180))
            return ((lat * 1e5).rounded() / 1e5, (lon * 1e5).rounded() / 1e5)
        }
        let first = ["Camille", "Louis", "Chloé", "Hugo", "Léa", "Jules", "Manon", "Arthur", "Inès", "Lucas",
                     "Sarah", "Nathan", "Emma", "Théo", "Zoé", "Paul"]
        let last = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
                    "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Roux"]
        let streets = ["rue de la République", "cours Lafayette", "avenue Jean Jaurès", "rue Garibaldi",
                       "boulevard des Belges", "rue Paul Bert", "cours Gambetta", "rue de Marseille", "quai Perrache",
                       "avenue Berthelot"]
        var tech = "id,name,start_lat,start_lon,end_lat,end_lon,skills\n"
        var shifts = "technician,date,start,end,break_start,break_end,break_minutes\n"
        for t in 1...technicians {
            let id = String(format: "T-%02d", t)
            let (lat, lon) = around(5)
            var own = skills.filter { _ in rng.unit() < 0.55 }
            if own.count < 2 { own = [skills[t % 4], skills[(t + 1) % 4]] }
            tech += "\(id),\(first[rng.below(first.count)]) \(last[rng.below(last.count)]),\(lat),\(lon),\(lat),\(lon),\(own.joined(separator: ";"))\n"
            let start = ["07:30", "08:00", "08:00", "08:30"][rng.below(4)]
            let end = ["16:30", "17:00", "17:30", "18:00"][rng.below(4)]
            shifts += "\(id),\(day),\(start),\(end),12:00,13:30,30\n"
        }
        var customers = "id,name,phone,email,channel\n"
        var lines = "id,customer,date,lat,lon,address,duration_min,windows,skills,priority\n"
        for b in 1...bookings {
            let customer = "C-\(1000 + b)"
            let name = "\(first[rng.below(first.count)]) \(last[rng.below(last.count)])"
            let phone = String(format: "+33 6 %02d %02d %02d %02d", rng.below(100), rng.below(100), rng.below(100), rng.below(100))
            let wantsMail = rng.unit() < 0.3
            customers += "\(customer),\(name),\(phone),\(name.lowercased().replacingOccurrences(of: " ", with: ".").folding(options: .diacriticInsensitive, locale: nil))@example.org,\(wantsMail ? "email" : "sms")\n"
            let (lat, lon) = around(6)
            let address = "\(1 + rng.below(180)) \(streets[rng.below(streets.count)]), Lyon"
            let duration = [10, 15, 15, 20, 20, 25, 30, 40][rng.below(8)]
            let width = [1, 2, 2, 2, 3, 4][rng.below(6)]
            let startHour = 8 + rng.below(17 - width - 8 + 1)
            var windows = String(format: "%02d:00-%02d:00", startHour, startHour + width)
            if rng.unit() < 0.08, startHour + width <= 12 {
                windows += ";14:00-16:00"
            }
            let skill = skills[rng.below(skills.count)]
            let priority = rng.unit() < 0.1 ? 3 : 1
            lines += "B-\(2000 + b),\(customer),\(day),\(lat),\(lon),\"\(address)\",\(duration),\(windows),\(skill),\(priority)\n"
        }
        return DemoRegion(files: ["technicians.csv": tech, "shifts.csv": shifts, "customers.csv": customers,
                                  "bookings.csv": lines])
    }
}
