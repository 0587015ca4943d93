// loki-sink: a stand-in for Loki in collector-load. It accepts `POST /loki/api/v1/push`, reads
// the whole body and answers 204, and counts what it took; `GET /stats` answers
// `pushes N bytes M` (pushes answered 204 and their body bytes, compressed as sent), so that the
// load script can check that the collector really exported. Any other request gets 404.
//
// Usage: loki-sink [--port N] [--threads N] [--host 127.0.0.1]
// Prints `listening on http://127.0.0.1:PORT` once bound (with --port 0, a free port).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

let pushes = Atomic<Int>(0)
let pushedBytes = Atomic<Int>(0)

final class LokiSinkHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead? = nil
    private var bodyBytes = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
        case .body(let chunk):
            bodyBytes += chunk.readableBytes
        case .end:
            guard let head else { return }
            self.head = nil
            let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
            if head.method == .POST && path == "/loki/api/v1/push" {
                pushes.add(1, ordering: .relaxed)
                pushedBytes.add(bodyBytes, ordering: .relaxed)
                respond(status: .noContent, body: nil, keepAlive: head.isKeepAlive, context: context)
            } else if head.method == .GET && path == "/stats" {
                let text = "pushes \(pushes.load(ordering: .relaxed)) bytes \(pushedBytes.load(ordering: .relaxed))\n"
                respond(status: .ok, body: text, keepAlive: head.isKeepAlive, context: context)
            } else {
                respond(status: .notFound, body: "not found\n", keepAlive: head.isKeepAlive, context: context)
            }
        }
    }

    private func respond(status: HTTPResponseStatus, body: String?, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        if let body {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            headers.add(name: "Content-Length", value: String(body.utf8.count))
        }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if let body {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
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
        fail("loki-sink: \(name) needs a value\n")
    }
    return arguments[index + 1]
}

for argument in CommandLine.arguments.dropFirst() where argument.hasPrefix("--") {
    guard ["--port", "--threads", "--host"].contains(argument) else {
        fail("usage: loki-sink [--port N] [--threads N] [--host ADDRESS]\n")
    }
}
guard let port = Int(option("--port", default: "0")), let threads = Int(option("--threads", default: "1")), threads > 0 else {
    fail("loki-sink: --port and --threads take numbers\n")
}
let host = option("--host", default: "127.0.0.1")

let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.configureHTTPServerPipeline(withErrorHandling: true)
            try pipeline.addHandler(LokiSinkHandler())
        }
    }
    .bind(host: host, port: port)
    .wait()
print("listening on http://\(channel.localAddress?.ipAddress ?? host):\(channel.localAddress?.port ?? port)")
fflush(nil)
try channel.closeFuture.wait()
