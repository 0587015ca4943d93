package import NIOCore
import Synchronization

/// The most connections a server holds open at once. A connection accepted past `maximum` is
/// closed at once, before anything is read from it or written to it, and counted (as Envoy's
/// listener connection limit does): a flood of connections cannot take the file descriptors and
/// the memory of the connections being served, nor those the server needs for its own exports.
///
/// The count is kept by the listening channel's handler (`makeServerChannelHandler()`), from the
/// accepted connection to its close, on whatever event loop each connection runs.
package final class ConnectionCap: Sendable {
    /// The most connections open at once.
    package let maximum: Int
    private let openCount = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)
    /// Called for each connection refused (for a service's metrics).
    private let onRefusal: @Sendable () -> Void

    /// A cap of `maximum` connections (at least 1); `onRefusal` is called for each one refused.
    package init(maximum: Int, onRefusal: @escaping @Sendable () -> Void = {}) {
        precondition(maximum >= 1, "a connection cap must allow at least one connection")
        self.maximum = maximum
        self.onRefusal = onRefusal
    }

    /// The connections open now.
    package var open: Int { openCount.load(ordering: .relaxed) }

    /// How many connections were refused.
    package var refused: Int { refusedCount.load(ordering: .relaxed) }

    /// The handler for the listening channel's pipeline, which sees each accepted connection first.
    package func makeServerChannelHandler() -> some ChannelInboundHandler {
        Handler(cap: self)
    }

    /// Counts `connection` in, or refuses it: `true` if it may be served.
    private func admit(_ connection: any Channel) -> Bool {
        guard openCount.wrappingAdd(1, ordering: .relaxed).oldValue < maximum else {
            openCount.wrappingSubtract(1, ordering: .relaxed)
            refusedCount.wrappingAdd(1, ordering: .relaxed)
            onRefusal()
            return false
        }
        connection.closeFuture.whenComplete { [self] _ in openCount.wrappingSubtract(1, ordering: .relaxed) }
        return true
    }

    /// Passes on the connections the cap admits and closes the others.
    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = any Channel
        typealias InboundOut = any Channel

        let cap: ConnectionCap

        init(cap: ConnectionCap) {
            self.cap = cap
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let connection = unwrapInboundIn(data)
            guard cap.admit(connection) else {
                connection.close(promise: nil)
                return
            }
            context.fireChannelRead(data)
        }
    }
}
