import ArgumentParser
import CommandLineSupport
import FieldRoute

extension FieldRouteCLI {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a database (or migrate an existing one) and add a region.",
            discussion: """
            Example:
              fieldroute init --db ops.sqlite --region lyon --time-zone Europe/Paris --depot 45.7606,4.8593

            Running it again is safe: migrations are applied once, an existing region is kept.
            """)

        @OptionGroup var store: StoreOptions
        @Option(help: "Region name.") var region = "default"
        @Option(help: ArgumentHelp("IANA time zone of the region: day boundaries and local times.", valueName: "zone"))
        var timeZone = "UTC"
        @Option(help: ArgumentHelp("Depot position, latitude first.", valueName: "lat,lon")) var depot: String?

        func validate() throws {
            if let depot, parseLatLon(depot) == nil {
                throw ValidationError("--depot wants LAT,LON in degrees, e.g. 45.7606,4.8593; got '\(depot)'.")
            }
        }

        func run() throws {
            let engine = try store.engine()
            let position = depot.flatMap(parseLatLon)
            let r = try engine.createRegion(name: region, timeZone: timeZone, depotLat: position?.0, depotLon: position?.1)
            print("database \(store.resolvedPath) ready; region \(r.name) (\(r.timeZone))")
        }
    }
}

/// "45.76,4.83" → (45.76, 4.83), or nil when it is not a WGS84 position.
func parseLatLon(_ text: String) -> (Double, Double)? {
    let parts = text.split(separator: ",")
    guard parts.count == 2, let lat = Double(parts[0].trimmingCharacters(in: .whitespaces)),
          let lon = Double(parts[1].trimmingCharacters(in: .whitespaces)),
          lat.isFinite, lon.isFinite, abs(lat) <= 90, abs(lon) <= 180 else { return nil }
    return (lat, lon)
}
