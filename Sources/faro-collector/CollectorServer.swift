import FaroCollector
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServerSupport
import ServiceLifecycle

/// The collector's HTTP/1.1 server on SwiftNIO: a `CollectorHTTPHandler` per connection behind
/// NIO's pipelining-safe server pipeline, an idle timeout per connection (slow headers and slow
/// bodies are closed), a cap on the connections open at once, and graceful shutdown that stops accepting, lets requests in flight finish
/// and then closes idle connections.
final class CollectorServer: Service, Sendable {
    /// How long a connection may send nothing (in headers, body or between requests) before it is closed.
    private let idleTimeout: TimeAmount
    /// How long a whole request may take to arrive.
    private let requestTimeout: TimeAmount
    /// The most connections open at once.
    private let connectionCap: ConnectionCap

    private let application: CollectorApplication
    private let host: String
    private let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let listener: GracefulListener

    init(
        application: CollectorApplication, host: String, port: Int, threads: Int, idleTimeout: TimeAmount,
        requestTimeout: TimeAmount, maxConnections: Int, logger: Logger
    ) {
        self.application = application
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        let metrics = application.metrics
        self.connectionCap = ConnectionCap(maximum: maxConnections) { metrics.connectionRefused() }
        self.host = host
        self.port = port
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.logger = logger
        self.listener = GracefulListener(group: group)
    }

    /// Binds the listening socket and returns the address it listens on (`host:port`).
    func start() async throws -> String {
        let application = self.application
        let idleTimeout = self.idleTimeout
        let requestTimeout = self.requestTimeout
        let shares = EventLoopShare.shares(of: group, application: application)
        let listener = self.listener
        let channel = try await listener.bootstrap(backlog: 1024, connectionCap: connectionCap)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
                    let share =
                        shares[ObjectIdentifier(channel.eventLoop)] ?? EventLoopShare(eventLoop: channel.eventLoop, application: application)
                    try pipeline.addHandler(
                        CollectorHTTPHandler(application: application, idleTimeout: idleTimeout, requestTimeout: requestTimeout, share: share))
                }
            }
            .bind(host: host, port: port)
            .get()
        return listener.listening(on: channel, host: host, port: port)
    }

    /// Serves until graceful shutdown, then stops accepting, finishes the requests in flight and
    /// shuts the event loops down.
    func run() async throws {
        let application = self.application
        try await listener.run { application.beginShutdown() }
    }
}
