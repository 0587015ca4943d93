// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-rum",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FaroModel", targets: ["FaroModel"]),
        .library(name: "W3CTraceContext", targets: ["W3CTraceContext"]),
        .library(name: "ProtobufWire", targets: ["ProtobufWire"]),
        .library(name: "OTLPCodec", targets: ["OTLPCodec"]),
        .library(name: "TokenBucket", targets: ["TokenBucket"]),
        .library(name: "RESPClient", targets: ["RESPClient"]),
        .library(name: "TokenBucketRedis", targets: ["TokenBucketRedis"]),
        .library(name: "Sampler", targets: ["Sampler"]),
        .library(name: "Snappy", targets: ["Snappy"]),
        .library(name: "WriteAheadSpool", targets: ["WriteAheadSpool"]),
        .library(name: "LokiPushCodec", targets: ["LokiPushCodec"]),
        .library(name: "LokiPush", targets: ["LokiPush"]),
        .library(name: "PushDelivery", targets: ["PushDelivery"]),
        .library(name: "OTLPHTTPClient", targets: ["OTLPHTTPClient"]),
        .library(name: "SourceMaps", targets: ["SourceMaps"]),
        .library(name: "IntakePolicy", targets: ["IntakePolicy"]),
        .library(name: "FaroCollector", targets: ["FaroCollector"]),
        .library(name: "RUMGateway", targets: ["RUMGateway"]),
        .library(name: "RUMTracing", targets: ["RUMTracing"]),
        .library(name: "RUMTracingHummingbird", targets: ["RUMTracingHummingbird"]),
        .executable(name: "rumctl", targets: ["rumctl"]),
        .executable(name: "w3c-test-service", targets: ["w3c-test-service"]),
        .executable(name: "faro-collector", targets: ["faro-collector"]),
        .executable(name: "rum-gateway", targets: ["rum-gateway"]),
        .executable(name: "ssr-demo", targets: ["ssr-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        .target(name: "CByteMask"),
        .target(name: "CMallocTrim"),
        .target(name: "FaroModel", dependencies: ["CByteMask"], swiftSettings: strict),
        .target(name: "ProtobufWire", swiftSettings: strict),
        .target(name: "Snappy", swiftSettings: strict),
        .target(name: "HTTPFieldText", swiftSettings: strict),
        .target(name: "W3CTraceContext", dependencies: ["HTTPFieldText"], swiftSettings: strict),
        .target(name: "WriteAheadSpool", swiftSettings: strict),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "GzipCompression", dependencies: ["CZlib"], swiftSettings: strict),
        .target(name: "LokiPushCodec", dependencies: ["ProtobufWire", "Snappy", "GzipCompression", "FaroModel"], swiftSettings: strict),
        .target(
            name: "LokiPush",
            dependencies: [
                "LokiPushCodec",
                "PushDelivery",
                "WriteAheadSpool",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(name: "OTLPCodec", dependencies: ["ProtobufWire", "FaroModel"], swiftSettings: strict),
        .target(
            name: "PushDelivery",
            dependencies: [
                "TokenBucket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OTLPHTTPClient",
            dependencies: [
                "PushDelivery", "GzipCompression", "OTLPCodec", "WriteAheadSpool",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(name: "SourceMaps", dependencies: ["FaroModel"], swiftSettings: strict),
        .target(
            name: "FaroCollector",
            dependencies: [
                "FaroModel", "OTLPCodec", "OTLPHTTPClient", "TokenBucket", "Sampler", "LokiPush", "LokiPushCodec", "Snappy",
                "ProtobufWire", "SourceMaps", "IntakePolicy", "HTTPFieldText", "CZlib", "PushDelivery",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .target(name: "TokenBucket", swiftSettings: strict),
        .target(name: "IntakePolicy", dependencies: ["HTTPFieldText"], swiftSettings: strict),
        .target(
            name: "ServerSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .target(name: "ConfigurationReading", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "RUMGateway", dependencies: ["W3CTraceContext", "TokenBucket", "IntakePolicy", "HTTPFieldText", "ConfigurationReading"], swiftSettings: strict),
        .target(name: "Sampler", dependencies: ["W3CTraceContext", "TokenBucket"], swiftSettings: strict),
        .target(
            name: "RUMTracing",
            dependencies: [
                "OTLPCodec", "ProtobufWire", "W3CTraceContext", "Sampler", "OTLPHTTPClient", "PushDelivery",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "RUMTracingHummingbird",
            dependencies: [
                "RUMTracing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ssr-demo",
            dependencies: [
                "RUMTracing", "RUMTracingHummingbird", "OTLPHTTPClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Public"), .copy("Templates")],
            swiftSettings: strict
        ),
        .target(
            name: "RESPClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TokenBucketRedis",
            dependencies: [
                "TokenBucket",
                "RESPClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rumctl",
            dependencies: [
                "FaroModel",
                "OTLPCodec",
                "RUMGateway",
                "TokenBucket",
                "TokenBucketRedis",
                "RESPClient",
                "LokiPush",
                "LokiPushCodec",
                "WriteAheadSpool",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "faro-collector",
            dependencies: [
                "FaroCollector", "FaroModel", "LokiPush", "LokiPushCodec", "OTLPHTTPClient", "SourceMaps", "Snappy", "IntakePolicy", "HTTPFieldText",
                "ConfigurationReading", "ServerSupport", "PushDelivery", "WriteAheadSpool",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "rum-gateway",
            dependencies: [
                "RUMGateway", "IntakePolicy", "HTTPFieldText", "ConfigurationReading", "ServerSupport", "TokenBucket", "TokenBucketRedis", "RESPClient",
                "CMallocTrim", "PushDelivery",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "w3c-test-service",
            dependencies: [
                "W3CTraceContext",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "RESPClientTests",
            dependencies: [
                "RESPClient", "TestSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "FaroModelTests", dependencies: ["FaroModel", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "SourceMapsTests", dependencies: ["SourceMaps", "FaroModel", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "ProtobufWireTests", dependencies: ["ProtobufWire"], swiftSettings: strict),
        .testTarget(name: "SnappyTests", dependencies: ["Snappy", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "WriteAheadSpoolTests", dependencies: ["WriteAheadSpool", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "LokiPushCodecTests", dependencies: ["LokiPushCodec", "ProtobufWire", "Snappy", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LokiPushTests",
            dependencies: [
                "LokiPush", "LokiPushCodec", "WriteAheadSpool", "TestSupport", "rumctl",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "W3CTraceContextTests", dependencies: ["W3CTraceContext", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "OTLPCodecTests", dependencies: ["OTLPCodec", "ProtobufWire", "FaroModel", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "PushDeliveryTests",
            dependencies: ["PushDelivery", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "OTLPHTTPClientTests",
            dependencies: [
                "OTLPHTTPClient", "OTLPCodec", "TestSupport", "WriteAheadSpool",
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TokenBucketTests", dependencies: ["TokenBucket", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "IntakePolicyTests", dependencies: ["IntakePolicy"], swiftSettings: strict),
        .testTarget(name: "HTTPFieldTextTests", dependencies: ["HTTPFieldText"], swiftSettings: strict),
        .testTarget(
            name: "RUMGatewayTests",
            dependencies: ["RUMGateway", "TokenBucket", "TestSupport", "ConfigurationReading", "W3CTraceContext", "IntakePolicy"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServerSupportTests",
            dependencies: ["ServerSupport", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SamplerTests", dependencies: ["Sampler", "W3CTraceContext", "TokenBucket", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TokenBucketRedisTests",
            dependencies: [
                "TokenBucketRedis", "TokenBucket", "RESPClient", "TestSupport", "rumctl",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FaroCollectorTests",
            dependencies: [
                "FaroCollector", "faro-collector", "FaroModel", "OTLPCodec", "LokiPushCodec", "Snappy", "TestSupport", "CZlib",
                "IntakePolicy",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RUMGatewayServiceTests",
            dependencies: [
                "rum-gateway", "faro-collector", "rumctl", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RUMTracingTests",
            dependencies: [
                "RUMTracing", "OTLPCodec", "OTLPHTTPClient", "W3CTraceContext", "Sampler", "TestSupport",
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RUMTracingHummingbirdTests",
            dependencies: [
                "RUMTracingHummingbird", "RUMTracing", "OTLPCodec", "Sampler", "W3CTraceContext",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SSRDemoTests",
            dependencies: [
                "ssr-demo", "faro-collector", "TestSupport",
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "W3CTestServiceTests",
            dependencies: [
                "w3c-test-service", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
