// swift-tools-version: 6.1
import PackageDescription

// swift-otel 1.6.0's tracing backend with its OTLP/HTTP protobuf exporter, RUMTracing's peer, behind
// C entry points in a shared library that `rum-tracing-ratios` loads at run time. A package of its
// own because swift-otel depends on swift-w3c-trace-context, whose module has our W3CTraceContext's
// name (see Peers/W3CTraceContextPeer). Only swift-otel's OTLPHTTP trait: its default traits would
// build gRPC too.
let package = Package(
    name: "swift-otel-peer",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SwiftOTelPeer", type: .dynamic, targets: ["SwiftOTelPeer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-otel/swift-otel.git", exact: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(
            name: "SwiftOTelPeer",
            dependencies: [
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
