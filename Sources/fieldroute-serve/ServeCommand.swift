import ArgumentParser
import CommandLineSupport
import FieldRoute
import FieldService
import Foundation
import Synchronization

/// `fieldroute serve`: the HTTP service in a binary of its own, so that the CLI (and its release
/// build, which the solver's quality gate waits for) carries no HTTP stack. `fieldroute serve …`
/// runs this binary, installed beside `fieldroute`, with the same arguments.
@main
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldroute serve",
        abstract: "Serve the JSON API, the customers' self-service pages and the dispatcher's day over HTTP.",
        discussion: """
        Bound to 127.0.0.1 by default. Pages and routes:
          /healthz          "ok"
          /s/TOKEN          the customer's page at their reminder link
                            (confirm, cancel, move, tracking)
          /day/DATE?key=K   the dispatcher's day: SVG map and timeline (staff)
          /api/…            JSON, the CLI's answers (Docs/openapi.yaml); staff
                            routes need Authorization: Bearer K (a staff token);
                            /api/self/TOKEN/… is the customer's own
          POST /            a VROOM problem solved, VROOM's answer (staff); with
                            --osrm URL, locations may be coordinates

        Staff tokens come from 'fieldroute staff-token'. Reminder links point at reminders.linkBase, \
        by default http://127.0.0.1:8080/s/ (this command's default address); set it to the address \
        customers reach. Writes by other processes are noticed and the day read again. Ctrl-C stops.

        Examples:
          fieldroute serve --db fieldroute-demo.sqlite
          fieldroute serve --db ops.sqlite --host 0.0.0.0 --port 9000
          fieldroute serve --db fieldroute-demo.sqlite --now 2026-11-24T11:00:00+01:00
        """)
    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on (127.0.0.1: this machine only).") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: ArgumentHelp("Serve as if it were always this moment (demos, replays): Unix seconds or ISO-8601.", valueName: "time"))
    var now: String?
    @Option(help: ArgumentHelp("Requests per minute one customer link may make.", valueName: "n")) var perLinkPerMinute = 30
    @Option(help: ArgumentHelp("An OSRM server for POST / problems whose locations are coordinates (no matrices).", valueName: "url"))
    var osrm: String?

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1–65535, got \(port)") }
        guard (1...10_000).contains(perLinkPerMinute) else { throw ValidationError("--per-link-per-minute must be 1–10000") }
    }

    func run() throws {
        Self.keepLargeBlocksInTheHeap()
        let fixed = try now.map { text throws(FieldRouteError) in try Engine.instant(text, name: "--now") }
        let options = ServeOptions(host: host, port: port, fixedNow: fixed, customerRequestsPerMinute: perLinkPerMinute,
                                   vroomRouter: try osrm.map { address throws(FieldRouteError) in try VroomRouter(osrm: address) })
        let server = try FieldServer(engine: try store.engine(), options: options)
        printError("serve: http://\(host):\(port)/healthz, /day/DATE?key=STAFF, /s/TOKEN (\(store.resolvedPath))")
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        Task {
            do { try await server.application().runService() } catch { failure.withLock { $0 = "\(error)" } }
            done.signal()
        }
        done.wait()
        if let message = failure.withLock({ $0 }) { throw FieldRouteError.internalFailure("serve: \(message)") }
    }

    static func main() { runExitingWithFieldRouteCodes() }

    /// Each dispatch call builds travel matrices of a few MB. glibc maps and unmaps blocks that large
    /// (and trims freed heap) each time, and the page faults were a sixth of a what-if's time; blocks
    /// up to 64 MB are kept in the heap instead. `mallopt` is not in the Glibc module: found with dlsym.
    /// (Same effect as MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456.)
    private static func keepLargeBlocksInTheHeap() {
        #if os(Linux)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD (malloc.h)
        _ = mallopt(mmapThreshold, 64 << 20)
        _ = mallopt(trimThreshold, 256 << 20)
        #endif
    }
}
