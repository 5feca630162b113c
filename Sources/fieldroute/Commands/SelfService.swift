import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

/// `--now` for commands whose rules depend on the time (tests, replays); default the clock.
struct NowOption: ParsableArguments {
    @Option(help: ArgumentHelp("Act as if it were this moment: Unix seconds or ISO-8601 with a zone (default: now).", valueName: "time"))
    var now: String?

    func value() throws(FieldRouteError) -> Int64 { try Engine.instant(now, name: "--now") }
}

/// `--token` for the customer's own actions; without it, staff act.
struct RequesterOption: ParsableArguments {
    @Option(help: ArgumentHelp("Act as the customer with the token of their link (from 'fieldroute link').", valueName: "token"))
    var token: String?
    var requester: Requester { token.map { .customer(token: $0) } ?? .staff }
}

func printOutcome(_ o: BookingOutcome, json: Bool) throws {
    if json { try printJSON(o); return }
    print("\(o.booking): \(o.status.rawValue) on \(o.day) \(o.windows.joined(separator: " "))"
          + (o.technician.map { " with \($0)" } ?? "") + (o.remindersQueued > 0 ? "; \(o.remindersQueued) reminders queued" : ""))
    for skipped in o.remindersSkipped { print("  reminder not queued: \(skipped)") }
    if let link = o.link { print("  link: \(link)") }
}

extension FieldRouteCLI {
    struct Book: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "book",
            abstract: "Book a visit under the region's booking rules (or straight into an offered slot).",
            discussion: """
            Rules (fieldroute settings show booking): a visit is booked between minMinutesAhead and \
            maxDaysAhead before it starts; a blocked customer cannot book. With --slot the visit goes into \
            that day's routes at once: if another booking took the room first, it fails with "slot taken". \
            Reminders are queued (fieldroute settings show reminders).

            Examples:
              fieldroute slots --site 45.75,4.84 --duration 45 --from 2026-11-25 --days 3
              fieldroute book --id B-9001 --customer C-1001 --site 45.75,4.84 --duration 45 --slot 2026-11-25T10:00-12:00
              fieldroute book --id B-9002 --customer C-1002 --site 45.76,4.85 --duration 30 --date 2026-11-26 --window 08:00-12:00
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @Option(help: "New booking id.") var id: String
        @Option(help: "Customer id.") var customer: String
        @Option(help: ArgumentHelp("Where: latitude,longitude.", valueName: "lat,lon")) var site: String
        @Option(help: ArgumentHelp("Minutes on site.", valueName: "min")) var duration: Int
        @Option(help: ArgumentHelp("A slot id from 'fieldroute slots'.", valueName: "id")) var slot: String?
        @Option(help: ArgumentHelp("Local day (without --slot).", valueName: "yyyy-mm-dd")) var date: String?
        @Option(help: ArgumentHelp("Allowed window, local (repeat for several).", valueName: "HH:MM-HH:MM")) var window: [String] = []
        @Option(help: ArgumentHelp("Required skill (repeat for several).", valueName: "skill")) var skill: [String] = []
        @Option(help: "Street address.") var address: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if slot == nil && (date == nil || window.isEmpty) { throw ValidationError("give --slot, or --date with --window.") }
            if slot != nil && (date != nil || !window.isEmpty) { throw ValidationError("--slot sets the day and window: drop --date/--window.") }
            _ = try parseSite(site)
        }

        func run() throws {
            let (lat, lon) = try parseSite(site)
            let draft = BookingDraft(id: id, customer: customer, lat: lat, lon: lon, durationMinutes: duration, date: date, windows: window,
                                     skills: skill, address: address, slot: slot)
            try printOutcome(try store.engine().bookings.book(draft, now: try clock.value()), json: json)
        }
    }

    struct Slots: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "slots",
            abstract: "Arrival windows that can be booked now without breaking any window already told.",
            discussion: """
            Each window of the region's slot grid is tried in the day's routes with the solver's exact \
            insertion check (a day with shifts but no plan is planned tentatively first).

            Examples:
              fieldroute slots --site 45.75,4.84 --duration 45 --from 2026-11-25 --days 3
              fieldroute slots --site 45.75,4.84 --duration 30 --skill gas --from 2026-11-25 --days 1 --json
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @Option(help: ArgumentHelp("Where: latitude,longitude.", valueName: "lat,lon")) var site: String
        @Option(help: ArgumentHelp("Minutes on site.", valueName: "min")) var duration: Int
        @Option(help: ArgumentHelp("Required skill (repeat for several).", valueName: "skill")) var skill: [String] = []
        @Option(help: ArgumentHelp("First day.", valueName: "yyyy-mm-dd")) var from: String
        @Option(help: "How many days.") var days = 7
        @Option(help: "Region name (needed when the database has several).") var region: String?
        @Option(help: "The customer asking: slots held for them are offered too.") var customer: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let (lat, lon) = try parseSite(site)
            let slots = try store.engine().bookings.slots(site: (lat, lon), durationMinutes: duration, skills: skill, from: from, days: days,
                                                 region: region, customer: customer, now: try clock.value())
            if json { try printJSON(slots); return }
            print(table(header: ["slot", "day", "window", "technician", "extra drive min"],
                        rows: slots.map { [$0.id, $0.day, $0.window, $0.technician, String(format: "%.1f", $0.extraDriveMinutes)] }))
            print("\(slots.count) slots")
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "confirm",
            abstract: "Confirm a visit (staff, or the customer with their link's token).",
            discussion: """
            Examples:
              fieldroute confirm --booking B-2041
              fieldroute confirm --booking B-2041 --token 3q2-…
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @OptionGroup var who: RequesterOption
        @Option(help: "Booking id.") var booking: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws { try printOutcome(try store.engine().bookings.confirm(booking: booking, by: who.requester, now: try clock.value()), json: json) }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Cancel a visit with a reason; frees its place in the route and tells the technician.",
            discussion: """
            Reasons (fieldroute settings show cancellation): forgot, not_home, time_no_longer_suits, \
            window_too_vague, found_someone_else, price, other (needs --note). The change rules apply.

            Examples:
              fieldroute cancel --booking B-2041 --reason time_no_longer_suits
              fieldroute cancel --booking B-2041 --reason other --note "moving house" --token 3q2-…
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @OptionGroup var who: RequesterOption
        @Option(help: "Booking id.") var booking: String
        @Option(help: "Reason code.") var reason: String
        @Option(help: "Free text (required with 'other').") var note: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try printOutcome(try store.engine().bookings.cancel(booking: booking, reason: reason, note: note, by: who.requester,
                                                       now: try clock.value()), json: json)
        }
    }

    struct Reschedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reschedule",
            abstract: "Move a visit to another day and window (or slot) as a new booking <id>-R<n>.",
            discussion: """
            Examples:
              fieldroute reschedule --booking B-2041 --slot 2026-11-26T14:00-16:00
              fieldroute reschedule --booking B-2041 --date 2026-11-27 --window 08:00-10:00 --token 3q2-…
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @OptionGroup var who: RequesterOption
        @Option(help: "Booking id.") var booking: String
        @Option(help: ArgumentHelp("A slot id from 'fieldroute slots'.", valueName: "id")) var slot: String?
        @Option(help: ArgumentHelp("New local day.", valueName: "yyyy-mm-dd")) var date: String?
        @Option(help: ArgumentHelp("New window, local (repeat for several).", valueName: "HH:MM-HH:MM")) var window: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if slot == nil && (date == nil || window.isEmpty) { throw ValidationError("give --slot, or --date with --window.") }
        }

        func run() throws {
            try printOutcome(try store.engine().bookings.reschedule(booking: booking, date: date, windows: window, slot: slot, by: who.requester,
                                                           now: try clock.value()), json: json)
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Make a self-service link token for one booking (confirm, cancel, reschedule).",
            discussion: """
            The token is printed once; only its SHA-256 is stored. It authorises that booking only, until \
            it expires (default: a day after the visit).

            Examples:
              fieldroute link --booking B-2041
              fieldroute link --booking B-2041 --valid-hours 48 --json
            """)
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @Option(help: "Booking id.") var booking: String
        @Option(help: "Hours the link stays valid.") var validHours: Int?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let (token, expires) = try store.engine().bookings.link(booking: booking, validHours: validHours, now: try clock.value())
            if json { try printJSON(["booking": booking, "token": token, "expires_at": String(expires)]); return }
            print(token)
        }
    }

    struct Outcome: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "outcome",
            abstract: "Record how a visit ended: completed, no-show or cancelled-late (feeds the no-show policy).",
            discussion: """
            Completed and no-show are taken once the visit's window has opened (or the technician was seen \
            arriving); before that only with --force and a --note. Pending messages are withdrawn.

            Examples:
              fieldroute outcome --booking B-2041 no-show
              fieldroute outcome --booking B-2041 completed
            """)
        enum Kind: String, ExpressibleByArgument, CaseIterable { case completed, noShow = "no-show", cancelledLate = "cancelled-late" }
        @OptionGroup var store: StoreOptions
        @OptionGroup var clock: NowOption
        @Option(help: "Booking id.") var booking: String
        @Argument(help: "completed, no-show or cancelled-late.") var kind: Kind
        @Option(help: "Note kept with the status change.") var note: String?
        @Flag(help: "Record it before the visit's window opens (needs --note).") var force = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let bookings = try store.engine().bookings, now = try clock.value()
            let done = switch kind {
            case .completed: try bookings.recordOutcome(booking: booking, .completed, note: note, force: force, now: now)
            case .noShow: try bookings.recordOutcome(booking: booking, .noShow, note: note, force: force, now: now)
            case .cancelledLate: try bookings.recordOutcome(booking: booking, .cancelledLate, note: note, force: force, now: now)
            }
            try printOutcome(done, json: json)
        }
    }

    struct Payment: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payment",
            abstract: "Record how a visit is paid: none, deposit, prepaid or voucher.",
            discussion: """
            Examples:
              fieldroute payment --booking B-2041 prepaid
            """)
        @OptionGroup var store: StoreOptions
        @Option(help: "Booking id.") var booking: String
        enum Status: String, ExpressibleByArgument, CaseIterable { case none, deposit, prepaid, voucher }
        @Argument(help: "none, deposit, prepaid or voucher.") var status: Status

        func run() throws {
            let bookings = try store.engine().bookings
            switch status {
            case .none: try bookings.setPayment(booking: booking, .none)
            case .deposit: try bookings.setPayment(booking: booking, .deposit)
            case .prepaid: try bookings.setPayment(booking: booking, .prepaid)
            case .voucher: try bookings.setPayment(booking: booking, .voucher)
            }
            print("\(booking): payment \(status.rawValue)")
        }
    }

    struct Customer: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "customer", abstract: "Customers and the no-show policy.",
                                                        subcommands: [Show.self, Unblock.self])

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "show",
                abstract: "A customer's visits, outcomes, no-shows within the policy's window, and policy state.",
                discussion: """
                Examples:
                  fieldroute customer show C-1001
                  fieldroute customer show C-1001 --json
                """)
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @Argument(help: "Customer id.") var customer: String
            @Option(help: "Region whose no-show policy applies (needed when the database has several).") var region: String?
            @Flag(help: "Print JSON.") var json = false

            func run() throws {
                let c = try store.engine().bookings.customer(customer, region: region, now: try clock.value())
                if json { try printJSON(c); return }
                print("\(c.id) \(c.name): \([c.phone, c.email].compactMap { $0 }.joined(separator: ", ")) (prefers \(c.preferredChannel))")
                print("no-shows: \(c.noShows) in all, \(c.noShowsInWindow) within the policy's window; policy: \(c.policy)")
                print("state: \(c.policyState)")
                print(table(header: ["booking", "day", "windows", "status", "outcome", "payment", "technician", "promised"], rows: c.visits.map {
                    [$0.id, $0.day, $0.windows.joined(separator: " "), $0.status.rawValue, $0.outcome?.rawValue ?? "-",
                     $0.payment.rawValue, $0.technician ?? "-", $0.promised ?? "-"]
                }))
                for n in c.notes { print("note \(utcTime(n.at)) \(n.kind): \(n.note)") }
            }
        }

        struct Unblock: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "unblock",
                abstract: "Let a blocked customer (or one who must prepay) book again, with a note.",
                discussion: """
                Examples:
                  fieldroute customer unblock C-1001 --note "paid the missed visit"
                """)
            @OptionGroup var store: StoreOptions
            @Argument(help: "Customer id.") var customer: String
            @Option(help: "Why (kept with the customer).") var note: String

            func run() throws {
                try store.engine().bookings.unblock(customer: customer, note: note)
                print("\(customer) unblocked")
            }
        }
    }
}

/// `--site`: "45.75,4.84" → (lat, lon), a usage error when malformed.
func parseSite(_ text: String) throws -> (Double, Double) {
    do { return try Engine.site(text, name: "--site") } catch { throw ValidationError(error.description) }
}
