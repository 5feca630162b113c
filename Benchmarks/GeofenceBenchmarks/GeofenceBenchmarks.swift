import Benchmark
import FieldRoute
import FieldStore
import Foundation
import Geofencing

/// 10,000 site circles (50 m) on a 100 × 100 grid 200 m apart, and a technician driving a random
/// walk through them at 10 m/s with a fix per second.
func fences() -> FenceSet {
    var list: [Fence] = []
    for i in 0..<100 { for j in 0..<100 {
        list.append(Fence(id: "f\(i)-\(j)", shape: .circle(lat: 45.7 + Double(i) * 0.0018, lon: 4.8 + Double(j) * 0.0026, radius: 50),
                          role: .site))
    } }
    // Valid by construction.
    return try! FenceSet(list)
}

func pings(_ count: Int) -> [Ping] {
    var out: [Ping] = [], lat = 45.79, lon = 4.93, heading = 0.0
    var state: UInt64 = 42
    func unit() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) * 0x1.0p-53 }
    for t in 0..<count {
        heading += (unit() - 0.5) * 0.6
        lat += cos(heading) * 10 / 111_195
        lon += sin(heading) * 10 / (111_195 * cos(lat * .pi / 180))
        if lat < 45.7 || lat > 45.88 || lon < 4.8 || lon > 5.06 { heading += .pi }
        out.append(Ping(timestamp: Int64(1_795_500_000 + t), lat: lat, lon: lon, accuracy: 10))
    }
    return out
}

let benchmarks: @Sendable () -> Void = {
    let set = fences()
    let stream = pings(100_000)

    Benchmark("Detector: 100,000 pings over 10,000 fences (one technician)",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .one,
                                   maxDuration: .seconds(10), maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            var detector = FenceDetector(fences: set)
            var events = 0
            for p in stream { events += detector.process(p).count }
            blackHole(events)
        }
    }

    // The same pings with Unix seconds and with ISO-8601 timestamps (the common case): their ratio is
    // what reading the timestamp costs.
    let iso = ISO8601DateFormatter()
    iso.timeZone = TimeZone(secondsFromGMT: 3_600)
    for (label, time) in [("Unix seconds", { (t: Int64) in String(t) }),
                          ("ISO-8601", { (t: Int64) in iso.string(from: Date(timeIntervalSince1970: TimeInterval(t))) })] {
    Benchmark("SQLite ingest: 100,000 pings (\(label)), batches of 20,000, through Engine.ingestPings",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], scalingFactor: .one,
                                   maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
        var csv = "technician,timestamp,lat,lon,accuracy\n"
        for (k, p) in stream.enumerated() { csv += "T-\(k % 10),\(time(p.timestamp)),\(p.position.lat),\(p.position.lon),10\n" }
        let data = Data(csv.utf8)
        for _ in benchmark.scaledIterations {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID()).sqlite").path
            let engine = try Engine(path: path)
            try engine.createRegion(name: "bench", timeZone: "UTC")
            var techs = "id,name,start_lat,start_lon\n"
            for t in 0..<10 { techs += "T-\(t),T\(t),45.79,4.93\n" }
            _ = try Importer(store: engine.store).importData(.technicians, data: Data(techs.utf8), name: "techs.csv")
            benchmark.startMeasurement()
            blackHole(try engine.tracker.ingestPings(data: data, name: "pings.csv", batchSize: 20_000))
            benchmark.stopMeasurement()
            for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
        }
    }
    }
}
