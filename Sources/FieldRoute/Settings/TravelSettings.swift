import Foundation

/// Where a region's travel times come from: its OSRM server when `osrm` names one
/// (`fieldroute settings set travel '{"osrm": "http://127.0.0.1:5000"}'`), else its imported matrix,
/// else the estimate from coordinates (`'{"speedByHour": [...24 km/h values...]}'`).
public struct TravelSettings: RegionSetting {
    public static let key = "travel"
    /// Road distance over straight-line distance (1–3).
    public var detourFactor: Double = 1.3
    /// Average door-to-door speed, km/h (5–130).
    public var speedKmh: Double = 25
    /// Speed by local hour of departure, 24 values in km/h (5–130); nil: `speedKmh` all day.
    public var speedByHour: [Double]?
    /// The address of an OSRM server (`http://host:port`, or `https://`) whose `table` service plan,
    /// dispatch and slots take travel times from; nil: none.
    public var osrm: String?
    /// The most coordinates one table request may carry (osrm-routed's `--max-table-size`), 2–10,000.
    public var osrmMaxTableSize: Int = 100
    /// The profile in the request path (`driving`); osrm-routed serves whichever it was built with.
    public var osrmProfile: String = "driving"
    /// Seconds to wait for one answer, 1–300.
    public var osrmTimeoutSeconds: Double = 30

    public init() {}

    public func validate() throws(FieldRouteError) {
        guard (1...3).contains(detourFactor) else { throw .badInput("travel.detourFactor must be 1–3, got \(detourFactor)") }
        guard (5...130).contains(speedKmh) else { throw .badInput("travel.speedKmh must be 5–130, got \(speedKmh)") }
        if let hours = speedByHour {
            guard hours.count == 24, hours.allSatisfy({ (5...130).contains($0) }) else {
                throw .badInput("travel.speedByHour must be 24 speeds (hours 0–23), each 5–130 km/h")
            }
        }
        if let osrm {
            guard osrm.count <= 2_000, let url = URL(string: osrm), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.query == nil, url.fragment == nil else {
                throw .badInput("travel.osrm must be a server address such as http://127.0.0.1:5000, got '\(osrm)'")
            }
        }
        guard (2...10_000).contains(osrmMaxTableSize) else {
            throw .badInput("travel.osrmMaxTableSize must be 2–10000 (the server's --max-table-size), got \(osrmMaxTableSize)")
        }
        guard !osrmProfile.isEmpty, osrmProfile.count <= 64, osrmProfile.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw .badInput("travel.osrmProfile must be a name such as driving, got '\(osrmProfile)'")
        }
        guard (1...300).contains(osrmTimeoutSeconds) else {
            throw .badInput("travel.osrmTimeoutSeconds must be 1–300, got \(osrmTimeoutSeconds)")
        }
    }

    /// The region's OSRM server, when it names one.
    var osrmClient: OSRMClient? {
        guard var server = osrm else { return nil }
        while server.hasSuffix("/") { server.removeLast() }
        return OSRMClient(server: server, profile: osrmProfile, maxTableSize: osrmMaxTableSize, timeout: osrmTimeoutSeconds,
                          hint: "The region's travel times come from it alone: start it, or unset it "
                              + "(fieldroute settings set travel '{\"osrm\": null}')")
    }

    public var model: TravelTimeModel { TravelTimeModel(detourFactor: detourFactor, speedKmh: speedKmh, speedByHour: speedByHour) }
}
