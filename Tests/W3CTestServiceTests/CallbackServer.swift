import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request the service made to the harness.
struct ReceivedCallback: Sendable {
    /// The request's path.
    let path: String
    /// Its header fields, in order, names as sent.
    let headers: HTTPHeaders
    /// Its body.
    let body: String
}

/// The harness's side that the service calls back: an HTTP server on a loopback port the system
/// picks, which records every request and answers 200 with the JSON `null`, as the official
/// harness answers a callback with no instructions.
final class CallbackServer: Sendable {
    /// The port it listens on, on 127.0.0.1.
    let port: Int
    private let channel: any Channel
    private let recorder: Recorder

    /// The requests received, in order of arrival.
    final class Recorder: Sendable {
        private let callbacks = Mutex<[ReceivedCallback]>([])
        func append(_ callback: ReceivedCallback) { callbacks.withLock { $0.append(callback) } }
        var all: [ReceivedCallback] { callbacks.withLock { $0 } }
    }

    /// Starts listening.
    init() async throws {
        let recorder = Recorder()
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(recorder: recorder))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
        self.recorder = recorder
    }

    /// The URL of `path` on this server.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The requests received under `prefix`, in order of arrival.
    func callbacks(under prefix: String) -> [ReceivedCallback] {
        recorder.all.filter { $0.path.hasPrefix(prefix) }
    }

    /// Stops listening.
    func close() async {
        try? await channel.close()
    }

    /// Records each request and answers it.
    private final class RecordingHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let recorder: Recorder
        private var head: HTTPRequestHead?
        private var body = ByteBuffer()

        init(recorder: Recorder) {
            self.recorder = recorder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let head else { return }
                recorder.append(ReceivedCallback(path: head.uri, headers: head.headers, body: String(buffer: body)))
                let answer = ByteBuffer(string: "null")
                let headers = HTTPHeaders([
                    ("content-type", "application/json"), ("content-length", "\(answer.readableBytes)"),
                ])
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))),
                    promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(answer))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
