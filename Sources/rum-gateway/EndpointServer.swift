import NIOCore
import NIOHTTP1
import NIOPosix
import ServerSupport
import ServiceLifecycle

/// A small HTTP/1.1 server for the gateway's own endpoints beside the data path (the admin
/// endpoint, the metrics): each whole request is answered by `answer`, on a listener of its own,
/// so that what they tell (tenants, usage, upstream addresses) is not served to the clients.
/// Its connections have the client connections' idle and request timeouts, and at most
/// `maxConnections` are open at once (its `ConnectionCap` counts those refused), so that whoever
/// reaches its port cannot hold the file descriptors the clients' connections need.
final class EndpointServer: Service, Sendable {
    /// The most connections open at once on one endpoint server: a few scrapers and admin
    /// requests need far fewer.
    static let maxConnections = 64

    /// An answer: its status, `Content-Type` and body.
    struct Answer: Sendable {
        var status: HTTPResponseStatus
        var contentType: String
        var body: [UInt8]
    }

    private let host: String
    private let port: Int
    private let idleTimeout: TimeAmount
    private let requestTimeout: TimeAmount
    private let answer: @Sendable (HTTPRequestHead) -> Answer
    private let connectionCap: ConnectionCap
    private let channel: EventLoopPromise<any Channel>

    /// A server on `host:port` that answers each request with `answer`, closing a connection that
    /// sends nothing for `idleTimeout` or whose request has not arrived whole `requestTimeout`
    /// after its first bytes; `connectionCap` (of `maxConnections`) counts its connections.
    init(
        host: String, port: Int, idleTimeout: TimeAmount, requestTimeout: TimeAmount, connectionCap: ConnectionCap,
        answer: @escaping @Sendable (HTTPRequestHead) -> Answer
    ) {
        self.host = host
        self.port = port
        self.connectionCap = connectionCap
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.answer = answer
        channel = MultiThreadedEventLoopGroup.singleton.next().makePromise()
    }

    /// Binds the listening socket and returns the address it listens on.
    func start() async throws -> String {
        let answer = self.answer
        let connectionCap = self.connectionCap
        let (idleTimeout, requestTimeout) = (self.idleTimeout, self.requestTimeout)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(connectionCap.makeServerChannelHandler())
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        EndpointHandler(
                            answer: answer, deadlines: ConnectionDeadlines(idleTimeout: idleTimeout, requestTimeout: requestTimeout)))
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
/// `GET`'s head. The connection closes when its `deadlines` run out.
final class EndpointHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let answer: @Sendable (HTTPRequestHead) -> EndpointServer.Answer
    private var head: HTTPRequestHead?
    /// The idle timeout, and the request timeout counted from each request's first bytes.
    private var deadlines: ConnectionDeadlines

    init(answer: @escaping @Sendable (HTTPRequestHead) -> EndpointServer.Answer, deadlines: ConnectionDeadlines) {
        self.answer = answer
        self.deadlines = deadlines
    }

    func channelActive(context: ChannelHandlerContext) {
        deadlines.opened(at: .now())
        checkDeadlines(by: deadlines.next, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadlines.cancel()
        context.fireChannelInactive()
    }

    /// Every read ends here, a part of a head too: it counts against the idle timeout, and bytes
    /// read between requests start the next request's clock.
    func channelReadComplete(context: ChannelHandlerContext) {
        if let requestDeadline = deadlines.read(at: .now()) { checkDeadlines(by: requestDeadline, context: context) }
        context.fireChannelReadComplete()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            checkDeadlines(by: deadlines.requestStarted(at: .now()), context: context)
        case .body: break
        case .end:
            deadlines.requestEnded()
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

    /// Makes the timer fire by `deadline` at the latest; when it fires, a connection whose
    /// deadlines have run out is closed, else the timer waits for the next one. The answers are
    /// written at once, so the connection never waits on the server.
    private func checkDeadlines(by deadline: NIODeadline, context: ChannelHandlerContext) {
        deadlines.check(by: deadline, on: context.eventLoop) { [self] in
            deadlines.timerFired()
            guard deadlines.expiry(at: .now(), waitingOnServer: false) == nil else {
                context.close(promise: nil)
                return
            }
            checkDeadlines(by: deadlines.next, context: context)
        }
    }
}
