import NIOCore
import NIOHTTP1
import NIOPosix

/// The keep-alive connections from one event loop to the upstreams: a stack of idle ones per
/// upstream (the most recently used is taken first, so that the others age out), new ones made
/// on the same loop, so that a request never changes threads. At most
/// `maxConnectionsPerUpstream` connections to an upstream at once (as Envoy's circuit breaker):
/// further requests wait for one to come back, at most the connect timeout.
///
/// Used only on its event loop.
final class UpstreamPool {
    let eventLoop: any EventLoop
    private let addresses: [String: SocketAddress]
    private let settings: UpstreamPoolSettings
    private var idle: [String: [UpstreamConnection]] = [:]
    /// Connections open or being made, per upstream.
    private var open: [String: Int] = [:]
    /// Requests waiting for a connection, per upstream, oldest first.
    private var waiters: [String: CircularBuffer<Waiter>] = [:]

    /// A request waiting for a connection to an upstream at its limit.
    private final class Waiter {
        let promise: EventLoopPromise<UpstreamConnection>
        var timeout: Scheduled<Void>?

        init(promise: EventLoopPromise<UpstreamConnection>) {
            self.promise = promise
        }
    }

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
        guard open[upstream, default: 0] >= settings.maxConnectionsPerUpstream else { return connect(upstream) }
        let waiter = Waiter(promise: eventLoop.makePromise(of: UpstreamConnection.self))
        waiter.timeout = eventLoop.assumeIsolated().scheduleTask(in: settings.connectTimeout) { [self] in
            guard let index = waiters[upstream]?.firstIndex(where: { $0 === waiter }) else { return }
            waiters[upstream]?.remove(at: index)
            waiter.promise.fail(UpstreamBusyError(upstream: upstream))
        }
        waiters[upstream, default: CircularBuffer()].append(waiter)
        return waiter.promise.futureResult.assumeIsolated()
    }

    /// Takes back a connection whose last exchange ended cleanly.
    func checkin(_ connection: UpstreamConnection) {
        connection.exchange = nil
        if connection.channel.isActive, let waiter = waiters[connection.upstream]?.popFirst() {
            waiter.timeout?.cancel()
            waiter.promise.assumeIsolated().succeed(connection)
            return
        }
        guard connection.channel.isActive, idle[connection.upstream, default: []].count < settings.maxIdlePerUpstream else {
            connection.channel.close(promise: nil)
            return
        }
        connection.idleSince = .now()
        idle[connection.upstream, default: []].append(connection)
    }

    private func connect(_ upstream: String) -> EventLoopFuture<UpstreamConnection>.Isolated {
        guard let address = addresses[upstream] else {
            return eventLoop.makeFailedFuture(UnknownUpstreamError(upstream: upstream)).assumeIsolated()
        }
        open[upstream, default: 0] += 1
        let made = ClientBootstrap(group: eventLoop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(UpstreamResponseHandler())
                }
            }
            .connect(to: address)
            .assumeIsolated()
            .flatMapThrowing { [self] channel in
                // Closed already: its handler had no connection to report.
                guard channel.isActive else { throw ChannelError.alreadyClosed }
                let pipeline = channel.pipeline.syncOperations
                let handler = try pipeline.handler(type: UpstreamResponseHandler.self)
                let connection = UpstreamConnection(upstream: upstream, channel: channel, context: try pipeline.context(handler: handler))
                handler.connection = connection
                handler.onClose = { [weak self] closed in self?.closed(closed) }
                return connection
            }
        made.whenFailure { [self] _ in connectionEnded(upstream) }
        return made
    }

    /// Forgets a connection that closed (idle or not).
    private func closed(_ connection: UpstreamConnection) {
        idle[connection.upstream]?.removeAll { $0 === connection }
        connectionEnded(connection.upstream)
    }

    /// Counts a connection to `upstream` gone (closed, or never made), and makes one for the
    /// oldest request waiting, if any.
    private func connectionEnded(_ upstream: String) {
        open[upstream, default: 1] -= 1
        guard let waiter = waiters[upstream]?.popFirst() else { return }
        waiter.timeout?.cancel()
        connect(upstream).whenComplete { result in
            switch result {
            case .success(let connection): waiter.promise.assumeIsolated().succeed(connection)
            case .failure(let error): waiter.promise.fail(error)
            }
        }
    }
}

/// An upstream with `maxConnectionsPerUpstream` connections busy for longer than the connect
/// timeout.
struct UpstreamBusyError: Error, CustomStringConvertible {
    let upstream: String
    var description: String { "every connection to upstream \(upstream) is busy" }
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
    /// The most connections open to an upstream per event loop.
    var maxConnectionsPerUpstream: Int
}
