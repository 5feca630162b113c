// swift-tools-version: 6.1
import Foundation
import PackageDescription

// A package of its own, so `swift test` on the main package never builds package-benchmark.
// Run from this folder: swift package benchmark --no-progress
// The main package's identity is its folder's name (path dependencies are named after their folder).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "FieldRouteBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SolverBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RouteSolver", package: root),
            ],
            path: "SolverBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GeofenceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Geofencing", package: root),
                .product(name: "FieldRoute", package: root),
            ],
            path: "GeofenceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "DispatchBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "FieldRoute", package: root),
            ],
            path: "DispatchBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not a micro benchmark: `swift run -c release PlanScale` plans 100 technicians and 1,500 visits.
        .executableTarget(
            name: "PlanScale",
            dependencies: [.product(name: "FieldRoute", package: root)],
            path: "PlanScale"
        ),
        // Not a micro benchmark: `swift run -c release CLILatency` times dispatcher calls through the CLI.
        .executableTarget(
            name: "CLILatency",
            dependencies: [.product(name: "FieldRoute", package: root)],
            path: "CLILatency"
        ),
    ],
    swiftLanguageModes: [.v6]
)
