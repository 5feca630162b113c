import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

extension FieldRouteCLI {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "report", abstract: "Reports on how days went.",
                                                        subcommands: [Geofence.self, Cancellations.self, Windows.self])

        struct Cancellations: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "cancellations",
                abstract: "Why visits fail: cancellations by reason and lead time, no-show rates, repeat offenders.",
                discussion: """
                No-show rates by weekday, by window width, by whether the customer confirmed and whether a \
                reminder was delivered: the data that shows which remedy fits which cause.

                Examples:
                  fieldroute report cancellations --from 2026-11-01 --to 2026-11-30
                  fieldroute report cancellations --from 2026-11-01 --to 2026-11-30 --csv > cancellations.csv
                """)
            @OptionGroup var store: StoreOptions
            @Option(help: ArgumentHelp("First day.", valueName: "yyyy-mm-dd")) var from: String
            @Option(help: ArgumentHelp("Last day.", valueName: "yyyy-mm-dd")) var to: String
            @Option(help: "Region name (needed when the database has several).") var region: String?
            @Flag(help: "Print JSON.") var json = false
            @Flag(help: "Print CSV: table,key,count,total,share_or_rate.") var csv = false

            func run() throws {
                let r = try store.engine().bookings.cancellationReport(from: from, to: to, region: region)
                if json { try printJSON(r); return }
                if csv { print(r.csv, terminator: ""); return }
                let pct = { (x: Double) in String(format: "%.0f %%", x * 100) }
                print("\(r.from) … \(r.to): \(r.visits) visits, \(r.cancelled) cancelled, \(r.noShows) no-shows")
                print(table(header: ["reason", "count", "share"], rows: r.byReason.map { [$0.key, "\($0.count)", pct($0.share)] }))
                print(table(header: ["cancelled ahead", "count", "share"], rows: r.leadTime.map { [$0.key, "\($0.count)", pct($0.share)] }))
                for (name, rows) in [("weekday", r.noShowByWeekday), ("window width", r.noShowByWindowWidth),
                                     ("confirmed", r.noShowByConfirmed), ("reminder", r.noShowByReminderDelivered)] {
                    print(table(header: [name, "visits", "no-shows", "rate"], rows: rows.map { [$0.key, "\($0.visits)", "\($0.noShows)", pct($0.rate)] }))
                }
                print(table(header: ["repeat offender", "no-shows", "late cancellations", "blocked", "prepay"], rows: r.repeatOffenders.map {
                    [$0.customer, "\($0.noShows)", "\($0.lateCancellations)", $0.blocked ? "yes" : "no", $0.prepaymentRequired ? "yes" : "no"]
                }))
            }
        }

        struct Geofence: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "geofence",
                abstract: "How pings became visits: events, planned stops detected as arrived, delays, flaps.",
                discussion: """
                For one local day: events by kind; per technician the pings, planned stops, stops detected as \
                arrived and completed, dwells at sites not on the route, and messages queued; overall the \
                median and p90 delay between the start of a stay and the "arrived" event, the median lead of \
                "arriving in N min" before the arrival, and flaps (re-entering a fence within 60 s of leaving it).

                Examples:
                  fieldroute report geofence --date 2026-11-24
                  fieldroute report geofence --date 2026-11-24 --json | jq .arrivedShare
                """)

            @OptionGroup var store: StoreOptions
            @Option(help: ArgumentHelp("Local day.", valueName: "yyyy-mm-dd")) var date: String
            @Option(help: "Region name (needed when the database has several).") var region: String?
            @Flag(help: "Print JSON instead of text.") var json = false

            func run() throws {
                let r = try store.engine().tracker.geofenceReport(day: date, region: region)
                if json { try printJSON(r); return }
                let rows = r.technicians.map { t in
                    [t.id, "\(t.pings)", "\(t.plannedStops)", "\(t.arrived)", "\(t.completed)", "\(t.unplannedDwells)", "\(t.messages)"]
                }
                print(table(header: ["technician", "pings", "planned", "arrived", "completed", "unplanned", "messages"], rows: rows))
                let kinds = r.events.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                print("events: \(kinds.isEmpty ? "none" : kinds)")
                let measured = { (x: Double?, unit: String) in x.map { "\(Int($0.rounded())) \(unit)" } ?? "n/a" }
                print("arrived \(r.arrived)/\(r.plannedStops) planned stops (\(measured(r.arrivedShare.map { $0 * 100 }, "%"))); "
                      + "arrival detected after \(measured(r.medianArrivalDelay, "s")) median, \(measured(r.p90ArrivalDelay, "s")) p90; "
                      + "\"arriving\" told \(measured(r.medianApproachLeadMinutes, "min")) ahead (median); flaps \(r.flaps)")
            }
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "settings",
            abstract: "Show or change a region's settings.", subcommands: [Show.self, Set.self], defaultSubcommand: Show.self)

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show",
                abstract: "Print a setting as JSON (the defaults when never set).",
                discussion: """
                Settings: \(RegionSettings.keys.joined(separator: ", ")).

                Examples:
                  fieldroute settings show tracking
                """)
            @OptionGroup var store: StoreOptions
            @Argument(help: ArgumentHelp("Which setting.", valueName: "key")) var key: String
            @Option(help: "Region name (needed when the database has several).") var region: String?

            func run() throws { print(try store.engine().settingJSON(key: key, region: region)) }
        }

        struct Set: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "set",
                abstract: "Change some fields of a setting; the value is validated before it is saved.",
                discussion: """
                The fields not given keep their values; null unsets an optional field. The last two \
                examples take the region's travel times from an OSRM server, then go back to the estimate.

                Examples:
                  fieldroute settings set tracking '{"siteRadius": 80}'
                  fieldroute settings set tracking '{"approachRadius": 2500}' --region lyon
                  fieldroute settings set travel '{"osrm": "http://127.0.0.1:5000"}'
                  fieldroute settings set travel '{"osrm": null}'
                """)
            @OptionGroup var store: StoreOptions
            @Argument(help: ArgumentHelp("Which setting.", valueName: "key")) var key: String
            @Argument(help: ArgumentHelp("A JSON object with the fields to change.", valueName: "json")) var value: String
            @Option(help: "Region name (needed when the database has several).") var region: String?

            func run() throws { print(try store.engine().setSetting(key: key, json: value, region: region)) }
        }
    }
}
