import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A push request that the fake Loki received.
struct ReceivedPush: Sendable {
    /// Its path.
    let path: String
    /// Its header fields.
    let headers: HTTPHeaders
    /// Its body, as sent (compressed).
    let body: [UInt8]
    /// When it arrived.
    let arrival: ContinuousClock.Instant
    /// Its `X-Scope-OrgID`, or `""`.
    var tenant: String { headers.first(name: "X-Scope-OrgID") ?? "" }
}

/// How the fake Loki answers one request.
struct FakeLokiAnswer: Sendable {
    /// The status.
    var status: HTTPResponseStatus = .noContent
    /// Extra header fields (`Retry-After`).
    var headers: [(String, String)] = []
    /// The body (Loki's reason on errors).
    var body: String = ""
    /// How long to wait before answering.
    var delay: Duration = .zero

    /// Loki's success answer.
    static let accepted = FakeLokiAnswer()
}

/// Plays Loki's part for the client tests: an HTTP/1.1 server on a loopback port the system
/// picks, which records every request and answers as `answer` decides (204 by default).
final class FakeLoki: Sendable {
    /// The port it listens on, on 127.0.0.1.
    let port: Int
    private let channel: any Channel
    private let state: State

    /// What the server shares with its connections.
    final class State: Sendable {
        let received = Mutex<[ReceivedPush]>([])
        let answer: Mutex<@Sendable (_ index: Int, _ push: ReceivedPush) -> FakeLokiAnswer>
        let concurrency = Mutex<(current: Int, maximum: Int)>((0, 0))

        init(answer: @escaping @Sendable (Int, ReceivedPush) -> FakeLokiAnswer) {
            self.answer = Mutex(answer)
        }

        /// Records `push`, returning how to answer it.
        func record(_ push: ReceivedPush) -> FakeLokiAnswer {
            let index = received.withLock { received in
                received.append(push)
                return received.count - 1
            }
            concurrency.withLock { state in
                state.current += 1
                state.maximum = max(state.maximum, state.current)
            }
            return answer.withLock { $0 }(index, push)
        }

        /// Notes that an answer was sent.
        func answered() {
            concurrency.withLock { $0.current -= 1 }
        }
    }

    /// Starts listening; `answer` gets each request's index (from 0) and the request.
    init(answer: @escaping @Sendable (Int, ReceivedPush) -> FakeLokiAnswer = { _, _ in .accepted }) async throws {
        let state = State(answer: answer)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(PushHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
        self.state = state
    }

    /// The push URL.
    var url: String { "http://127.0.0.1:\(port)/loki/api/v1/push" }

    /// Every request so far, in order of arrival.
    var received: [ReceivedPush] { state.received.withLock { $0 } }

    /// The most requests that were open at once.
    var maximumConcurrency: Int { state.concurrency.withLock { $0.maximum } }

    /// Changes how later requests are answered.
    func answer(with answer: @escaping @Sendable (Int, ReceivedPush) -> FakeLokiAnswer) {
        state.answer.withLock { $0 = answer }
    }

    /// Stops listening.
    func close() async {
        try? await channel.close()
    }

    /// Records each request and answers it.
    private final class PushHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let state: State
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(state: State) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.removeAll()
            case .body(let chunk):
                body += chunk.readableBytesView
            case .end:
                guard let head else { return }
                let push = ReceivedPush(path: head.uri, headers: head.headers, body: body, arrival: .now)
                let answer = state.record(push)
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

        private func respond(_ answer: FakeLokiAnswer, version: HTTPVersion, context: ChannelHandlerContext) {
            let body = ByteBuffer(string: answer.body)
            var headers = HTTPHeaders(answer.headers)
            headers.add(name: "content-length", value: "\(body.readableBytes)")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: version, status: answer.status, headers: headers))),
                promise: nil)
            if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
