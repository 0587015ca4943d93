import NIOConcurrencyHelpers
package import NIOCore
import NIOExtras
package import NIOPosix
import ServiceLifecycle

/// The listening side of a service's SwiftNIO server and its graceful shutdown, as both services
/// run it: the listening channel gets NIO's quiescing handler; at graceful shutdown the server
/// stops accepting, lets the requests in flight finish (each connection closes once its answer
/// is written: NIO's HTTP pipeline handler does it for the collector, the gateway's own handler
/// for the gateway), then the event loops shut down.
package final class GracefulListener: Sendable {
    private let group: MultiThreadedEventLoopGroup
    /// Released before the event loops shut down: its deinit schedules on them.
    private let quiesce: NIOLockedValueBox<ServerQuiescingHelper?>
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    /// A listener whose server runs on `group`.
    package init(group: MultiThreadedEventLoopGroup) {
        self.group = group
        quiesce = NIOLockedValueBox(ServerQuiescingHelper(group: group))
    }

    /// A bootstrap on the listener's event loops with what both services' servers set: a listen
    /// backlog of `backlog`, `SO_REUSEADDR`, the connection cap (which sees each connection first)
    /// and the quiescing handler on the listening channel, and for each connection `TCP_NODELAY`
    /// and up to 16 reads a wake-up. The caller adds its connections' pipeline and binds.
    package func bootstrap(backlog: Int32, connectionCap: ConnectionCap) -> ServerBootstrap {
        let quiesce = self.quiesce
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let helper = quiesce.withLockedValue({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    try channel.pipeline.syncOperations.addHandler(connectionCap.makeServerChannelHandler())
                    try channel.pipeline.syncOperations.addHandler(helper.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
    }

    /// Records the bound listening channel and returns the address it listens on (`host:port`).
    package func listening(on channel: any Channel, host: String, port: Int) -> String {
        self.channel.withLockedValue { $0 = channel }
        guard let address = channel.localAddress, let boundPort = address.port else { return "\(host):\(port)" }
        return "\(address.ipAddress ?? host):\(boundPort)"
    }

    /// Serves until graceful shutdown, then calls `beginShutdown`, stops accepting, finishes the
    /// requests in flight and shuts the event loops down.
    package func run(beginShutdown: @escaping @Sendable () -> Void) async throws {
        let quiesce = self.quiesce
        let done = group.next().makePromise(of: Void.self)
        try await withGracefulShutdownHandler {
            try await done.futureResult.get()
        } onGracefulShutdown: {
            beginShutdown()
            quiesce.withLockedValue { $0 }?.initiateShutdown(promise: done)
        }
        // The helper may report the last connection closed before the listening socket is.
        try? await channel.withLockedValue { $0 }?.closeFuture.get()
        quiesce.withLockedValue { $0 = nil }
        try await group.shutdownGracefully()
    }
}
