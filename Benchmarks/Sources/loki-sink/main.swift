// loki-sink: a stand-in for Loki and for an OTLP/HTTP receiver (Tempo) in collector-load, and the
// OTLP receiver of rum-tracing-ratios. It accepts `POST /loki/api/v1/push` (answered 204) and
// `POST /v1/traces`, `/v1/logs` and `/v1/metrics` (answered 200 with an empty protobuf body, an
// empty export response, as OTLP/HTTP answers a protobuf request), reads each whole body and counts
// what it took, and the spans of each traces export; `GET /stats` answers `pushes N bytes M exports
// K export_bytes L spans S` (the body bytes as sent, compressed or not), so that the load script
// can check that the collector really exported. `GET /stats?spans=N` answers once S reaches N (or
// after 10 s), so that a tool can wait for its spans with one request. Any other request gets 404,
// a traces body that is not protobuf 400.
//
// Usage: loki-sink [--port N] [--threads N] [--host 127.0.0.1] [--until-stdin-closes]
// Prints `listening on http://127.0.0.1:PORT` once bound (with --port 0, a free port).
import LoopbackHTTPServer
import NIOCore
import NIOHTTP1
import ProtobufWire
import Synchronization

/// Loki pushes taken.
let pushes = Atomic<Int>(0)
/// The body bytes of the Loki pushes.
let pushedBytes = Atomic<Int>(0)
/// OTLP exports taken, of every signal.
let exports = Atomic<Int>(0)
/// The body bytes of the OTLP exports.
let exportedBytes = Atomic<Int>(0)
/// The spans of the OTLP traces exports.
let exportedSpans = Atomic<Int>(0)

/// A `GET /stats?spans=N` waiting for the Nth span.
struct SpanWaiter {
    /// Tells this waiter apart from the others, to drop it when its time is up.
    let id: Int
    /// The span count it waits for.
    let spans: Int
    /// Completed when the count is reached or the time is up.
    let promise: EventLoopPromise<Void>
}

/// The requests waiting for a span count, and the next waiter's id.
let spanWaiters = Mutex<(waiters: [SpanWaiter], nextID: Int)>(([], 0))
/// The longest a `GET /stats?spans=N` waits.
let longestSpanWait = TimeAmount.seconds(10)

/// Completes the waiters whose span count is reached.
func releaseSpanWaiters() {
    let count = exportedSpans.load(ordering: .relaxed)
    let due = spanWaiters.withLock { state in
        let due = state.waiters.filter { $0.spans <= count }
        state.waiters.removeAll { $0.spans <= count }
        return due
    }
    for waiter in due { waiter.promise.succeed() }
}

/// The spans of an OTLP `ExportTraceServiceRequest`: the `spans` (field 2) of each `scope_spans`
/// (field 2) of each `resource_spans` (field 1).
func spanCount(of request: UnsafeRawBufferPointer) throws(ProtobufWireError) -> Int {
    var count = 0
    var requestReader = ProtobufReader(request)
    while let resourceSpans = try requestReader.nextField() {
        guard resourceSpans.number == 1 else { continue }
        var resourceReader = try resourceSpans.message()
        while let scopeSpans = try resourceReader.nextField() {
            guard scopeSpans.number == 2 else { continue }
            var scopeReader = try scopeSpans.message()
            while let field = try scopeReader.nextField() {
                if field.number == 2 { count += 1 }
            }
        }
    }
    return count
}

/// What `GET /stats` answers.
func statsText() -> String {
    "pushes \(pushes.load(ordering: .relaxed)) bytes \(pushedBytes.load(ordering: .relaxed))"
        + " exports \(exports.load(ordering: .relaxed)) export_bytes \(exportedBytes.load(ordering: .relaxed))"
        + " spans \(exportedSpans.load(ordering: .relaxed))\n"
}

/// Answers one connection's requests and counts what they bring.
final class LokiSinkHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The head of the request being read.
    private var head: HTTPRequestHead? = nil
    /// The body bytes of the request being read.
    private var bodyBytes = 0
    /// Whether the request being read is a traces export, whose body is kept to count its spans.
    private var isTracesExport = false
    /// The body of a traces export, read whole (reused between requests).
    private var traces: ByteBuffer? = nil

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            bodyBytes = 0
            isTracesExport = head.method == .POST && head.uri.split(separator: "?", maxSplits: 1).first == "/v1/traces"
            traces?.clear()
        case .body(var chunk):
            bodyBytes += chunk.readableBytes
            if isTracesExport {
                if traces == nil { traces = context.channel.allocator.buffer(capacity: max(chunk.readableBytes, 64 << 10)) }
                traces!.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let parts = head.uri.split(separator: "?", maxSplits: 1)
            let path = parts.first.map(String.init) ?? head.uri
            if head.method == .POST && path == "/loki/api/v1/push" {
                pushes.add(1, ordering: .relaxed)
                pushedBytes.add(bodyBytes, ordering: .relaxed)
                LoopbackHTTPServer.respond(.noContent, body: nil, keepAlive: head.isKeepAlive, context: context)
            } else if head.method == .POST && ["/v1/traces", "/v1/logs", "/v1/metrics"].contains(path) {
                if isTracesExport, let traces {
                    do {
                        exportedSpans.add(try traces.withUnsafeReadableBytes(spanCount(of:)), ordering: .relaxed)
                    } catch {
                        LoopbackHTTPServer.respond(.badRequest, body: "not protobuf\n", keepAlive: head.isKeepAlive, context: context)
                        return
                    }
                }
                exports.add(1, ordering: .relaxed)
                exportedBytes.add(bodyBytes, ordering: .relaxed)
                LoopbackHTTPServer.respond(
                    .ok, body: "", contentType: "application/x-protobuf", keepAlive: head.isKeepAlive, context: context)
                releaseSpanWaiters()
            } else if head.method == .GET && path == "/stats" {
                let query = parts.count == 2 ? parts[1] : ""
                guard query.hasPrefix("spans="), let wanted = Int(query.dropFirst("spans=".count)) else {
                    LoopbackHTTPServer.respond(.ok, body: statsText(), keepAlive: head.isKeepAlive, context: context)
                    return
                }
                answerStats(whenSpansReach: wanted, keepAlive: head.isKeepAlive, context: context)
            } else {
                LoopbackHTTPServer.respond(.notFound, body: "not found\n", keepAlive: head.isKeepAlive, context: context)
            }
        }
    }

    /// Answers `GET /stats` once `wanted` spans were exported, or after `longestSpanWait`.
    private func answerStats(whenSpansReach wanted: Int, keepAlive: Bool, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        let id = spanWaiters.withLock { state in
            state.nextID += 1
            state.waiters.append(SpanWaiter(id: state.nextID, spans: wanted, promise: promise))
            return state.nextID
        }
        releaseSpanWaiters()
        context.eventLoop.scheduleTask(in: longestSpanWait) {
            let timedOut = spanWaiters.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return false }
                state.waiters.remove(at: index)
                return true
            }
            if timedOut { promise.succeed() }
        }
        promise.futureResult.assumeIsolated().whenSuccess {
            LoopbackHTTPServer.respond(.ok, body: statsText(), keepAlive: keepAlive, context: context)
        }
    }
}

try LoopbackHTTPServer.run(name: "loki-sink") { LokiSinkHandler() }
