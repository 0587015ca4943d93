import NIOCore
import NIOHTTP1
import NIOPosix

/// The keep-alive connections from one event loop to the upstreams: a stack of idle ones per
/// upstream (the most recently used is taken first, so that the others age out), new ones made
/// on the same loop, so that a request never changes threads.
///
/// Used only on its event loop.
final class UpstreamPool {
    let eventLoop: any EventLoop
    private let addresses: [String: SocketAddress]
    private let settings: UpstreamPoolSettings
    private var idle: [String: [UpstreamConnection]] = [:]

    init(eventLoop: any EventLoop, addresses: [String: SocketAddress], settings: UpstreamPoolSettings) {
        self.eventLoop = eventLoop
        self.addresses = addresses
        self.settings = settings
    }

    /// An open connection to `upstream`: an idle one that has not been idle too long, or a new one.
    func checkout(_ upstream: String) -> EventLoopFuture<UpstreamConnection>.Isolated {
        let now = NIODeadline.now()
        while let connection = idle[upstream]?.popLast() {
            if connection.channel.isActive, now - connection.idleSince < settings.idleTimeout {
                return eventLoop.makeSucceededIsolatedFuture(connection)
            }
            connection.channel.close(promise: nil)
        }
        return connect(upstream)
    }

    /// Takes back a connection whose last exchange ended cleanly.
    func checkin(_ connection: UpstreamConnection) {
        connection.exchange = nil
        guard connection.channel.isActive, idle[connection.upstream, default: []].count < settings.maxIdlePerUpstream else {
            connection.channel.close(promise: nil)
            return
        }
        connection.idleSince = .now()
        idle[connection.upstream, default: []].append(connection)
    }

    /// The idle connections now, per upstream.
    var idleCount: Int { idle.values.reduce(0) { $0 + $1.count } }

    /// Closes every idle connection (at shutdown).
    func closeIdle() {
        for connections in idle.values { for connection in connections { connection.channel.close(promise: nil) } }
        idle.removeAll()
    }

    private func connect(_ upstream: String) -> EventLoopFuture<UpstreamConnection>.Isolated {
        guard let address = addresses[upstream] else {
            return eventLoop.makeFailedFuture(UnknownUpstreamError(upstream: upstream)).assumeIsolated()
        }
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(UpstreamResponseHandler(upstream: upstream))
                }
            }
            .connect(to: address)
            .assumeIsolated()
            .flatMapThrowing { [self] channel in
                let pipeline = channel.pipeline.syncOperations
                let handler = try pipeline.handler(type: UpstreamResponseHandler.self)
                let connection = UpstreamConnection(upstream: upstream, channel: channel, context: try pipeline.context(handler: handler))
                handler.connection = connection
                handler.onClose = { [weak self] closed in self?.remove(closed) }
                return connection
            }
    }

    /// Drops a connection that closed while idle.
    private func remove(_ connection: UpstreamConnection) {
        idle[connection.upstream]?.removeAll { $0 === connection }
    }
}

/// An upstream the pool has no address for.
struct UnknownUpstreamError: Error, CustomStringConvertible {
    let upstream: String
    var description: String { "no address for upstream \(upstream)" }
}

/// How the pools connect and keep connections.
struct UpstreamPoolSettings: Sendable {
    /// How long a connection may take to be made.
    var connectTimeout: TimeAmount
    /// How long an idle connection is kept: less than the upstream's own idle timeout, so that
    /// the gateway does not send on a connection the upstream is closing.
    var idleTimeout: TimeAmount
    /// The most idle connections kept per upstream and event loop.
    var maxIdlePerUpstream: Int
}
