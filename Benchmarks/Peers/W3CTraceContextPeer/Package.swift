// swift-tools-version: 6.1
import PackageDescription

// swift-otel's swift-w3c-trace-context, W3CTraceContext's peer, behind a C entry point in a
// shared library that `trace-context-ratios` loads at run time. A package of its own because its
// module has our module's name: SwiftPM refuses two targets of one name in one package graph,
// and module aliases do not apply to a path dependency's products.
let package = Package(
    name: "w3c-trace-context-peer",
    products: [
        .library(name: "W3CTraceContextPeer", type: .dynamic, targets: ["W3CTraceContextPeer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
    ],
    targets: [
        .target(
            name: "W3CTraceContextPeer",
            dependencies: [.product(name: "W3CTraceContext", package: "swift-w3c-trace-context")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
