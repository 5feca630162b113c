import ArgumentParser
import CommandLineSupport
import FieldRoute

/// What `import` accepts: the tabular kinds, and fences from GeoJSON.
enum ImportTarget: String, CaseIterable, ExpressibleByArgument {
    case technicians, shifts, customers, bookings, fences, matrix
}

extension FieldRouteCLI {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import technicians, shifts, customers or bookings (CSV, JSON), fences (GeoJSON) or a travel matrix (OSRM).",
            discussion: """
            The first bad row stops the import with FILE:LINE: field: reason, exit code 2, and the \
            database is left exactly as it was. Columns are listed in the README ("Import formats").

            matrix: the answer of OSRM's table service for all the region's points (square: no sources=/ \
            destinations=), with annotations=duration,distance. It becomes the region's travel model; \
            every technician home and booking must lie within 250 m of one of its points. To make one:
              osrm-extract -p car.lua region.osm.pbf && osrm-partition region.osrm && osrm-customize region.osrm
              osrm-routed --algorithm mld region.osrm &
              curl "http://localhost:5000/table/v1/driving/LON,LAT;LON,LAT;...?annotations=duration,distance" > matrix.json

            Examples:
              fieldroute import technicians Fixtures/demo/technicians.csv
              fieldroute import bookings bookings.json --json
              fieldroute import fences depots.geojson
              fieldroute import fences drawn-by-hand.geojson --repair
              fieldroute import matrix monaco-200.json --region monaco
            """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("What the file holds: technicians, shifts, customers, bookings (CSV or JSON) or fences (GeoJSON).", valueName: "kind"))
        var kind: ImportTarget
        @Argument(help: ArgumentHelp("CSV (header row) or JSON (array of objects) file.", valueName: "file"))
        var file: String
        @Option(help: "Matrix only: the region it is for (needed when the database has several).") var region: String?
        @Flag(help: "Fences only: repair invalid polygons (self-intersections…) with GEOS MakeValid instead of refusing them.")
        var repair = false
        @Flag(help: "Print the summary as JSON.") var json = false

        func validate() throws {
            if repair && kind != .fences { throw ValidationError("--repair applies to fences only.") }
            if region != nil && kind != .matrix { throw ValidationError("--region applies to matrix only (tables name their region per row).") }
        }

        func run() throws {
            if kind == .matrix {
                let summary = try store.engine().importMatrix(path: file, region: region)
                if json { try printJSON(summary); return }
                print("imported a \(summary.points)×\(summary.points) travel matrix for region \(summary.region)"
                      + (summary.distancesFromRouter ? "" : " (no distances in the file: estimated from durations)"))
                return
            }
            guard let tabular = ImportKind(rawValue: kind.rawValue) else {
                let count = try store.engine().tracker.importFences(path: file, repair: repair)
                if json { try printJSON(["kind": "fences", "file": file, "rows": String(count)]) } else {
                    print("imported \(count) fences from \(file)")
                }
                return
            }
            let summary = try store.engine().importFile(tabular, path: file)
            if json {
                try printJSON(["kind": summary.kind.rawValue, "file": summary.file, "rows": String(summary.rows)])
            } else {
                print("imported \(summary.rows) \(summary.kind.rawValue) from \(summary.file)")
            }
        }
    }
}
