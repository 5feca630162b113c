// swift-tools-version: 6.1
import PackageDescription

// Module boundaries follow ../shared/DESIGN.md: fieldroute → FieldRoute → {RouteSolver, ArrivalWindows,
// Geofencing, FieldStore}. The pure modules (RouteSolver, ArrivalWindows) import nothing of ours and do no I/O.
let package = Package(
    name: "FieldRoute",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FieldRoute", targets: ["FieldRoute"]),
        .library(name: "RouteSolver", targets: ["RouteSolver"]),
        .library(name: "Geofencing", targets: ["Geofencing"]),
        .executable(name: "fieldroute", targets: ["fieldroute"]),
        .executable(name: "fieldroute-serve", targets: ["fieldroute-serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // `fieldroute serve` only: the HTTP API, the customer's page and the dispatcher's day.
        // No default traits: the swift-configuration support is not used, and FoundationEssentials is enough.
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", exact: "1.8.0"),
        // Tests only: an embedded channel for requests sent straight to the router. HummingbirdTesting would
        // bring AsyncHTTPClient, BoringSSL and HTTP/2 into every test build (minutes on a fresh clone).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
    ],
    targets: [
        .target(name: "RouteSolver"),
        .target(name: "ArrivalWindows"),
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .target(name: "Geofencing", dependencies: ["CGEOS"]),
        .target(name: "FieldStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "FieldRoute", dependencies: ["RouteSolver", "ArrivalWindows", "Geofencing", "FieldStore"]),
        // The HTTP service (`fieldroute serve`): routes, pages and the in-memory day over FieldRoute.
        .target(name: "FieldService", dependencies: [
            "FieldRoute", .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        // What both binaries share of the command line: exit codes, error lines.
        .target(name: "CommandLineSupport", dependencies: ["FieldRoute", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "fieldroute", dependencies: [
            "FieldRoute", "CommandLineSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // `fieldroute serve` runs this binary: the HTTP stack stays out of the CLI and its release build.
        .executableTarget(name: "fieldroute-serve", dependencies: [
            "FieldRoute", "FieldService", "CommandLineSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // libFuzzer harnesses for every parser: `make fuzz` builds this with -sanitize=fuzzer,address.
        .executableTarget(name: "FieldRouteFuzz", dependencies: ["FieldRoute", "FieldStore", "RouteSolver", "Geofencing"]),
        .testTarget(name: "RouteSolverTests", dependencies: ["RouteSolver"]),
        .testTarget(name: "ArrivalWindowsTests", dependencies: ["ArrivalWindows"]),
        .testTarget(name: "GeofencingTests", dependencies: ["Geofencing"]),
        .testTarget(name: "FieldStoreTests", dependencies: ["FieldStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "FieldRouteTests", dependencies: ["FieldRoute", "FieldStore", "RouteSolver", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "FieldServiceTests", dependencies: [
            "FieldService", "FieldRoute", "FieldStore", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "fieldrouteTests", dependencies: ["fieldroute", "FieldRoute", "FieldStore", "RouteSolver", .product(name: "GRDB", package: "GRDB.swift")]),
    ],
    swiftLanguageModes: [.v6]
)
