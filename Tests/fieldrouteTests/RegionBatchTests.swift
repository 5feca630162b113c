import Foundation
import GRDB
import Testing

/// The repository root (this file is Tests/fieldrouteTests/RegionBatchTests.swift).
private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
private let driver = repository.appendingPathComponent("scripts/plan_regions.py").path

/// True when `python3 -c "import ray"` works.
private let rayInstalled: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import ray"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// Runs the Ray driver with `arguments`.
private func batch(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Result {
    CLI.finish(try CLI.startProcess(["/usr/bin/env", "python3", driver] + arguments, environment: environment))
}

/// Everything a plan decides, without the instants it was made at: the plan's cost, every route and
/// stop (planned and promised times, break, departure) and every unplanned visit with its reason.
private func planFingerprint(_ path: String) throws -> [String] {
    let db = try DatabaseQueue(path: path)
    return try db.read { db in
        let plans = try Row.fetchAll(db, sql: "SELECT day, cost, unassignedCount FROM plan ORDER BY day")
        let stops = try Row.fetchAll(db, sql: """
            SELECT t.externalId, r.distance, r.travelTime, r.breakStart, r.breakEnd, r.departure, s.sequence, b.externalId,
                   s.plannedArrival, s.plannedStart, s.plannedEnd, s.promisedStart, s.promisedEnd
            FROM stop s JOIN route r ON r.id = s.routeId JOIN technician t ON t.id = r.technicianId
            JOIN booking b ON b.id = s.bookingId ORDER BY t.externalId, s.sequence
            """)
        let unplanned = try Row.fetchAll(db, sql: """
            SELECT b.externalId, u.reason FROM unplanned u JOIN booking b ON b.id = u.bookingId ORDER BY b.externalId
            """)
        return (plans + stops + unplanned).map(\.description)
    }
}

@Suite struct RegionShardTests {
    @Test func generatedRegionsAreDistinctShardsAndNeverOverwritten() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.appendingPathComponent("shards").path
        let made = try CLI.run(["regions", "generate", "--count", "3", "--technicians", "2", "--visits", "12", "--dir", dir, "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("region-03.sqlite"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["region-01.sqlite", "region-02.sqlite", "region-03.sqlite"])
        var names: Set<String> = [], customers: Set<String> = []
        for k in 1...3 {
            let db = try DatabaseQueue(path: "\(dir)/region-0\(k).sqlite")
            try db.read { db in
                names.insert(try String.fetchOne(db, sql: "SELECT name FROM region") ?? "")
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM booking WHERE day = '2026-11-24'") == 12)
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM technician") == 2)
                customers.insert(try String.fetchAll(db, sql: "SELECT lat || ',' || lon FROM booking ORDER BY externalId").joined(separator: ";"))
            }
        }
        #expect(names == ["region-01", "region-02", "region-03"])
        #expect(customers.count == 3, "each region has its own seed")

        let again = try CLI.run(["regions", "generate", "--count", "4", "--dir", dir])
        #expect(again.status == 2)
        #expect(again.stderr.contains("region-01.sqlite exists"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/region-04.sqlite"), "refused before writing anything")
        let tooMany = try CLI.run(["regions", "generate", "--count", "0", "--dir", dir])
        #expect(tooMany.status == 2)
        #expect(tooMany.stderr.contains("--count wants 1–999"))
    }
}

@Suite(.enabled(if: rayInstalled, "Ray is not installed (pip install ray; .ci/run installs it): skipping the region batch on Ray"))
struct RegionBatchTests {
    /// 8 regions planned through a local Ray cluster equal 8 sequential `plan` runs with the same seed and
    /// iteration limit; region-03's worker is killed during its first attempt and the region runs once more.
    @Test func rayPlansEqualSequentialPlansAndAKilledWorkersRegionRunsOnceMore() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sequential = folder.appendingPathComponent("sequential").path, onRay = folder.appendingPathComponent("ray").path
        #expect(try CLI.run(["regions", "generate", "--count", "8", "--technicians", "3", "--visits", "30", "--dir", sequential]).status == 0)
        try FileManager.default.copyItem(atPath: sequential, toPath: onRay)
        let shards = (1...8).map { String(format: "region-%02d.sqlite", $0) }
        var costs: [String: Int] = [:]
        for shard in shards {
            let plan = try CLI.run(["plan", "--db", "\(sequential)/\(shard)", "--date", "2026-11-24", "--iterations", "200", "--seed", "1", "--json"])
            #expect(plan.status == 0, "\(plan.stderr)")
            let summary = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
            costs[String(shard.dropLast(7))] = summary?["cost"] as? Int
        }
        let before = try planFingerprint("\(onRay)/region-03.sqlite")

        let run = try batch(["--date", "2026-11-24", "--iterations", "200", "--seed", "1", "--bin", CLI.binary.path, "--cpus", "2", "--json"]
                                + shards.map { "\(onRay)/\($0)" },
                            environment: ["FIELDROUTE_BATCH_CRASH_ONCE": "region-03"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("region-03: attempt 1 failed (WorkerCrashedError"))
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(summary["regions"] as? Int == 8)
        #expect(summary["planned"] as? Int == 8)
        #expect(summary["failed"] as? Int == 0)
        let results = try #require(summary["results"] as? [[String: Any]])
        for r in results {
            let region = try #require(r["region"] as? String)
            #expect(r["attempts"] as? Int == (region == "region-03" ? 2 : 1), "\(region)")
            #expect(r["cost"] as? Int == costs[region], "\(region)")
        }
        #expect(before.isEmpty, "no plan before the batch")
        for shard in shards {
            let planned = try planFingerprint("\(sequential)/\(shard)")
            #expect(planned.count > 20, "\(shard) has a plan")
            #expect(try planFingerprint("\(onRay)/\(shard)") == planned, "\(shard)")
        }
    }

    /// A dispatcher's write to a shard while the batch plans it is never lost: the plan is not copied
    /// back, the region is reported failed (exit 3) and the shard keeps the write.
    @Test func aShardWrittenWhileItIsPlannedIsNotReplaced() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CLI.run(["regions", "generate", "--count", "1", "--technicians", "3", "--visits", "40", "--dir", folder.path]).status == 0)
        let name = "region-\(UUID().uuidString.prefix(8).lowercased())"
        let shard = folder.appendingPathComponent("\(name).sqlite").path
        try FileManager.default.moveItem(atPath: folder.appendingPathComponent("region-01.sqlite").path, toPath: shard)
        let started = try CLI.startProcess(["/usr/bin/env", "python3", driver, "--date", "2026-11-24", "--time-limit", "4",
                                            "--bin", CLI.binary.path, "--cpus", "1", "--json", shard])
        // The task's copy appears in the temporary folder once the driver took its snapshot.
        let temp = FileManager.default.temporaryDirectory.path
        var planning = false
        for _ in 0..<600 where !planning {
            planning = (try FileManager.default.contentsOfDirectory(atPath: temp)).contains { $0.hasPrefix("fieldroute-\(name)-") }
            if !planning { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(planning, "the task started")
        let csv = folder.appendingPathComponent("late.csv")
        try write("id,customer,date,lat,lon,address,duration_min,windows,skills,priority\n"
                  + "B-9999,C-1001,2026-11-24,45.76,4.85,\"1 rue Garibaldi, Lyon\",20,14:00-16:00,gas,1\n", to: csv)
        let booked = try CLI.run(["import", "bookings", csv.path, "--db", shard])
        #expect(booked.status == 0, "\(booked.stderr)")
        let run = CLI.finish(started)
        #expect(run.status == 3, "\(run.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(summary["failed"] as? Int == 1)
        let result = try #require((summary["results"] as? [[String: Any]])?.first)
        #expect((result["error"] as? String)?.contains("the shard changed while it was planned") == true)
        let db = try DatabaseQueue(path: shard)
        let (kept, plans) = try db.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM booking WHERE externalId = 'B-9999'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM plan"))
        }
        #expect(kept == 1, "the dispatcher's booking is kept")
        #expect(plans == 0, "the plan made from the older snapshot was not copied in")
    }

    /// The Kubernetes version of the batch, on paper: an Indexed Job whose index picks the region's own
    /// directory, one CPU per pod, one retry, no overlapping pods. (kubectl's client dry-run needs an
    /// API server for discovery, which this machine has not; PyYAML comes with Ray.)
    @Test func theKubernetesJobMapsEachIndexToOneRegion() throws {
        let manifest = repository.appendingPathComponent("deploy/kubernetes/plan-regions.yaml").path
        let check = """
            import sys, yaml
            job = yaml.safe_load(open(sys.argv[1]))
            spec = job["spec"]; pod = spec["template"]["spec"]; plan = pod["containers"][0]
            mounts = {m["name"]: m for m in plan["volumeMounts"]}
            assert job["kind"] == "Job" and job["apiVersion"] == "batch/v1"
            assert spec["completionMode"] == "Indexed" and spec["completions"] == spec["parallelism"]
            assert spec["backoffLimitPerIndex"] == 1 and spec["podReplacementPolicy"] == "Failed"
            assert spec["podFailurePolicy"]["rules"][0]["onExitCodes"]["values"] == [2]
            assert pod["restartPolicy"] == "Never"
            assert mounts["shards"]["subPathExpr"] == "$(JOB_COMPLETION_INDEX)"
            assert plan["resources"]["requests"]["cpu"] == "1" == plan["resources"]["limits"]["cpu"]
            script = plan["args"][0]
            assert script.index("fieldroute plan") < script.index("mv -f /shard/region.sqlite.new")
            assert "set -eu" in script
            print("ok")
            """
        let run = CLI.finish(try CLI.startProcess(["/usr/bin/env", "python3", "-c", check, manifest]))
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "ok\n")
    }

    @Test func badShardListsAreRefusedBeforeAnythingRuns() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.path
        #expect(try CLI.run(["regions", "generate", "--count", "1", "--technicians", "2", "--visits", "5", "--dir", dir]).status == 0)
        let shard = "\(dir)/region-01.sqlite"
        let twice = try batch(["--date", "2026-11-24", "--bin", CLI.binary.path, shard, shard])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("region region-01 is listed twice"))
        let missing = try batch(["--date", "2026-11-24", "--bin", CLI.binary.path, "\(dir)/nowhere.sqlite"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nowhere.sqlite: no such shard"))
        try write("not a database", to: folder.appendingPathComponent("text.sqlite"))
        let text = try batch(["--date", "2026-11-24", "--bin", CLI.binary.path, "\(dir)/text.sqlite"])
        #expect(text.status == 2)
        #expect(text.stderr.contains("not an SQLite database"))
    }
}
