import ArgumentParser
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Regions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "regions",
            abstract: "Many regions, one SQLite file (shard) each: generate demo-like shards for the batch.",
            discussion: """
            A region is a shard: its technicians, bookings, plans and messages live in its own file and \
            nothing refers across files, so regions are planned side by side and nothing needs merging. \
            scripts/plan_regions.py plans a list of shards on Ray (README: "Many regions").
            """,
            subcommands: [Generate.self])
    }
}

extension FieldRouteCLI.Regions {
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write N demo-like regions (region-01.sqlite, …) into a folder, each from its own seed.",
            discussion: """
            Region i is the demo generator's region with seed SEED + i − 1 and the given size, imported \
            through the ordinary importer, with bookings on \(DemoRegion.day). Existing shard files are \
            never overwritten: the command refuses before writing anything.

            Examples:
              fieldroute regions generate --count 8 --dir shards
              fieldroute regions generate --count 8 --technicians 100 --visits 1500 --dir big --json
            """)

        @Option(help: ArgumentHelp("How many regions.", valueName: "n")) var count: Int
        @Option(help: ArgumentHelp("Technicians per region.", valueName: "n")) var technicians = 8
        @Option(help: ArgumentHelp("Booked visits per region.", valueName: "n")) var visits = 120
        @Option(help: "Seed of the first region; region i uses seed + i − 1.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("Folder to write the shards into (created when missing).", valueName: "dir")) var dir: String
        @Flag(help: "Print the shard paths as a JSON list.") var json = false

        func run() throws {
            let paths = try RegionShards.generate(count: count, technicians: technicians, visits: visits, seed: seed,
                                                  folder: dir) { progress("wrote \($0)") }
            if json { try printJSON(GeneratedShards(day: DemoRegion.day, shards: paths)); return }
            print("\(paths.count) regions of \(technicians) technicians and \(visits) visits on \(DemoRegion.day) in \(dir):")
            for p in paths { print("  \(p)") }
        }
    }
}

/// `fieldroute regions generate --json`.
struct GeneratedShards: Encodable {
    var day: String
    var shards: [String]
}
