// bare-nio-collector: the ceiling of collector-load. A SwiftNIO HTTP/1.1 server with the
// collector's socket and pipeline options (backlog 1024, SO_REUSEADDR, TCP_NODELAY, 16 messages
// a read, NIO's HTTP server pipeline with error handling) whose handler only reads each request's
// whole body into one buffer and answers `202 ok` with the collector's content type: what any
// NIO collector pays before its own work (parse, checks, line encoding, export).
//
// Usage: bare-nio-collector [--port N] [--threads N] [--host 127.0.0.1]
// Prints `listening on http://127.0.0.1:PORT` once bound (with --port 0, a free port).
import LoopbackHTTPServer
import NIOCore
import NIOHTTP1

final class BareCollectorHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var keepAlive = true
    /// The request's body, read whole (reused between requests of the connection).
    private var body: ByteBuffer? = nil

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
            LoopbackHTTPServer.respond(.accepted, body: "ok", keepAlive: keepAlive, context: context)
        }
    }
}

try LoopbackHTTPServer.run(name: "bare-nio-collector") { BareCollectorHandler() }
