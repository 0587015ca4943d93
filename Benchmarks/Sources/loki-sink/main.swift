// loki-sink: a stand-in for Loki and for an OTLP/HTTP receiver (Tempo) in collector-load. It
// accepts `POST /loki/api/v1/push` (answered 204) and `POST /v1/traces`, `/v1/logs` and
// `/v1/metrics` (answered 200 with an empty body, an empty export response), reads each whole body
// and counts what it took; `GET /stats` answers `pushes N bytes M exports K export_bytes L` (the
// body bytes as sent, compressed or not), so that the load script can check that the collector
// really exported. Any other request gets 404.
//
// Usage: loki-sink [--port N] [--threads N] [--host 127.0.0.1]
// Prints `listening on http://127.0.0.1:PORT` once bound (with --port 0, a free port).
import LoopbackHTTPServer
import NIOCore
import NIOHTTP1
import Synchronization

let pushes = Atomic<Int>(0)
let pushedBytes = Atomic<Int>(0)
let exports = Atomic<Int>(0)
let exportedBytes = Atomic<Int>(0)

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
                LoopbackHTTPServer.respond(.noContent, body: nil, keepAlive: head.isKeepAlive, context: context)
            } else if head.method == .POST && ["/v1/traces", "/v1/logs", "/v1/metrics"].contains(path) {
                exports.add(1, ordering: .relaxed)
                exportedBytes.add(bodyBytes, ordering: .relaxed)
                LoopbackHTTPServer.respond(.ok, body: nil, keepAlive: head.isKeepAlive, context: context)
            } else if head.method == .GET && path == "/stats" {
                let text =
                    "pushes \(pushes.load(ordering: .relaxed)) bytes \(pushedBytes.load(ordering: .relaxed))"
                    + " exports \(exports.load(ordering: .relaxed)) export_bytes \(exportedBytes.load(ordering: .relaxed))\n"
                LoopbackHTTPServer.respond(.ok, body: text, keepAlive: head.isKeepAlive, context: context)
            } else {
                LoopbackHTTPServer.respond(.notFound, body: "not found\n", keepAlive: head.isKeepAlive, context: context)
            }
        }
    }
}

try LoopbackHTTPServer.run(name: "loki-sink") { LokiSinkHandler() }
