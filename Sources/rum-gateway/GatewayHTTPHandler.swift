import ServerSupport
import HTTPFieldText
import IntakePolicy
import Logging
import NIOCore
import NIOHTTP1
import RUMGateway

/// Serves one client connection: each request's head goes through the tenant policy before any
/// of its body is read; an admitted request is sent to an upstream picked by the balancer over a
/// keep-alive connection of this event loop's pool, its body streamed as it arrives, and the
/// answer streamed back. No task per request, and no change of thread.
///
/// A request that could not be sent (the connection to the upstream failed) goes to another
/// upstream; one that was sent is never sent again, since a collector that took it forwards it.
/// While the upstream connection cannot take more, the client's connection is not read.
///
/// Pipelined requests are answered in order: one whose head comes while an answer is under way
/// is held, and reading stops, until that answer is written. The handler does this itself rather
/// than through NIO's `HTTPServerPipelineHandler`, which stops reading after every request until
/// its answer is written: for a proxy, whose answers come on a later pass of the event loop, that
/// takes the connection's read interest off and on again, two `epoll_ctl` calls a request. Likewise
/// it ends its connection at a graceful shutdown: at once when idle, else after the answer under
/// way (`Connection: close`).
final class GatewayHTTPHandler: ChannelDuplexHandler, UpstreamExchange {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// The most header fields a request may have; more get 431.
    static let maximumHeaderCount = 100

    private enum State {
        /// Between requests.
        case idle
        /// Waiting for the fleet's limits to decide.
        case awaitingFleet
        /// Sending the request upstream (connecting, or connected) and relaying the answer.
        case proxying
        /// Answered already; reading and dropping the rest of the request, at most `remaining` bytes more.
        case discarding(remaining: Int)
    }

    private let application: GatewayApplication
    private let pool: UpstreamPool
    private let flushBatch: EventLoopFlushBatch
    private var context: ChannelHandlerContext!
    private var state = State.idle
    /// The connection's peer, for the client address and `X-Forwarded-For`.
    private var peer = IPAddress(ipv4: 0)
    /// The tenants this connection is counted for: those of the requests it sent.
    private var connectionTenants = ConnectionTenants()
    private var generator = SystemRandomNumberGenerator()

    // The request under way.
    /// Counts requests, so that a late callback for an earlier one is ignored.
    private var generation = 0
    private var keepAlive = true
    private var started = NIODeadline.now()
    private var method = HTTPMethod.GET
    private var request: ForwardedRequest?
    private var upstreamHead: HTTPRequestHead?
    private var lease: UpstreamLease?
    private var tried: [String] = []
    /// Whether an upstream tried was at its connection limit.
    private var upstreamsBusy = false
    private var connection: UpstreamConnection?
    /// The upstream the request went to, for the access log.
    private var upstreamName: String?
    /// The request's tenant when known, for the access log (kept after `request` is let go).
    private var tenantName: String?
    /// Body parts read before the upstream connection was ready. Arrays, here and in `heldParts`,
    /// because an empty one allocates nothing: a `CircularBuffer` allocates room for 16 parts when
    /// made, about 1.5 KiB a connection for the two, 15 MiB over 10,000 idle connections.
    private var pendingBody: [ByteBuffer] = []
    private var bodyBytes = 0
    private var requestEnded = false
    private var responseStarted = false
    private var responseStatus = 0
    private var upstreamKeepAlive = true
    /// The request carries an `Expect` that its client waits on (HTTP/1.1 and later) and no
    /// `100 Continue` went out: after an answer its body may or may not come, so the answer ends
    /// the connection.
    private var awaitingContinue = false
    /// The idle timeout, and the request timeout counted from each request's first bytes; their
    /// timer also checks `responseDeadline`.
    private var deadlines: ConnectionDeadlines
    /// When the upstream's answer must have come; nil while none is awaited.
    private var responseDeadline: NIODeadline?
    private var timedOut = false
    /// A read held back while the upstream connection could not take more, or requests are held.
    private var readPending = false
    /// The parts of requests that came while an answer was under way (pipelined), in order.
    private var heldParts: [HTTPServerRequestPart] = []
    /// Whether the server is shutting down: the answer under way is the connection's last.
    private var quiescing = false
    /// Whether an answer that ends the connection has been written: nothing more is taken.
    private var connectionEnding = false
    /// Set when an answer that ends the connection goes out before the whole request has come.
    private var linger = LingeringClose()

    init(application: GatewayApplication, pool: UpstreamPool, flushBatch: EventLoopFlushBatch) {
        self.application = application
        self.pool = pool
        self.flushBatch = flushBatch
        self.deadlines = ConnectionDeadlines(
            idleTimeout: application.settings.idleTimeout, requestTimeout: application.settings.requestTimeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func channelActive(context: ChannelHandlerContext) {
        if let address = context.channel.remoteAddress?.ipAddress, let parsed = try? IPAddress(parsing: address) { peer = parsed }
        deadlines.opened(at: .now())
        checkDeadlines(by: deadlines.next)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionTenants.close()
        if case .proxying = state { abandonUpstream(.released) }
        state = .idle
        heldParts.removeAll()
        responseDeadline = nil
        deadlines.cancel()
        linger.cancel()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// A graceful shutdown: an idle connection closes at once; else the answer under way, or the
    /// one to the request being read, ends it.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        keepAlive = false
        if isIdle, heldParts.isEmpty { context.close(promise: nil) }
    }

    /// Holds reads while a request waits for its upstream connection (the body stays in the
    /// socket, not in memory: a burst of thousands of requests waiting for the pool costs little),
    /// while the upstream connection cannot take more of the body, and while pipelined requests
    /// are held.
    func read(context: ChannelHandlerContext) {
        if !heldParts.isEmpty {
            readPending = true
            return
        }
        switch state {
        case .proxying where connection == nil, .awaitingFleet:
            readPending = true
            return
        case .proxying, .idle, .discarding:
            if let connection, !connection.channel.isWritable {
                readPending = true
                return
            }
        }
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if linger.isLingering {
            if case .end = part { linger.requestEnded(context: context) }
            return
        }
        if connectionEnding { return }
        if !heldParts.isEmpty {
            heldParts.append(part)
            return
        }
        if case .head = part, !isIdle {
            // A pipelined request: it waits for the answer under way.
            heldParts.append(part)
            return
        }
        handle(part)
    }

    private func handle(_ part: HTTPServerRequestPart) {
        switch part {
        case .head(let head): received(head)
        case .body(let chunk): received(chunk)
        case .end: receivedEnd()
        }
    }

    /// Whether no request is under way.
    private var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// Goes on with the requests held while the last answer was under way, in order, until one of
    /// them is under way and the next must wait again; then reads again once none is held.
    private func replayHeldParts() {
        while !connectionEnding, context.channel.isActive, let part = heldParts.first {
            if case .head = part, !isIdle { return }
            heldParts.removeFirst()
            handle(part)
        }
        resumeReading()
    }

    /// Every read ends here, including the reads of a head still incomplete, which NIO's decoder
    /// keeps: they count against the idle timeout, and bytes read between requests start the
    /// next request's clock, so that a head trickled byte by byte is cut off at the request
    /// timeout.
    func channelReadComplete(context: ChannelHandlerContext) {
        if let requestDeadline = deadlines.read(at: .now()) { checkDeadlines(by: requestDeadline) }
        if let connection { flushBatch.flushLater(connection.context) }
        context.fireChannelReadComplete()
    }

    // MARK: The request

    private func received(_ head: HTTPRequestHead) {
        generation &+= 1
        started = .now()
        keepAlive = head.isKeepAlive && !quiescing
        method = head.method
        requestEnded = false
        responseStarted = false
        timedOut = false
        bodyBytes = 0
        upstreamName = nil
        tenantName = nil
        upstreamsBusy = false
        tried.removeAll(keepingCapacity: true)
        checkDeadlines(by: deadlines.requestStarted(at: started))
        guard head.headers.count <= Self.maximumHeaderCount else {
            return answer(
                IntakeRejection(status: 431, reason: "more than \(Self.maximumHeaderCount) header fields"), reason: "headers",
                close: true)
        }
        var headerFields = Array(head.headers)
        if head.version == .http1_0 || head.version == .http0_9 {
            // An HTTP/1.0 request's `Expect` is ignored (RFC 9110 section 10.1.1): its client
            // knows no `100 Continue` and sends the body anyway.
            headerFields.removeAll { $0.name.equalsIgnoringASCIICase("expect") }
            awaitingContinue = false
        } else {
            awaitingContinue = head.headers.contains(name: "expect")
        }
        if head.method == .GET || head.method == .HEAD, let local = serveLocally(head.uri) {
            return respond(
                status: local.status, contentType: local.contentType, body: local.body, headOnly: head.method == .HEAD, headers: [],
                close: awaitingContinue)
        }
        let policy = application.policy
        switch policy.admit(method: head.method.rawValue, target: head.uri, headerFields: headerFields, peer: peer, using: &generator) {
        case .answer(let rejection, let tenant):
            tenantName = tenant.map { policy.directory[$0].name }
            answer(rejection, reason: rejection.status == 204 ? "preflight" : Self.reason(rejection.status))
        case .forward(let forwarded):
            tenantName = forwarded.usage.name
            guard connectionTenants.admit(forwarded.usage) else {
                forwarded.usage.countRejected()
                return answer(
                    IntakeRejection(status: 429, reason: "too many requests: tenant connection limit reached"),
                    reason: "connections", close: true)
            }
            request = forwarded
            var headers = HTTPHeaders()
            headers.reserveCapacity(forwarded.headerFields.count)
            for field in forwarded.headerFields { headers.add(name: field.name, value: field.value) }
            upstreamHead = HTTPRequestHead(version: .http1_1, method: head.method, uri: forwarded.target, headers: headers)
            if forwarded.expectsContinue {
                awaitingContinue = false
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .continue))), promise: nil)
            }
            if let fleet = application.fleet {
                askFleet(fleet, tenant: policy.directory[forwarded.tenant].name, bytes: forwarded.contentLength)
            } else {
                forward()
            }
        }
    }

    private func received(_ chunk: ByteBuffer) {
        switch state {
        case .proxying, .awaitingFleet:
            guard let request else { return }
            bodyBytes += chunk.readableBytes
            if bodyBytes > request.maxBodyBytes {
                return fail(.payloadTooLarge(limit: request.maxBodyBytes), reason: "too_large", close: true)
            }
            if request.chargesBodyBytes, let rejection = request.usage.takeBytes(chunk.readableBytes) {
                return fail(rejection, reason: Self.reason(rejection.status), close: true)
            }
            if let connection {
                connection.write(.body(.byteBuffer(chunk)))
            } else {
                pendingBody.append(chunk)
            }
        case .discarding(let remaining):
            if chunk.readableBytes > remaining {
                state = .idle
                linger.begin(context: context)
            } else {
                state = .discarding(remaining: remaining - chunk.readableBytes)
            }
        case .idle:
            break
        }
    }

    private func receivedEnd() {
        requestEnded = true
        deadlines.requestEnded()
        switch state {
        case .proxying:
            if let connection {
                connection.write(.end(nil))
                flushBatch.flushLater(connection.context)
                armResponseDeadline()
            }
        case .discarding:
            state = .idle
            if quiescing { context.close(promise: nil) }
        case .idle, .awaitingFleet:
            break
        }
    }

    /// The routes the gateway serves itself to clients: readiness and health (its metrics are on
    /// a listener of their own).
    private func serveLocally(_ uri: String) -> (status: Int, contentType: String, body: [UInt8])? {
        let path = RequestTarget(uri).originForm.prefix { $0 != "?" }
        switch path {
        case "/-/ready":
            return application.isReady
                ? (200, "text/plain; charset=utf-8", Array("ready".utf8)) : (503, "text/plain; charset=utf-8", Array("shutting down".utf8))
        case "/-/healthy": return (200, "text/plain; charset=utf-8", Array("healthy".utf8))
        default: return nil
        }
    }

    /// Asks the fleet's limits off the event loop, then goes on back on it; body parts read
    /// meanwhile wait in `pendingBody`.
    private func askFleet(_ fleet: FleetLimits, tenant: String, bytes: Int?) {
        state = .awaitingFleet
        let generation = self.generation
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.makeFutureWithTask { await fleet.admit(tenant: tenant, bytes: bytes) }.whenSuccess { refusal in
            let handler = handler.value
            guard handler.generation == generation, case .awaitingFleet = handler.state else { return }
            if let refusal {
                handler.request?.usage.countRejected()
                handler.fail(refusal, reason: Self.reason(refusal.status), close: false)
            } else {
                handler.forward()
            }
        }
    }

    // MARK: Upstream

    /// Sends the admitted request to an upstream.
    private func forward() {
        state = .proxying
        request?.usage.countForwarded()
        connectUpstream()
    }

    /// Picks an upstream not tried yet and connects to it; on failure to connect, the next.
    private func connectUpstream() {
        guard let lease = application.balancer.pick(excluding: tried) else {
            if upstreamsBusy {
                return fail(.unavailable("every upstream is busy"), reason: "upstreams_busy", close: false)
            }
            return fail(IntakeRejection(status: 502, reason: "no upstream reachable"), reason: "no_upstream", close: false)
        }
        let upstream = lease.upstream
        self.lease = consume lease
        let generation = self.generation
        pool.checkout(upstream).whenComplete { [self] result in
            switch result {
            case .success(let connection):
                guard self.generation == generation, case .proxying = state, context.channel.isActive else {
                    pool.checkin(connection)
                    return
                }
                attach(connection)
            case .failure(let error):
                guard self.generation == generation, case .proxying = state else { return }
                // A busy upstream is not failing: its lease ends without a verdict.
                let busy = error is UpstreamBusyError
                upstreamsBusy = upstreamsBusy || busy
                self.lease.take()?.finish(busy ? .released : .notSent)
                tried.append(upstream)
                application.metrics.retries.wrappingAdd(1, ordering: .relaxed)
                connectUpstream()
            }
        }
    }

    /// Writes the head and the body read so far to `connection`, and the end if it came.
    private func attach(_ connection: UpstreamConnection) {
        guard let upstreamHead else { return }
        self.connection = connection
        upstreamName = connection.upstream
        connection.exchange = self
        upstreamKeepAlive = true
        connection.write(.head(upstreamHead))
        for chunk in pendingBody { connection.write(.body(.byteBuffer(chunk))) }
        pendingBody.removeAll()
        if requestEnded {
            connection.write(.end(nil))
            armResponseDeadline()
        }
        flushBatch.flushLater(connection.context)
        resumeReading()
    }

    private func armResponseDeadline() {
        let deadline = NIODeadline.now() + application.settings.upstreamTimeout
        responseDeadline = deadline
        checkDeadlines(by: deadline)
    }

    /// Makes the timer fire by `deadline` at the latest.
    private func checkDeadlines(by deadline: NIODeadline) {
        deadlines.check(by: deadline, on: context.eventLoop) { [self] in
            deadlines.timerFired()
            deadlinesPassed()
        }
    }

    /// What the timer does: a request that has not arrived in time, or a connection idle for
    /// `idleTimeout`, closes the connection; an upstream that has not answered in time is cut off
    /// (`upstreamClosed` answers 504); else the timer waits for the next deadline.
    private func deadlinesPassed() {
        let now = NIODeadline.now()
        // Idle while the upstream is answering is the upstream's time: its own timeout applies.
        let waitingOnUpstream = if case .proxying = state, requestEnded { true } else { false }
        if deadlines.expiry(at: now, waitingOnServer: waitingOnUpstream) != nil {
            context.close(promise: nil)
            return
        }
        if let responseDeadline, responseDeadline <= now, case .proxying = state, let connection {
            self.responseDeadline = nil
            timedOut = true
            application.metrics.upstreamTimeouts.wrappingAdd(1, ordering: .relaxed)
            connection.channel.close(promise: nil)
        }
        checkDeadlines(by: min(deadlines.next, responseDeadline ?? .distantFuture))
    }

    func upstream(_ connection: UpstreamConnection, received part: HTTPClientResponsePart) {
        guard connection === self.connection else { return }
        switch part {
        case .head(let head):
            responseStatus = Int(head.status.code)
            upstreamKeepAlive = head.isKeepAlive
            var headers = Self.endToEnd(head.headers)
            if let request, !headers.contains(name: "access-control-allow-origin") {
                for field in request.corsHeaders { headers.add(name: field.name, value: field.value) }
            }
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            responseStarted = true
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: head.status, headers: headers))), promise: nil)
        case .body(let chunk):
            context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
            flushBatch.flushLater(context)
        case .end:
            responseDeadline = nil
            lease.take()?.finish(responseStatus >= 500 ? .failure : .success)
            request?.usage.countBytes(bodyBytes)
            self.connection = nil
            connection.exchange = nil
            if upstreamKeepAlive && requestEnded {
                pool.checkin(connection)
            } else {
                connection.channel.close(promise: nil)
            }
            if requestEnded {
                state = .idle
            } else {
                // The upstream answered before the body ended (a refusal): drop the rest.
                state = .discarding(remaining: request?.maxBodyBytes ?? 0)
            }
            resumeReading()
            finishResponse(status: responseStatus)
        }
    }

    func upstreamClosed(_ connection: UpstreamConnection) {
        guard connection === self.connection, case .proxying = state else { return }
        self.connection = nil
        lease.take()?.finish(.failure)
        responseDeadline = nil
        resumeReading()
        if responseStarted {
            // Part of the answer went out: the client can only learn of the failure by the close.
            state = .idle
            context.close(promise: nil)
        } else if timedOut {
            fail(IntakeRejection(status: 504, reason: "upstream timed out"), reason: "upstream_timeout", close: !requestEnded)
        } else {
            fail(IntakeRejection(status: 502, reason: "upstream closed the connection"), reason: "upstream_closed", close: !requestEnded)
        }
    }

    func upstreamWritabilityChanged(_ connection: UpstreamConnection) {
        guard connection === self.connection, connection.channel.isWritable else { return }
        resumeReading()
    }

    private func resumeReading() {
        guard readPending, heldParts.isEmpty else { return }
        readPending = false
        context.read()
    }

    /// Ends the exchange with the upstream without an answer from it: the lease ends with
    /// `outcome`, and a connection that carried part of the request is closed.
    private func abandonUpstream(_ outcome: UpstreamOutcome) {
        lease.take()?.finish(outcome)
        if let connection {
            connection.exchange = nil
            connection.channel.close(promise: nil)
            self.connection = nil
        }
        pendingBody.removeAll()
        request = nil
    }

    // MARK: Answers

    /// Answers the request under way with `rejection` and drops what was sent upstream.
    private func fail(_ rejection: IntakeRejection, reason: String, close: Bool) {
        var answerUnderWay = false
        switch state {
        case .proxying:
            answerUnderWay = responseStarted
            abandonUpstream(.released)
        case .awaitingFleet: abandonUpstream(.released)
        case .idle, .discarding: break
        }
        if answerUnderWay {
            // Part of the upstream's answer went out (it answered before the body ended): no
            // other answer can follow it, so the client learns of the failure by the close.
            application.metrics.answeredAtEdge(reason: reason)
            state = .idle
            context.close(promise: nil)
            return
        }
        resumeReading()
        answer(rejection, reason: reason, close: close)
    }

    /// Answers at the edge with `rejection` (204 for a preflight), then drops the rest of the
    /// request's body (or closes, when it could be large, the request was malformed, or its
    /// client waits for `100 Continue` before a body that may then not come).
    private func answer(_ rejection: IntakeRejection, reason: String, close: Bool = false) {
        request = nil
        let mustClose = close || !keepAlive || awaitingContinue || rejection.status == 413 || rejection.status == 431
        let body = rejection.status == 204 ? [] : Array((rejection.reason + "\n").utf8)
        application.metrics.answeredAtEdge(reason: reason)
        if mustClose {
            state = .idle
        } else {
            state = requestEnded ? .idle : .discarding(remaining: application.policy.maxPayloadSize)
        }
        respond(
            status: rejection.status, contentType: body.isEmpty ? nil : "text/plain; charset=utf-8", body: body,
            headers: rejection.headers, close: mustClose)
    }

    /// Answers with `body`, or with its head alone (`headOnly`, for `HEAD`: the `Content-Length`
    /// is still the body's, as for `GET`).
    private func respond(
        status: Int, contentType: String?, body: [UInt8], headOnly: Bool = false, headers: [HTTPField], close: Bool = false
    ) {
        var responseHeaders = HTTPHeaders()
        if let contentType { responseHeaders.add(name: "Content-Type", value: contentType) }
        responseHeaders.add(name: "Content-Length", value: String(body.count))
        for header in headers { responseHeaders.add(name: header.name, value: header.value) }
        let closing = close || !keepAlive
        if closing, !responseHeaders.contains(name: "connection") { responseHeaders.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: responseHeaders)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty && !headOnly {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        responseStarted = true
        finishResponse(status: status, close: closing)
    }

    /// Counts the answer, logs it when access logs are on, lets the request go, then writes the
    /// end of the answer and closes the connection when the client asked (or the answer says so),
    /// else goes on with the pipelined requests held meanwhile.
    private func finishResponse(status: Int, close: Bool? = nil) {
        let closing = close ?? !keepAlive
        application.metrics.answered(status: status)
        responseDeadline = nil
        deadlines.serverFinished(at: .now())
        if application.settings.accessLog {
            let microseconds = (NIODeadline.now() - started).nanoseconds / 1000
            application.logger.info(
                "request",
                metadata: [
                    "method": "\(method.rawValue)", "status": "\(status)", "tenant": "\(tenantName ?? "-")",
                    "upstream": "\(upstreamName ?? "-")", "client": "\(request?.clientAddress.description ?? peer.description)",
                    "body_bytes": "\(bodyBytes)", "duration_us": "\(microseconds)",
                ])
        }
        request = nil
        if closing {
            // Requests pipelined after an answer that ends the connection are not answered
            // (RFC 9112 section 9.6).
            connectionEnding = true
            heldParts.removeAll()
        }
        if closing && !requestEnded {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            linger.begin(context: context)
        } else if closing {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { (_: Result<Void, any Error>) in
                channel.close(promise: nil)
            }
        } else {
            context.write(wrapOutboundOut(.end(nil)), promise: nil)
            flushBatch.flushLater(context)
            replayHeldParts()
        }
    }

    /// An upstream answer's fields without the hop-by-hop ones and those its `Connection` names,
    /// but its framing, which the answer's body keeps. Unchanged (no copy) when it has none.
    private static func endToEnd(_ headers: HTTPHeaders) -> HTTPHeaders {
        guard headers.contains(where: { HopByHopField.contains($0.name) }) else { return headers }
        let named = headers.filter { $0.name.equalsIgnoringASCIICase("connection") }.flatMap { HopByHopField.connectionOptions($0.value) }
        var kept = HTTPHeaders()
        for (name, value) in headers where !HopByHopField.contains(name) && !named.contains(name.asciiLowercased()) {
            kept.add(name: name, value: value)
        }
        return kept
    }

    /// The reason label of an edge answer with `status`.
    private static func reason(_ status: Int) -> String {
        switch status {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 413: "too_large"
        case 429: "rate_limited"
        default: String(status)
        }
    }
}
