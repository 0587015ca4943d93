import NIOCore
import NIOHTTP1

/// What uses an upstream connection while a request is on it: the client connection's handler.
protocol UpstreamExchange: AnyObject {
    /// A part of the upstream's answer arrived.
    func upstream(_ connection: UpstreamConnection, received part: HTTPClientResponsePart)
    /// The connection closed (by the upstream, an error, or the gateway).
    func upstreamClosed(_ connection: UpstreamConnection)
    /// The connection can take more writes, or cannot.
    func upstreamWritabilityChanged(_ connection: UpstreamConnection)
}

/// A keep-alive HTTP/1.1 connection to an upstream collector, on the event loop of the client
/// connections it serves; one request at a time.
///
/// Used only on its event loop.
final class UpstreamConnection {
    /// The upstream, as the balancer names it.
    let upstream: String
    let channel: any Channel
    /// The context of its handler, through which requests are written.
    let context: ChannelHandlerContext
    /// Who uses it now; nil while it is idle in its pool.
    var exchange: (any UpstreamExchange)?
    /// When it went back to its pool.
    var idleSince = NIODeadline.now()

    init(upstream: String, channel: any Channel, context: ChannelHandlerContext) {
        self.upstream = upstream
        self.channel = channel
        self.context = context
    }

    /// Writes `part` without flushing.
    func write(_ part: HTTPClientRequestPart) {
        context.write(NIOAny(part), promise: nil)
    }
}

/// The last handler of an upstream connection: passes the answer's parts to the exchange on it,
/// and tells its pool when it closes.
final class UpstreamResponseHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// Set when the connection is made.
    var connection: UpstreamConnection?
    /// Told when the connection closes, to drop it if it is idle.
    var onClose: ((UpstreamConnection) -> Void)?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let connection, let exchange = connection.exchange else {
            // An idle connection has nothing to say: something is wrong with it.
            context.close(promise: nil)
            return
        }
        exchange.upstream(connection, received: unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let connection {
            onClose?(connection)
            connection.exchange?.upstreamClosed(connection)
            connection.exchange = nil
        }
        onClose = nil
        connection = nil
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let connection { connection.exchange?.upstreamWritabilityChanged(connection) }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
