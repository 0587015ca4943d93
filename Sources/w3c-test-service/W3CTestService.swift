import ArgumentParser
import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// `w3c-test-service`: the service that the official W3C Trace Context test suite
/// (github.com/w3c/trace-context, `test/`) is pointed at, propagating context as a participating
/// tracer with this package's `W3CTraceContext`.
@main
struct W3CTestService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "w3c-test-service",
        abstract: "Serve the test protocol of the W3C Trace Context test suite as a participating tracer.",
        discussion: """
            POST /test takes a JSON array of {"url": ..., "arguments": ...} objects. For each, in order, the \
            service posts the arguments as JSON to the url with the traceparent and tracestate of a new span \
            (same trace id and tracestate with its own "swiftrum" entry first when the request had one valid \
            traceparent; a new trace otherwise), then answers 200 with each call's status.
            Run the suite against it: SERVICE_ENDPOINT=http://127.0.0.1:5000/test python test.py
            Each request is logged on standard error.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: one the system picks, which the log gives).")
    var port = 5000

    @Option(help: "How many seconds one callback may take before it counts as failed.")
    var callbackTimeout = 5.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        guard callbackTimeout > 0, callbackTimeout <= 3600 else {
            throw ValidationError("--callback-timeout must be more than 0 and at most 3600 seconds, got \(callbackTimeout)")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "w3c-test-service")
        // A call to a URL where nothing listens fails at once instead of retrying until its timeout.
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            let runner = CallbackRunner(
                client: client, logger: logger, timeout: .nanoseconds(Int64((callbackTimeout * 1e9).rounded())))
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(
                            TestRequestHandler(runner: runner, logger: logger))
                    }
                }
                .bind(host: host, port: port)
                .get()
            logger.info("listening on http://\(host):\(channel.localAddress?.port ?? port)/test")
            try await channel.closeFuture.get()
        }
    }
}
