import NIOCore
public import NIOHTTP1
import NIOPosix
import Synchronization

/// A request that a `RecordingHTTPServer` received.
public struct RecordedRequest: Sendable {
    /// Its path (and query).
    public let path: String
    /// Its header fields, in order, names as sent.
    public let headers: HTTPHeaders
    /// Its body, as sent.
    public let body: [UInt8]
    /// When it arrived.
    public let arrival: ContinuousClock.Instant
}

/// How a `RecordingHTTPServer` answers one request.
public struct HTTPAnswer: Sendable {
    /// The status.
    public var status: HTTPResponseStatus
    /// Header fields (`Content-Length` is added).
    public var headers: [(String, String)]
    /// The body.
    public var body: String
    /// How long to wait before answering.
    public var delay: Duration

    /// An answer; by default an empty `204 No Content` at once.
    public init(status: HTTPResponseStatus = .noContent, headers: [(String, String)] = [], body: String = "", delay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
    }
}

/// An HTTP/1.1 server for tests, on a loopback port the system picks: it records every request
/// and answers as `answer` decides, and counts how many requests were open at once.
public final class RecordingHTTPServer: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let channel: any Channel
    private let state: State

    /// What the server shares with its connections.
    final class State: Sendable {
        let received = Mutex<[RecordedRequest]>([])
        let answer: Mutex<@Sendable (_ index: Int, _ request: RecordedRequest) -> HTTPAnswer>
        let concurrency = Mutex<(current: Int, maximum: Int)>((0, 0))

        init(answer: @escaping @Sendable (Int, RecordedRequest) -> HTTPAnswer) {
            self.answer = Mutex(answer)
        }

        /// Records `request`, returning how to answer it.
        func record(_ request: RecordedRequest) -> HTTPAnswer {
            let index = received.withLock { received in
                received.append(request)
                return received.count - 1
            }
            concurrency.withLock { state in
                state.current += 1
                state.maximum = max(state.maximum, state.current)
            }
            return answer.withLock { $0 }(index, request)
        }

        /// Notes that an answer was sent.
        func answered() {
            concurrency.withLock { $0.current -= 1 }
        }
    }

    /// Starts listening; `answer` gets each request's index (from 0) and the request. With
    /// `headFirst`, each answer starts before its request's body is read: a `200` head with a
    /// chunked body goes out as soon as the request's head arrives, as a streaming server may
    /// answer, and `answer`'s body and the end follow the request's end (its status and headers
    /// are not used).
    public init(
        headFirst: Bool = false, answer: @escaping @Sendable (Int, RecordedRequest) -> HTTPAnswer = { _, _ in HTTPAnswer() }
    ) async throws {
        let state = State(answer: answer)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(state: state, headFirst: headFirst))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
        self.state = state
    }

    /// The URL of `path` on this server.
    public func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request so far, in order of arrival.
    public var received: [RecordedRequest] { state.received.withLock { $0 } }

    /// The most requests that were open at once.
    public var maximumConcurrency: Int { state.concurrency.withLock { $0.maximum } }

    /// Changes how later requests are answered.
    public func answer(with answer: @escaping @Sendable (Int, RecordedRequest) -> HTTPAnswer) {
        state.answer.withLock { $0 = answer }
    }

    /// Stops listening.
    public func close() async {
        try? await channel.close()
    }

    /// Records each request and answers it.
    private final class RecordingHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let state: State
        private let headFirst: Bool
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(state: State, headFirst: Bool) {
            self.state = state
            self.headFirst = headFirst
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.removeAll()
                if headFirst {
                    let headers = HTTPHeaders([("transfer-encoding", "chunked")])
                    context.writeAndFlush(
                        wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
                }
            case .body(let chunk):
                body += chunk.readableBytesView
            case .end:
                guard let head else { return }
                let request = RecordedRequest(path: head.uri, headers: head.headers, body: body, arrival: .now)
                let answer = state.record(request)
                let version = head.version
                let state = self.state
                let context = NIOLoopBound(context, eventLoop: context.eventLoop)
                let handler = NIOLoopBound(self, eventLoop: context.value.eventLoop)
                let delay = TimeAmount.nanoseconds(Int64(answer.delay.components.seconds) * 1_000_000_000
                    + answer.delay.components.attoseconds / 1_000_000_000)
                context.value.eventLoop.scheduleTask(in: delay) {
                    handler.value.respond(answer, version: version, context: context.value)
                    state.answered()
                }
            }
        }

        private func respond(_ answer: HTTPAnswer, version: HTTPVersion, context: ChannelHandlerContext) {
            let body = ByteBuffer(string: answer.body)
            if !headFirst {
                var headers = HTTPHeaders(answer.headers)
                headers.add(name: "content-length", value: "\(body.readableBytes)")
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: version, status: answer.status, headers: headers))),
                    promise: nil)
            }
            if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
