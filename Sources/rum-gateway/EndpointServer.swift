import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A small HTTP/1.1 server for the gateway's own endpoints beside the data path (the admin
/// endpoint, the metrics): each whole request is answered by `answer`, on a listener of its own,
/// so that what they tell (tenants, usage, upstream addresses) is not served to the clients.
final class EndpointServer: Service, Sendable {
    /// An answer: its status, `Content-Type` and body.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: [UInt8]
    }

    private let host: String
    private let port: Int
    private let answer: @Sendable (HTTPRequestHead) -> Answer
    private let channel: EventLoopPromise<any Channel>

    /// A server on `host:port` that answers each request with `answer`.
    init(host: String, port: Int, answer: @escaping @Sendable (HTTPRequestHead) -> Answer) {
        self.host = host
        self.port = port
        self.answer = answer
        channel = MultiThreadedEventLoopGroup.singleton.next().makePromise()
    }

    /// Binds the listening socket and returns the address it listens on.
    func start() async throws -> String {
        let answer = self.answer
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(EndpointHandler(answer: answer))
                }
            }
            .bind(host: host, port: port)
            .get()
        self.channel.succeed(channel)
        guard let address = channel.localAddress, let boundPort = address.port else { return "\(host):\(port)" }
        return "\(address.ipAddress ?? host):\(boundPort)"
    }

    func run() async throws {
        let channel = try await self.channel.futureResult.get()
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

/// Answers the whole requests of one connection of an `EndpointServer`; the answer to `HEAD` is
/// `GET`'s head.
final class EndpointHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: @Sendable (HTTPRequestHead) -> EndpointServer.Answer
    private var head: HTTPRequestHead?

    init(answer: @escaping @Sendable (HTTPRequestHead) -> EndpointServer.Answer) {
        self.answer = answer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard var head else { return }
            self.head = nil
            let isHead = head.method == .HEAD
            if isHead { head.method = .GET }
            let answer = answer(head)
            var headers = HTTPHeaders([("Content-Type", answer.contentType), ("Content-Length", String(answer.body.count))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers))), promise: nil)
            if !isHead { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: answer.body)))), promise: nil) }
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}
