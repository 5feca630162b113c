import ArgumentParser
import CommandLineSupport
import FieldRoute
import Foundation

func printHold(_ h: HoldView, json: Bool) throws {
    if json { try printJSON(h); return }
    print("\(h.kind) \(h.id): \(h.slot) for \(h.booking ?? h.customer), \(h.status.rawValue) until \(utcTime(h.expiresAt))"
          + (h.note.map { " (\($0))" } ?? ""))
}

extension FieldRouteCLI {
    struct Hold: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hold",
            abstract: "Keep a slot from everyone else for a few minutes while a customer decides.",
            discussion: """
            While the hold is open no other booking, hold or offer is given room this visit would need \
            ('fieldroute slots' no longer offers it; booking it as another customer says "slot taken"). \
            The customer books it with 'fieldroute book --customer C --slot S …', which takes the hold. \
            After --minutes it expires and is never honoured.

            Examples:
              fieldroute hold --slot 2026-11-25T10:00-12:00 --customer C-1001 --site 45.75,4.84 --duration 45 --minutes 15
              fieldroute hold release 7
            """,
            subcommands: [Make.self, Release.self], defaultSubcommand: Make.self)

        struct Make: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "make", abstract: "Hold a slot for a customer.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @Option(help: ArgumentHelp("A slot id from 'fieldroute slots'.", valueName: "id")) var slot: String
            @Option(help: "Customer id.") var customer: String
            @Option(help: ArgumentHelp("Where: latitude,longitude.", valueName: "lat,lon")) var site: String
            @Option(help: ArgumentHelp("Minutes on site.", valueName: "min")) var duration: Int
            @Option(help: ArgumentHelp("Required skill (repeat for several).", valueName: "skill")) var skill: [String] = []
            @Option(help: "How long the slot is kept, minutes (1–1440).") var minutes: Int
            @Flag(help: "Print JSON.") var json = false

            func validate() throws { _ = try parseSite(site) }

            func run() throws {
                let (lat, lon) = try parseSite(site)
                try printHold(try store.engine().bookings.hold(slot: slot, customer: customer, site: (lat, lon), durationMinutes: duration,
                                                                skills: skill, minutes: minutes, now: try clock.value()), json: json)
            }
        }

        struct Release: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "release", abstract: "Let a hold or offer go before it expires.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @Argument(help: "Hold id.") var id: Int64
            @Flag(help: "Print JSON.") var json = false

            func run() throws { try printHold(try store.engine().bookings.releaseHold(id, now: try clock.value()), json: json) }
        }
    }

    struct Offer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "offer",
            abstract: "Offer a booking another slot for a limited time (an earlier slot freed by a cancellation, a deal).",
            discussion: """
            The slot is held for that customer for --valid-minutes and the offer goes out through the outbox \
            with an accept link. Accepting within the time moves the visit there (as 'reschedule' does); \
            afterwards the offer expires and is never honoured. Dispatch's cancel_job lists such slots as \
            earlier_offers.

            Examples:
              fieldroute offer --booking B-2041 --slot 2026-11-25T08:00-10:00 --valid-minutes 30 --note "freed by a cancellation"
              fieldroute offer accept --booking B-2041 --token 3q2-…
            """,
            subcommands: [Make.self, Accept.self], defaultSubcommand: Make.self)

        struct Make: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "make", abstract: "Offer a slot to a booking.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @Option(help: "Booking id.") var booking: String
            @Option(help: ArgumentHelp("A slot id from 'fieldroute slots'.", valueName: "id")) var slot: String
            @Option(help: "How long the offer holds, minutes (1–10080).") var validMinutes: Int
            @Option(help: "A line for the customer (at most 500 characters).") var note: String?
            @Flag(help: "Print JSON.") var json = false

            func run() throws {
                try printHold(try store.engine().bookings.offer(booking: booking, slot: slot, validMinutes: validMinutes, note: note,
                                                                 now: try clock.value()), json: json)
            }
        }

        struct Accept: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "accept", abstract: "Accept a booking's open offer.")
            @OptionGroup var store: StoreOptions
            @OptionGroup var clock: NowOption
            @OptionGroup var who: RequesterOption
            @Option(help: "Booking id.") var booking: String
            @Flag(help: "Print JSON.") var json = false

            func run() throws {
                try printOutcome(try store.engine().bookings.acceptOffer(booking: booking, by: who.requester, now: try clock.value()), json: json)
            }
        }
    }
}
