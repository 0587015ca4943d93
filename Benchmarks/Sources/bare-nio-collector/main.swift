// bare-nio-collector: the ceiling of collector-load. A SwiftNIO HTTP/1.1 server with the
// collector's socket and pipeline options (backlog 1024, SO_REUSEADDR, TCP_NODELAY, 16 messages
// a read, NIO's HTTP server pipeline with error handling) whose handler only reads each request's
// whole body into one buffer and answers `202 ok` with the collector's content type: what any
// NIO collector pays before its own work (parse, checks, line encoding, export).
//
// Usage: bare-nio-collector [--port N] [--threads N] [--host 127.0.0.1]
// Prints `listening on http://127.0.0.1:PORT` once bound (with --port 0, a free port).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

final class BareCollectorHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var keepAlive = true
    /// The request's body, read whole (reused between requests of the connection).
    private var body: ByteBuffer? = nil
    private var bodyBytes = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = head.isKeepAlive
            body?.clear()
        case .body(var chunk):
            if body == nil {
                body = context.channel.allocator.buffer(capacity: max(chunk.readableBytes, 16 << 10))
            }
            body!.writeBuffer(&chunk)
        case .end:
            bodyBytes &+= body?.readableBytes ?? 0
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: "2")
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .accepted, headers: headers))), promise: nil)
            var answer = context.channel.allocator.buffer(capacity: 2)
            answer.writeStaticString("ok")
            context.write(wrapOutboundOut(.body(.byteBuffer(answer))), promise: nil)
            if keepAlive {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}

/// Writes `message` to standard error and exits with status 2.
func fail(_ message: String) -> Never {
    let bytes = Array(message.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

func option(_ name: String, default value: String) -> String {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name) else { return value }
    guard index + 1 < arguments.count else {
        fail("bare-nio-collector: \(name) needs a value\n")
    }
    return arguments[index + 1]
}

for argument in CommandLine.arguments.dropFirst() where argument.hasPrefix("--") {
    guard ["--port", "--threads", "--host"].contains(argument) else {
        fail("usage: bare-nio-collector [--port N] [--threads N] [--host ADDRESS]\n")
    }
}
guard let port = Int(option("--port", default: "0")), let threads = Int(option("--threads", default: "1")), threads > 0 else {
    fail("bare-nio-collector: --port and --threads take numbers\n")
}
let host = option("--host", default: "127.0.0.1")

let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 1024)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelOption(.maxMessagesPerRead, value: 16)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
            try pipeline.addHandler(BareCollectorHandler())
        }
    }
    .bind(host: host, port: port)
    .wait()
print("listening on http://\(channel.localAddress?.ipAddress ?? host):\(channel.localAddress?.port ?? port)")
fflush(nil)
try channel.closeFuture.wait()
