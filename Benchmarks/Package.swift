// swift-tools-version: 6.1
import PackageDescription

// The benchmarks of swift-rum, a package of their own so that the library does not depend on
// package-benchmark. `./run` builds them with `-c release` and runs both parts:
// - `faro-model-ratios` times FaroModel and its peer (Foundation's JSONDecoder) in one process
//   and prints medians, ratios and pass/fail against the performance targets;
// - `FaroModelBenchmarks`, the package-benchmark suite (`swift package benchmark`), with
//   throughput and malloc metrics.

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-rum-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "swift-rum", path: ".."),
        // Only the MallocInterposer trait: the default RuntimeInterposer trait pulls in
        // ordo-one/swift-runtime-interposer on Linux with Swift 6.3, which the suite does not
        // need (it measures no ARC metrics) and which is not available here.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "BenchmarkReporting", swiftSettings: strict),
        .target(
            name: "FaroBenchmarkSupport",
            dependencies: [.product(name: "FaroModel", package: "swift-rum")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "faro-model-ratios",
            dependencies: ["BenchmarkReporting", "FaroBenchmarkSupport", .product(name: "FaroModel", package: "swift-rum")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "FaroModelBenchmarks",
            dependencies: [
                "FaroBenchmarkSupport",
                .product(name: "FaroModel", package: "swift-rum"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FaroModelBenchmarks",
            swiftSettings: strict,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
