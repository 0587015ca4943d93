import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Serves the test harness on one connection: `POST /test` makes the calls its body lists and
/// answers 200 with their outcomes once they are all done; a body that is not such a list gets
/// 400, another method 405 and another path 404, each with a one-line reason.
final class TestRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The largest `/test` body read; a larger one gets 413.
    static let maximumBodySize = 1 << 20

    private let runner: CallbackRunner
    private let logger: Logger
    /// The request being read, until its end.
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyIsTooLarge = false

    /// A handler whose calls `runner` makes and whose requests `logger` reports.
    init(runner: CallbackRunner, logger: Logger) {
        self.runner = runner
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            bodyIsTooLarge = false
        case .body(var chunk):
            if body.readableBytes + chunk.readableBytes > Self.maximumBodySize {
                bodyIsTooLarge = true
            } else if !bodyIsTooLarge {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.prefix { $0 != "?" }
        guard path == "/test" else {
            return send(
                .notFound, reason: "no such path: \(path); the harness posts to /test", to: head, context: context)
        }
        guard head.method == .POST else {
            return send(
                .methodNotAllowed, reason: "/test takes POST", extraHeaders: [("allow", "POST")], to: head,
                context: context)
        }
        guard !bodyIsTooLarge else {
            return send(
                .payloadTooLarge, reason: "the body is longer than \(Self.maximumBodySize) bytes", to: head,
                context: context)
        }
        let instructions: [TestInstruction]
        do {
            instructions = try TestInstruction.parse(body)
        } catch {
            return send(.badRequest, reason: error.description, to: head, context: context)
        }
        let propagation = PropagationContext(
            traceparentFields: head.headers["traceparent"], tracestateFields: head.headers["tracestate"])
        var metadata: Logger.Metadata = [
            "callbacks": "\(instructions.count)",
            "trace": propagation.restartReason.map { "restarted (\($0))" } ?? "continued",
        ]
        if let error = propagation.traceStateError { metadata["tracestate"] = "dropped (\(error))" }
        let runner = self.runner
        context.eventLoop.makeFutureWithTask { await runner.run(instructions, in: propagation) }
            .assumeIsolated()
            .whenSuccess { outcomes in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                // Outcomes hold only strings and integers, which always encode.
                let json = (try? encoder.encode(outcomes)) ?? Data("[]".utf8)
                self.send(
                    .ok, body: ByteBuffer(bytes: json), contentType: "application/json", metadata: metadata, to: head,
                    context: context)
            }
    }

    /// Sends a status with a one-line text reason.
    private func send(
        _ status: HTTPResponseStatus, reason: String, extraHeaders: [(String, String)] = [], to head: HTTPRequestHead,
        context: ChannelHandlerContext
    ) {
        send(
            status, body: ByteBuffer(string: reason + "\n"), contentType: "text/plain; charset=utf-8",
            extraHeaders: extraHeaders, metadata: ["reason": "\(reason)"], to: head, context: context)
    }

    /// Sends a response, logs the request, and closes the connection unless it is kept alive.
    private func send(
        _ status: HTTPResponseStatus, body: ByteBuffer, contentType: String, extraHeaders: [(String, String)] = [],
        metadata: Logger.Metadata, to head: HTTPRequestHead, context: ChannelHandlerContext
    ) {
        logger.info("\(head.method.rawValue) \(head.uri) \(status.code)", metadata: metadata)
        var headers = HTTPHeaders([("content-type", contentType), ("content-length", "\(body.readableBytes)")])
        headers.add(contentsOf: extraHeaders)
        if !head.isKeepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        if head.isKeepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("connection closed on error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }
}
