package import NIOCore

/// The idle and request timeouts of a server connection, checked by one timer.
///
/// - Idle: a connection that has read nothing for `idleTimeout` is closed, except while it waits
///   on the server (an upstream's answer, a download): that time is not the client's.
/// - Request: a request must have arrived whole `requestTimeout` after its first bytes. A read
///   between requests starts the clock, even a read of part of a head, which NIO's decoder keeps
///   without passing anything on: a head trickled byte by byte, each byte within the idle timeout,
///   is cut off. The time a keep-alive connection waits between requests is idle time only.
///
/// The timer is moved only when it fires or when a deadline comes before it, so that a request
/// that arrives in time costs no timer work (NIO's `IdleStateHandler` would add a pipeline stage
/// that every read and write goes through).
///
/// Used by faro-collector's and rum-gateway's handlers, on their event loop only. The handler
/// reports the connection's events, arms the timer with ``check(by:on:_:)``, and when the timer
/// fires calls ``timerFired()`` and then ``expiry(at:waitingOnServer:)``.
package struct ConnectionDeadlines {
    /// What ran out.
    package enum Expiry: Equatable, Sendable {
        /// The connection read nothing for the idle timeout.
        case idle
        /// A request did not arrive whole within the request timeout.
        case request
    }

    /// How long the connection may read nothing.
    package let idleTimeout: TimeAmount
    /// How long a request may take to arrive, from its first bytes.
    package let requestTimeout: TimeAmount
    /// When the connection last read, or the server stopped making it wait.
    private var lastRead: NIODeadline
    /// When the request under way must have arrived; nil between requests.
    private var requestDeadline: NIODeadline?
    /// Whether a request has started (its head, or its first bytes) and not yet ended.
    private var requestUnderWay = false
    /// Whether the read in progress ended a request: its completion then does not start the next
    /// request's clock (bytes of the next request, if any came with it, start it at the next read).
    private var endedInThisRead = false
    /// The timer, and when it fires.
    private var timer: Scheduled<Void>?
    private var timerAt: NIODeadline?

    /// Deadlines with these timeouts, for a connection that opens `now`.
    package init(idleTimeout: TimeAmount, requestTimeout: TimeAmount, now: NIODeadline = .now()) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.lastRead = now
    }

    /// The earliest deadline: the timer must fire by then.
    package var next: NIODeadline {
        min(lastRead + idleTimeout, requestDeadline ?? .distantFuture)
    }

    /// The connection opened at `now`: the idle clock starts.
    package mutating func opened(at now: NIODeadline) {
        lastRead = now
    }

    /// A read completed at `now` (`channelReadComplete`): the idle clock starts again, and if no
    /// request was under way and none ended in this read, the bytes read begin the next request,
    /// whose clock starts. Returns the request's deadline when it started, for the timer.
    package mutating func read(at now: NIODeadline) -> NIODeadline? {
        lastRead = now
        defer { endedInThisRead = false }
        guard !requestUnderWay, !endedInThisRead, requestDeadline == nil else { return nil }
        let deadline = now + requestTimeout
        requestDeadline = deadline
        requestUnderWay = true
        return deadline
    }

    /// A request's head arrived at `now`: its deadline is `requestTimeout` after it, or earlier if
    /// its first bytes came earlier. Returns the deadline, for the timer.
    package mutating func requestStarted(at now: NIODeadline) -> NIODeadline {
        let deadline = min(requestDeadline ?? .distantFuture, now + requestTimeout)
        requestDeadline = deadline
        requestUnderWay = true
        return deadline
    }

    /// The request under way has arrived whole (its end was read): from now on until the next
    /// request's bytes, only the idle timeout applies.
    package mutating func requestEnded() {
        requestDeadline = nil
        requestUnderWay = false
        endedInThisRead = true
    }

    /// The server has stopped making the connection wait at `now` (its answer is out): idle time
    /// counts from now, not from the last read before the wait.
    package mutating func serverFinished(at now: NIODeadline) {
        lastRead = max(lastRead, now)
    }

    /// What has run out by `now`, or nil. While `waitingOnServer`, idle time does not count: the
    /// idle clock starts again at `now`.
    package mutating func expiry(at now: NIODeadline, waitingOnServer: Bool) -> Expiry? {
        if let requestDeadline, requestDeadline <= now { return .request }
        if lastRead + idleTimeout <= now {
            guard waitingOnServer else { return .idle }
            lastRead = now
        }
        return nil
    }

    /// Makes the timer call `fire` by `deadline` at the latest, on `eventLoop`: moves it only if it
    /// would fire later. `fire` must call ``timerFired()`` first.
    package mutating func check(by deadline: NIODeadline, on eventLoop: any EventLoop, _ fire: @escaping () -> Void) {
        if let timerAt, timerAt <= deadline { return }
        timer?.cancel()
        timerAt = deadline
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: deadline, fire)
    }

    /// The timer has fired: the next ``check(by:on:_:)`` arms it again.
    package mutating func timerFired() {
        timer = nil
        timerAt = nil
    }

    /// The connection has closed: the timer is cancelled.
    package mutating func cancel() {
        timer?.cancel()
        timer = nil
        timerAt = nil
        requestDeadline = nil
        requestUnderWay = false
    }
}
