import ArgumentParser
import FieldRoute

/// What `import` accepts: the tabular kinds, and fences from GeoJSON.
enum ImportTarget: String, CaseIterable, ExpressibleByArgument {
    case technicians, shifts, customers, bookings, fences
}

extension FieldRouteCLI {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import technicians, shifts, customers or bookings from CSV or JSON, all or nothing.",
            discussion: """
            The first bad row stops the import with FILE:LINE: field: reason, exit code 2, and the
            database is left exactly as it was. Columns are listed in the README ("Import formats").

            Examples:
              fieldroute import technicians Fixtures/demo/technicians.csv
              fieldroute import bookings bookings.json --json
              fieldroute import fences depots.geojson
              fieldroute import fences drawn-by-hand.geojson --repair
            """)

        @OptionGroup var store: StoreOptions
        @Argument(help: ArgumentHelp("What the file holds: technicians, shifts, customers, bookings (CSV or JSON) or fences (GeoJSON).", valueName: "kind"))
        var kind: ImportTarget
        @Argument(help: ArgumentHelp("CSV (header row) or JSON (array of objects) file.", valueName: "file"))
        var file: String
        @Flag(help: "Fences only: repair invalid polygons (self-intersections…) with GEOS MakeValid instead of refusing them.")
        var repair = false
        @Flag(help: "Print the summary as JSON.") var json = false

        func validate() throws {
            if repair && kind != .fences { throw ValidationError("--repair applies to fences only.") }
        }

        func run() throws {
            guard let tabular = ImportKind(rawValue: kind.rawValue) else {
                let count = try store.engine().importFences(path: file, repair: repair)
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
