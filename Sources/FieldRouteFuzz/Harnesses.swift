import Foundation
import FieldRoute
import FieldStore
import Geofencing
import RouteSolver

/// One parser under the fuzzer: it must return or throw its typed error for any bytes, never trap,
/// hang or allocate without bound (libFuzzer's -rss_limit_mb and -timeout catch the last two).
struct Harness: Sendable {
    var name: String
    var run: @Sendable (Data) -> Void
}

/// An in-memory engine with one region, for the parsers that sit behind a store (settings, imports).
/// Writes to it are rolled back or harmless; one per process, since creating it costs milliseconds.
private let engine: Engine = {
    do {
        let engine = Engine(store: try FieldStore.inMemory(checksInvariants: false))
        try engine.createRegion(name: "fuzz", timeZone: "Europe/Paris", depotLat: 45.76, depotLon: 4.86)
        return engine
    } catch {
        fatalError("fuzz: cannot create the in-memory engine: \(error)")
    }
}()

private func text(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

/// Every parser of outside input, by the name `make fuzz` uses (Fixtures/fuzz/NAME is its seed corpus).
let harnesses: [Harness] = [
    Harness(name: "solomon") { data in _ = try? SolomonReader.parse(text(data), file: "fuzz") },
    Harness(name: "vrplib") { data in _ = try? VRPLIBReader.parse(text(data), file: "fuzz") },
    Harness(name: "solution") { data in _ = try? SolutionFile.parse(text(data), file: "fuzz") },
    Harness(name: "pings") { data in _ = try? engine.tracker.ingestPings(data: data, name: "fuzz.csv") },
    Harness(name: "dispatch") { data in _ = try? DispatchRequest.decode(data) },
    Harness(name: "vroom") { data in _ = try? VroomProblem.parse(data, file: "fuzz.json") },
    Harness(name: "mcp") { data in _ = AssistantServer(engine: engine).handle(text(data)) },
    Harness(name: "settings") { data in
        // The first line names the setting, the rest is its JSON, applied to the defaults (the checks
        // of `settings set` without a database write).
        let parts = text(data).split(separator: "\n", maxSplits: 1)
        guard parts.count == 2, let defaults = try? Engine.defaultJSON(key: String(parts[0])) else { return }
        _ = try? Engine.patched(key: String(parts[0]), current: defaults, patch: String(parts[1]))
    },
    Harness(name: "wkt") { data in _ = try? FenceSet([Fence(id: "fuzz", shape: .polygon(wkt: text(data)))]) },
    // The pure halves of the imports: no file, no database per input.
    Harness(name: "geojson") { data in _ = try? Tracker.fenceRecords(data, file: "fuzz.geojson", repair: true) },
    Harness(name: "matrix") { data in _ = try? Engine.matrixTables(data, file: "fuzz.json") },
    Harness(name: "import") { data in
        // The first line names the kind (technicians, shifts, customers, bookings), the rest is the file,
        // CSV or JSON (the one tabular reader every import goes through).
        let parts = text(data).split(separator: "\n", maxSplits: 1)
        guard parts.count == 2, let kind = ImportKind(rawValue: String(parts[0])) else { return }
        _ = try? Importer(store: engine.store).importData(kind, data: Data(parts[1].utf8), name: "fuzz.csv")
    },
]
