import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Replay a planned day with stochastic travel and service times and realistic GPS.",
            discussion: """
            The world (README, "Simulated days") is the planner's priors unless --world names a JSON file \
            that differs: log-normal travel (σ 0.25, shared day factor σ 0.1) and service (σ 0.3) \
            multipliers, 5 % of legs twice as slow, 5 % of visits 80 % longer, no rush hour, technicians \
            leaving as planned, no start before the allowed window nor before the promised one; a fix \
            every 5–30 s with 8 m noise and 1 % chance of a 1–5 minute gap. --show-world prints every \
            field with its default; a file names only the fields it changes, e.g.
              {"travelSigma": 0.4, "slowLegShare": 0.107, "slowLegFactor": 2.25,
               "travelFactorByHour": {"7": 1.6, "8": 1.6, "16": 1.6, "17": 1.6},
               "startOffsetSigmaMinutes": 10}
            Pings go through the normal ingest (geofence, arrivals, live windows, window changes); \
            the true service starts are stored for 'report windows'.

            Examples:
              fieldroute simulate --date 2026-11-24 --seed 7
              fieldroute simulate --date 2026-11-24 --seed 7 --world noisy.json --json
              fieldroute simulate --show-world > world.json
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Planned local day.", valueName: "yyyy-mm-dd")) var date: String?
        @Option(help: "Region name (needed when the database has several).") var region: String?
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(help: ArgumentHelp("The world to simulate (JSON; fields not named keep their defaults).", valueName: "file.json"))
        var world: String?
        @Flag(help: "Print the world (the defaults, or --world's) as JSON and exit.") var showWorld = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if date == nil && !showWorld { throw ValidationError("--date is required (yyyy-mm-dd), unless --show-world.") }
        }

        func run() throws {
            let world = try world.map { try SimulationWorld.read(path: $0) } ?? SimulationWorld()
            guard let date, !showWorld else { try printJSON(world); return }
            let s = try store.engine().promises.simulate(day: date, region: region, seed: seed, world: world) { done, total in
                progress("ingested \(done)/\(total) pings")
            }
            if json { try printJSON(s); return }
            print("\(s.day) seed \(s.seed): \(s.visits) visits, \(s.pings) pings, \(s.arrived) arrived, \(s.completed) completed, "
                  + "\(s.windowChanges) window changes; true starts \(s.medianDelayMinutes) min after plan (median); "
                  + "\(s.promiseWaitMinutes) min waiting for promised windows")
        }
    }

    struct Learn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "learn",
            abstract: "Refit the region's travel and service uncertainty from planned-versus-actual history.",
            discussion: """
            Examples:
              fieldroute learn
              fieldroute learn --region lyon --json
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Region name (needed when the database has several).") var region: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let s = try store.engine().promises.learn(region: region)
            if json { try printJSON(s); return }
            let a = s.after, b = s.before
            print("from \(a.legs) legs and \(a.visits) visits: travel σ \(b.travelSigma) → \(a.travelSigma), "
                  + "service σ \(b.serviceSigma) → \(a.serviceSigma), day σ \(b.daySigma) → \(a.daySigma)")
        }
    }

    struct Track: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "track",
            abstract: "What a customer sees of their visit, at a level: queue, eta, location or route.",
            discussion: """
            queue: visits before theirs; eta: + the current window; location: + the technician's position; \
            route: + the way from the technician to them. The position is shown only while the technician \
            is on the way to this customer (every earlier visit done, a fix from the last 15 minutes, not \
            within 200 m of another customer's site); otherwise the queue and the window. Never another \
            customer's name, address or position. With --now, as the day stood then.

            Examples:
              fieldroute track --booking B-2041 --level eta
              fieldroute track --booking B-2041 --level route --token 3q2-… --json
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @OptionGroup var who: RequesterOption
        @Option(help: "Booking id.") var booking: String
        @Option(help: "queue, eta, location or route.") var level: String = "eta"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            guard let l = TrackingLevel(rawValue: level) else { throw ValidationError("--level is one of queue, eta, location, route.") }
            let v = try store.engine().promises.track(booking: booking, level: l, by: who.requester, now: try clock.value())
            if json { try printJSON(v); return }
            var parts = ["\(v.booking): \(v.status)"]
            if let q = v.queuePosition { parts.append("\(q) visits before yours") }
            if let w = v.window { parts.append("window \(w)") }
            if let e = v.estimate { parts.append("estimated arrival \(e) (an estimate, not a promise)") }
            if let lat = v.technicianLat, let lon = v.technicianLon { parts.append("technician at \(lat),\(lon)") }
            if let path = v.path { parts.append("on the way (\(path.count) points)") }
            print(parts.joined(separator: "; "))
        }
    }
}

extension FieldRouteCLI.Report {
    struct Windows: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "windows",
            abstract: "How often arrivals fell inside the window, and how wide it was, at four horizons.",
            discussion: """
            Horizons: night_before (the plan's promise), start_of_day, hour_before, en_route.

            Examples:
              fieldroute report windows --from 2026-11-24 --to 2026-11-24
              fieldroute report windows --from 2026-11-01 --to 2026-11-30 --json
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("First day.", valueName: "yyyy-mm-dd")) var from: String
        @Option(help: ArgumentHelp("Last day.", valueName: "yyyy-mm-dd")) var to: String
        @Option(help: "Region name (needed when the database has several).") var region: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let r = try store.engine().promises.windowReport(from: from, to: to, region: region)
            if json { try printJSON(r); return }
            let share = { (x: Double?) in x.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a" }
            print(table(header: ["horizon", "visits", "start kept", "kept of all due", "arrival kept", "median width min", "p90 width min"],
                        rows: r.horizons.map {
                [$0.horizon, "\($0.visits)", String(format: "%.1f %%", $0.kept * 100), String(format: "%.1f %%", $0.keptOfDue * 100),
                 share($0.arrivalKept), String(format: "%.0f", $0.medianWidthMinutes), String(format: "%.0f", $0.p90WidthMinutes)]
            }))
            print("\(r.visitsDue) visits due: \(r.unplanned) unplanned, \(r.unseen) planned but never seen (no start or arrival); "
                  + "\(r.windowChanges) told windows changed; technicians held at the door before \(share(r.heldShare)) of visits "
                  + "(arrival kept: arrived at most 10 min before the window and not after it)")
        }
    }
}

extension FieldRouteCLI {
    struct Windows: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "windows",
            abstract: "The promised and current arrival windows of a day's visits, in route order.",
            discussion: """
            Examples:
              fieldroute windows --date 2026-11-24
              fieldroute windows --date 2026-11-24 --json | jq '.[] | select(.changes > 0)'
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Local day.", valueName: "yyyy-mm-dd")) var date: String
        @Option(help: "Region name (needed when the database has several).") var region: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let visits = try store.engine().promises.windows(day: date, region: region)
            if json { try printJSON(visits); return }
            print(table(header: ["technician", "booking", "status", "planned", "wait", "promised", "estimate", "started", "changes"],
                        rows: visits.map {
                [$0.technician, $0.booking, $0.status, $0.planned, minutes($0.waitMinutes), $0.promised ?? "-", $0.estimate ?? "-",
                 $0.started ?? "-", "\($0.changes)"]
            }))
            let waits = Dictionary(grouping: visits, by: \.technician).mapValues { $0.reduce(0) { $0 + $1.waitMinutes } }
            print("planned waiting at doors: " + waits.keys.sorted().map { "\($0) \(minutes(waits[$0] ?? 0))" }.joined(separator: ", "))
        }
    }
}
