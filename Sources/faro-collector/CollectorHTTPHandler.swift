import FaroCollector
import HTTPFieldText
import IntakePolicy
import LokiPushCodec
import NIOCore
import NIOHTTP1
import ServerSupport

/// Serves one connection: each request's head goes through the intake checks before any of its
/// body is read; an admitted body is read (and inflated) within its bound as it arrives, then
/// ingested on the event loop, with no task per request.
///
/// A refused request is answered at once. The rest of its body is read and dropped when it is
/// within the payload limit, so that the connection stays open for the next request; otherwise
/// the connection ends after the answer: at once when the request has all arrived, else by a
/// `LingeringClose`, so that a client still sending reads the answer rather than a reset.
final class CollectorHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The most header fields a request may have; more get 431.
    static let maximumHeaderCount = 100

    private enum State {
        /// Between requests.
        case idle
        /// Reading an admitted body.
        case reading(IntakeAdmission, keepAlive: Bool)
        /// Answered already; reading and dropping the rest of the request, at most `remaining` bytes more.
        case discarding(remaining: Int)
        /// The body is read; its source maps are being downloaded off the event loop, and it is
        /// ingested and answered when they are. NIO's pipelining handler holds later requests
        /// until the answer is written.
        case awaitingSourceMaps
    }

    private let application: CollectorApplication
    /// The idle timeout, and the request timeout counted from each request's first bytes.
    private var deadlines: ConnectionDeadlines
    private var state = State.idle
    /// Whether the current request has all arrived (its end was read).
    private var requestEnded = true
    /// Set when an answer that ends the connection goes out before the whole request has come.
    private var linger = LingeringClose()
    /// The body under way; released once used or refused, so an idle connection holds little.
    private let reader: RequestBodyReader
    /// When the current request's head arrived, and its route label for metrics.
    private var started = ContinuousClock.now
    private var routeLabel = "other"
    /// For a request to an OTLP/HTTP path (`/v1/…`), whether it is JSON (else protobuf): its
    /// refusals carry a `google.rpc.Status` in that encoding. Nil for other paths.
    private var otlpJSON: Bool?
    /// `202 ok`, Alloy's answer to a payload, made once.
    private let acceptedHead = HTTPResponseHead(
        version: .http1_1, status: .accepted,
        headers: HTTPHeaders([("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "2")]))
    private let acceptedBody = ByteBuffer(string: "ok")

    /// What the connections of this event loop share: the ingest scratch and the batch of
    /// `202 ok` answers to flush.
    private let share: EventLoopShare

    init(application: CollectorApplication, idleTimeout: TimeAmount, requestTimeout: TimeAmount, share: EventLoopShare) {
        self.share = share
        self.reader = RequestBodyReader(inflaters: share.inflaters)
        self.application = application
        self.deadlines = ConnectionDeadlines(idleTimeout: idleTimeout, requestTimeout: requestTimeout)
    }

    func channelActive(context: ChannelHandlerContext) {
        deadlines.opened(at: .now())
        checkDeadlines(by: deadlines.next, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadlines.cancel()
        linger.cancel()
        context.fireChannelInactive()
    }

    /// Makes the connection's timer fire by `deadline` at the latest. When it fires, a request
    /// that has not arrived in time or a connection idle for the idle timeout is closed (waiting
    /// for source maps is the collector's time, not the client's); else the timer waits for the
    /// next deadline.
    private func checkDeadlines(by deadline: NIODeadline, context: ChannelHandlerContext) {
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadlines.check(by: deadline, on: context.value.eventLoop) { [self] in
            deadlines.timerFired()
            let waiting = if case .awaitingSourceMaps = state { true } else { false }
            if let expiry = deadlines.expiry(at: .now(), waitingOnServer: waiting) {
                // A request cut off counts as refused; a keep-alive connection idle between requests does not.
                if expiry == .request || !requestEnded {
                    application.metrics.rejected(reason: expiry == .request ? "request_timeout" : "idle_timeout")
                }
                context.value.close(promise: nil)
            } else {
                checkDeadlines(by: deadlines.next, context: context.value)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if linger.isLingering {
            if case .end = unwrapInboundIn(data) { linger.requestEnded(context: context) }
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            requestEnded = false
            checkDeadlines(by: deadlines.requestStarted(at: .now()), context: context)
            received(head, context: context)
        case .body(let chunk): received(chunk, context: context)
        case .end:
            requestEnded = true
            deadlines.requestEnded()
            receivedEnd(context: context)
        }
    }

    /// Every read ends here, including the reads of a head still incomplete, which NIO's decoder
    /// keeps: the idle timeout counts from the last, and bytes read between requests start the
    /// next request's clock.
    func channelReadComplete(context: ChannelHandlerContext) {
        if let requestDeadline = deadlines.read(at: .now()) { checkDeadlines(by: requestDeadline, context: context) }
        context.fireChannelReadComplete()
    }

    /// Closes the connection on any error that reaches the end of the pipeline: a parse error
    /// (NIO's `HTTPServerProtocolErrorHandler` has answered it with 400 and leaves the closing to
    /// the pipeline) or an I/O error. Without this the connection stayed open until the idle timeout.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A request cut off by the connection's close (a timeout, the client going away) ends
        // NIO's decoder with an error too: only what was read while open counts as malformed.
        if error is HTTPParserError, context.channel.isActive { application.metrics.rejected(reason: "malformed") }
        state = .idle
        context.close(promise: nil)
    }

    private func received(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        started = .now
        routeLabel = "other"
        otlpJSON = nil
        let keepAlive = head.isKeepAlive
        guard head.headers.count <= Self.maximumHeaderCount else {
            return refuse(
                IntakeRejection(status: 431, reason: "more than \(Self.maximumHeaderCount) header fields"), keepAlive: false,
                reason: "headers", context: context)
        }
        // One pass over the fields for the few the checks read (a lookup each would scan them all).
        var intakeHead = IntakeRequestHead(method: head.method.rawValue, uri: head.uri)
        var lengths = 0
        var lengthText = ""
        var expectation: String?
        for (name, value) in head.headers {
            switch name.utf8.count {
            case 6 where name.equalsIgnoringASCIICase("origin"): intakeHead.origin = intakeHead.origin ?? value
            case 6 where name.equalsIgnoringASCIICase("expect"): expectation = value
            case 9 where name.equalsIgnoringASCIICase("x-api-key"): intakeHead.apiKey = intakeHead.apiKey ?? value
            case 12 where name.equalsIgnoringASCIICase("content-type"): intakeHead.contentType = intakeHead.contentType ?? value
            case 14 where name.equalsIgnoringASCIICase("content-length"):
                lengths += 1
                lengthText = value
            case 16 where name.equalsIgnoringASCIICase("content-encoding"): intakeHead.contentEncoding = intakeHead.contentEncoding ?? value
            case 29 where name.equalsIgnoringASCIICase("access-control-request-method"):
                intakeHead.accessControlRequestMethod = intakeHead.accessControlRequestMethod ?? value
            case 30 where name.equalsIgnoringASCIICase("access-control-request-headers"):
                intakeHead.accessControlRequestHeaders = intakeHead.accessControlRequestHeaders ?? value
            default: break
            }
        }
        if head.uri.utf8.starts(with: "/v1/".utf8) {
            otlpJSON = intakeHead.contentType.map { Substring($0).withoutParameters().equalsIgnoringASCIICase("application/json") } ?? false
        }
        if lengths > 0 {
            guard lengths == 1, let length = Int(lengthText), length >= 0 else {
                return refuse(.badRequest("invalid Content-Length"), keepAlive: false, reason: "content_length", context: context)
            }
            intakeHead.contentLength = length
        }
        // `Expect: 100-continue` (HTTP/1.1 only, RFC 9110 section 10.1.1): the client waits for
        // `100 Continue` before its body, which it sends only if the request is admitted. After
        // any other answer the body may or may not follow, so the connection ends.
        var expectsContinue = false
        if let expectation, head.version != .http1_0, head.version != .http0_9 {
            guard expectation.expectsContinue else {
                return refuse(.expectationFailed, keepAlive: false, reason: "expectation", context: context)
            }
            expectsContinue = true
        }
        switch application.intake.decide(intakeHead) {
        case .readBody(let admission):
            routeLabel = Self.label(admission.format)
            reader.begin(coding: admission.coding, limit: admission.bodyLimit)
            state = .reading(admission, keepAlive: keepAlive)
            if expectsContinue {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
            }
        case .serve(let route):
            routeLabel = Self.label(route)
            let answer = application.serve(route)
            respond(
                status: answer.status, contentType: answer.contentType, body: answer.body, headOnly: head.method == .HEAD,
                headers: [], keepAlive: keepAlive && !expectsContinue, context: context)
        case .preflight(let headers):
            routeLabel = "preflight"
            respond(status: 204, contentType: nil, body: [], headers: headers, keepAlive: keepAlive && !expectsContinue, context: context)
        case .reject(let rejection):
            if case .success(let match) = CollectorRoute.match(method: head.method.rawValue, uri: head.uri) {
                routeLabel = Self.label(match.route)
            }
            refuse(rejection, keepAlive: keepAlive && !expectsContinue, reason: Self.reason(rejection.status), context: context)
        }
    }

    private func received(_ chunk: ByteBuffer, context: ChannelHandlerContext) {
        switch state {
        case .reading(let admission, let keepAlive):
            do {
                try chunk.withUnsafeReadableBytes { bytes throws(BodyReadError) in try reader.append(bytes) }
            } catch {
                reader.release()
                refuse(Self.rejection(error, admission: admission), keepAlive: keepAlive, reason: Self.reason(error), context: context)
            }
        case .discarding(let remaining):
            if chunk.readableBytes > remaining {
                state = .idle
                linger.begin(context: context)
            } else {
                state = .discarding(remaining: remaining - chunk.readableBytes)
            }
        case .idle, .awaitingSourceMaps:
            break
        }
    }

    private func receivedEnd(context: ChannelHandlerContext) {
        switch state {
        case .reading(let admission, let keepAlive):
            state = .idle
            defer { reader.release() }
            do {
                try reader.finish()
            } catch {
                return refuse(
                    Self.rejection(error, admission: admission), keepAlive: keepAlive, reason: Self.reason(error), context: context,
                    bodyDone: true)
            }
            let now = LokiTimestamp(unixNanoseconds: WallClock.unixNanoseconds())
            let ingestor = application.ingestor
            switch ingestor.ingest(reader.body, admission: admission, receivedAt: now, scratch: &share.scratch) {
            case .finished(let result):
                answer(result, admission: admission, keepAlive: keepAlive, context: context)
            case .needsSourceMaps(let pending):
                awaitSourceMaps(
                    pending, body: reader.body, admission: admission, keepAlive: keepAlive, receivedAt: now, ingestor: ingestor,
                    context: context)
            }
        case .discarding:
            state = .idle
        case .idle, .awaitingSourceMaps:
            break
        }
    }

    /// Answers an ingested body.
    private func answer(
        _ result: Result<IngestReceipt, IntakeRejection>, admission: IntakeAdmission, keepAlive: Bool, context: ChannelHandlerContext
    ) {
        switch result {
        case .success(let receipt) where receipt.status == 202 && admission.responseHeaders.isEmpty && keepAlive:
            respondAccepted(context: context)
        case .success(let receipt):
            respond(
                status: receipt.status, contentType: receipt.contentType, body: Array(receipt.body.utf8),
                headers: admission.responseHeaders, keepAlive: keepAlive, context: context)
        case .failure(let rejection):
            var rejection = rejection
            rejection.headers += admission.responseHeaders
            refuse(rejection, keepAlive: keepAlive, reason: Self.reason(rejection.status), context: context, bodyDone: true)
        }
    }

    /// Downloads source maps in a task and ingests `body` there, with the ingestor that asked for
    /// them, then answers back on the event loop. The body is ingested even when the connection
    /// closed meanwhile (it arrived whole); the answer is written only to an open connection whose
    /// handler still waits for it, and nothing is scheduled on the event loop of a closed one
    /// (which graceful shutdown may have stopped). The download ends within the download timeout;
    /// graceful shutdown lets the request finish, as any request in flight.
    private func awaitSourceMaps(
        _ pending: PendingSourceMaps, body: ContiguousArray<UInt8>, admission: IntakeAdmission, keepAlive: Bool,
        receivedAt: LokiTimestamp, ingestor: FaroIngestor, context: ChannelHandlerContext
    ) {
        state = .awaitingSourceMaps
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let channel = context.channel
        let eventLoop = context.eventLoop
        Task {
            await pending.fetch()
            var scratch = ingestor.makeScratch()
            let outcome = ingestor.ingest(body, admission: admission, receivedAt: receivedAt, scratch: &scratch, fetchingSourceMaps: false)
            guard channel.isActive else { return }
            eventLoop.execute {
                let handler = handler.value
                let context = boundContext.value
                guard case .awaitingSourceMaps = handler.state, channel.isActive else { return }
                handler.state = .idle
                switch outcome {
                case .finished(let result):
                    handler.answer(result, admission: admission, keepAlive: keepAlive, context: context)
                case .needsSourceMaps:
                    // Not asked for without fetching; should it come, the client sends the payload again.
                    handler.answer(
                        .failure(.unavailable("source maps are being downloaded")), admission: admission, keepAlive: keepAlive,
                        context: context)
                }
                handler.deadlines.serverFinished(at: .now())
            }
        }
    }

    /// Answers with `rejection`, then drops the rest of the request's body (or ends the connection
    /// when it could be large or the request was malformed).
    private func refuse(
        _ rejection: IntakeRejection, keepAlive: Bool, reason: String, context: ChannelHandlerContext, bodyDone: Bool = false
    ) {
        let remaining = application.intake.configuration.maxAllowedPayloadSize
        let close = !keepAlive || rejection.status == 413 || rejection.status == 431
        let (contentType, body) =
            otlpJSON.map { OTLPFailureBody.encode(httpStatus: rejection.status, message: rejection.reason, json: $0) }
            ?? ("text/plain; charset=utf-8", Array((rejection.reason + "\n").utf8))
        respond(
            status: rejection.status, contentType: contentType, body: body, headers: rejection.headers, keepAlive: !close,
            context: context, rejectedFor: reason)
        state = bodyDone || close ? .idle : .discarding(remaining: remaining)
    }

    /// Answers with `body`, or with its head alone (`headOnly`, for `HEAD`: the `Content-Length`
    /// is still the body's, as for `GET`).
    private func respond(
        status: Int, contentType: String?, body: [UInt8], headOnly: Bool = false, headers: [HTTPField], keepAlive: Bool,
        context: ChannelHandlerContext, rejectedFor reason: String? = nil
    ) {
        var responseHeaders = HTTPHeaders()
        if let contentType { responseHeaders.add(name: "Content-Type", value: contentType) }
        responseHeaders.add(name: "Content-Length", value: String(body.count))
        for header in headers { responseHeaders.add(name: header.name, value: header.value) }
        if !keepAlive { responseHeaders.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty && !headOnly {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else if !requestEnded {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            linger.begin(context: context)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { (_: Result<Void, any Error>) in
                channel.close(promise: nil)
            }
        }
        application.metrics.request(
            route: routeLabel, status: status, duration: ContinuousClock.now - started, rejectedFor: reason)
    }

    /// Answers Alloy's `202 ok` on a kept-alive connection without CORS headers, the answer to
    /// almost every payload, from a head and body made once per connection.
    private func respondAccepted(context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(acceptedHead)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(acceptedBody))), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        share.flushBatch.flushLater(context)
        application.metrics.request(route: routeLabel, status: 202, duration: ContinuousClock.now - started)
    }

    /// The route label of requests with a body of `format`.
    private static func label(_ format: IntakeAdmission.BodyFormat) -> String {
        switch format {
        case .faro: "collect"
        case .otlpProtobuf(let signal), .otlpJSON(let signal): "otlp_\(signal)"
        }
    }

    /// The route label of a route served from state.
    private static func label(_ route: CollectorRoute) -> String {
        switch route {
        case .ready: "ready"
        case .healthy: "healthy"
        case .metrics: "metrics"
        case .collect: "collect"
        case .otlp(let signal): "otlp_\(signal)"
        }
    }

    /// The reason label of a refusal with `status`.
    private static func reason(_ status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "origin"
        case 404: "not_found"
        case 405: "method"
        case 413: "too_large"
        case 415: "media_type"
        case 429: "rate_limited"
        case 503: "unavailable"
        default: String(status)
        }
    }

    /// The reason label of a body that could not be read.
    private static func reason(_ error: BodyReadError) -> String {
        switch error {
        case .tooLarge: "too_large"
        case .corrupt, .truncated, .trailingData: "bad_encoding"
        }
    }

    /// The answer to a body of `admission` that could not be read, with the admission's CORS
    /// headers, without which a browser cannot read it.
    private static func rejection(_ error: BodyReadError, admission: IntakeAdmission) -> IntakeRejection {
        var rejection: IntakeRejection =
            switch error {
            case .tooLarge(_, let limit, _): .payloadTooLarge(limit: limit)
            case .corrupt(let message, let offset): .badRequest("corrupt compressed body at byte \(offset): \(message)")
            case .truncated(let offset): .badRequest("compressed body ends early, at byte \(offset)")
            case .trailingData(let offset): .badRequest("data after the end of the compressed body, at byte \(offset)")
            }
        rejection.headers += admission.responseHeaders
        return rejection
    }
}
