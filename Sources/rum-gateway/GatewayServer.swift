import ServerSupport
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The gateway's HTTP/1.1 server on SwiftNIO: a `GatewayHTTPHandler` per client connection behind
/// NIO's HTTP/1.1 codec (the handler keeps pipelined requests in order itself), with an upstream pool and a flush batch per event loop and
/// a cap on the client connections open at once; graceful shutdown stops accepting, lets requests in flight finish and closes idle connections.
final class GatewayServer: Service, Sendable {
    private let application: GatewayApplication
    private let host: String
    private let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let addresses: [String: SocketAddress]
    private let listener: GracefulListener

    /// A server for `application` on `host:port` with `threads` event loops, sending to the
    /// upstreams at `addresses`.
    init(application: GatewayApplication, host: String, port: Int, threads: Int, addresses: [String: SocketAddress]) {
        self.application = application
        self.host = host
        self.port = port
        self.addresses = addresses
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.listener = GracefulListener(group: group)
    }

    /// Binds the listening socket and returns the address it listens on (`host:port`).
    func start() async throws -> String {
        let application = self.application
        let settings = application.settings
        let addresses = self.addresses
        // One pool and flush batch per event loop, made on it and used only there.
        var shares: [ObjectIdentifier: EventLoopShare] = [:]
        for eventLoop in group.makeIterator() {
            shares[ObjectIdentifier(eventLoop)] = EventLoopShare(eventLoop: eventLoop, addresses: addresses, settings: settings.pool)
        }
        let loopShares = shares
        let listener = self.listener
        let channel = try await listener.bootstrap(backlog: 4096, connectionCap: application.connectionCap)
            // Each connection keeps its last read buffer for the next read: capped, so that
            // 10,000 connections that posted payloads of a few KiB keep 8 KiB each, not 16 or 64.
            .childChannelOption(
                .recvAllocator,
                value: AdaptiveRecvByteBufferAllocator(
                    minimum: 64, initial: min(2048, settings.maxReadBuffer), maximum: settings.maxReadBuffer))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let share = loopShares[ObjectIdentifier(channel.eventLoop)] else { throw ChannelError.ioOnClosedChannel }
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
                    try pipeline.addHandler(
                        GatewayHTTPHandler(application: application, pool: share.pool, flushBatch: share.flushBatch))
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

/// What the connections of one event loop share: the keep-alive connections to the upstreams and
/// the batch of writes flushed after each pass. Used only on its event loop.
final class EventLoopShare: @unchecked Sendable {
    let pool: UpstreamPool
    let flushBatch: EventLoopFlushBatch

    init(eventLoop: any EventLoop, addresses: [String: SocketAddress], settings: UpstreamPoolSettings) {
        pool = UpstreamPool(eventLoop: eventLoop, addresses: addresses, settings: settings)
        flushBatch = EventLoopFlushBatch(eventLoop: eventLoop)
    }
}
