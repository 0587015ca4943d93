import NIOCore
import NIOPosix

/// One answer read off a raw connection: the status line's code and reason phrase, the header
/// fields in order, and the body (as many bytes as `Content-Length` says).
public struct RawHTTPResponse: Sendable, CustomStringConvertible {
    /// The status code.
    public let status: Int
    /// The header fields, in the order they came.
    public let headers: [(name: String, value: String)]
    /// The body bytes.
    public let body: [UInt8]

    /// The value of the first field called `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    public var description: String {
        "\(status) \(headers.map { "\($0.name): \($0.value)" }.joined(separator: "; ")) | \(text.prefix(300))"
    }
}

/// Why `RawHTTPConnection.readResponse` found no answer.
public enum RawHTTPConnectionError: Error, CustomStringConvertible {
    /// The server closed the connection before a whole answer came; `partial` is what came.
    case closed(partial: [UInt8])
    /// No whole answer came within the time allowed; `partial` is what came.
    case timedOut(partial: [UInt8])
    /// The bytes received are not an HTTP/1.1 answer.
    case malformed(String)

    public var description: String {
        switch self {
        case .closed(let partial): "connection closed after \(partial.count) bytes: \(String(decoding: partial.prefix(200), as: UTF8.self))"
        case .timedOut(let partial): "timed out after \(partial.count) bytes: \(String(decoding: partial.prefix(200), as: UTF8.self))"
        case .malformed(let reason): "malformed answer: \(reason)"
        }
    }
}

/// A TCP connection to 127.0.0.1 that sends arbitrary bytes (malformed, truncated or slow
/// requests) and reads HTTP/1.1 answers one at a time, or notices that the server closed it,
/// each wait bounded by a timeout.
///
/// Built on SwiftNIO's `ClientBootstrap`: everything happens on an event loop of NIO's singleton
/// group and the test only awaits futures, so no thread of the concurrency pool is blocked.
public final class RawHTTPConnection: Sendable {
    private let channel: any Channel
    private let recorder: NIOLoopBound<InboundRecorder>

    /// Collects the bytes the server sends and whether it closed, on the event loop, and wakes the
    /// waiters registered by `RawHTTPConnection.wait` when either changes.
    private final class InboundRecorder: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        /// What has come and not been taken as an answer yet.
        var received: [UInt8] = []
        /// Whether the connection is closed: by the server (its sending side at least: the
        /// connection allows half-closure, so that a server that stops sending can still be sent
        /// to), by a reset, or by us.
        var isClosed = false
        private var waiters: [Int: () -> Bool] = [:]
        private var nextWaiter = 0

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            received += buffer.readableBytesView
            wake()
        }

        func channelInactive(context: ChannelHandlerContext) {
            isClosed = true
            wake()
            context.fireChannelInactive()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case ChannelEvent.inputClosed = event {
                isClosed = true
                wake()
            }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // A reset or a failed write: the connection is gone either way.
            context.close(promise: nil)
        }

        /// Registers `waiter`, called after each change until it returns true; returns its id.
        func add(_ waiter: @escaping () -> Bool) -> Int {
            nextWaiter += 1
            waiters[nextWaiter] = waiter
            return nextWaiter
        }

        /// Drops the waiter `id` (its time ran out).
        func remove(_ id: Int) { waiters[id] = nil }

        private func wake() {
            for (id, waiter) in waiters where waiter() { waiters[id] = nil }
        }
    }

    private init(channel: any Channel, recorder: NIOLoopBound<InboundRecorder>) {
        self.channel = channel
        self.recorder = recorder
    }

    /// Opens a connection to `127.0.0.1:port`.
    public static func connect(port: Int) async throws -> RawHTTPConnection {
        let (channel, recorder) = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .connectTimeout(.seconds(5))
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let recorder = InboundRecorder()
                    try channel.pipeline.syncOperations.addHandler(recorder)
                    return (channel, NIOLoopBound(recorder, eventLoop: channel.eventLoop))
                }
            }
        return RawHTTPConnection(channel: channel, recorder: recorder)
    }

    /// Sends `bytes` on a new connection to `127.0.0.1:port`, reads the answer and closes.
    public static func exchange(_ bytes: [UInt8], port: Int) async throws -> RawHTTPResponse {
        let connection = try await connect(port: port)
        try await connection.send(bytes)
        let answer = try await connection.readResponse()
        await connection.close()
        return answer
    }

    /// Sends `bytes` and waits until they are handed to the kernel; throws when the connection
    /// is closed or reset before that.
    public func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    /// Reads the next whole answer, waiting at most `timeout`; throws `RawHTTPConnectionError`
    /// when the connection closes first, the time runs out, or the bytes are not HTTP. With
    /// `bodyless`, the answer has no body whatever its `Content-Length` says (the answer to `HEAD`).
    /// The default timeout only bounds a test that fails: an answer may come late on a machine
    /// that stalls the tests for seconds.
    public func readResponse(timeout: Duration = .seconds(30), bodyless: Bool = false) async throws -> RawHTTPResponse {
        let outcome = await wait(timeout: timeout) { recorder -> Result<RawHTTPResponse, RawHTTPConnectionError>? in
            switch RawHTTPConnection.parse(recorder.received, bodyless: bodyless) {
            case .success(.some(let (response, length))):
                recorder.received.removeFirst(length)
                return .success(response)
            case .success(nil):
                return recorder.isClosed ? .failure(.closed(partial: recorder.received)) : nil
            case .failure(let error):
                return .failure(error)
            }
        }
        switch outcome {
        case .some(.success(let response)): return response
        case .some(.failure(let error)): throw error
        case nil: throw RawHTTPConnectionError.timedOut(partial: await pending())
        }
    }

    /// Sends `bytes` one at a time, `interval` apart, until all are sent or the server has closed
    /// the connection; returns how many were sent and the time from the first to the close (or to
    /// the end). A test that stalls sends fewer, never more, in the time the server allows.
    public func trickle(_ bytes: [UInt8], every interval: Duration) async throws -> (sent: Int, elapsed: Duration) {
        let start = ContinuousClock.now
        var sent = 0
        for byte in bytes {
            guard !(await isClosed) else { break }
            try? await send([byte])
            sent += 1
            try await Task.sleep(for: interval)
        }
        return (sent, ContinuousClock.now - start)
    }

    /// Waits at most `timeout` for the server to close the connection; returns whether it did,
    /// and the bytes that came and were not read as an answer.
    public func waitForClose(timeout: Duration) async -> (closed: Bool, unread: [UInt8]) {
        let closed = await wait(timeout: timeout) { $0.isClosed ? true : nil } ?? false
        return (closed, await pending())
    }

    /// Whether the connection is closed now.
    public var isClosed: Bool {
        get async { await wait(timeout: .zero) { $0.isClosed } ?? false }
    }

    /// Closes the connection (if the server has not).
    public func close() async {
        try? await channel.close().get()
    }

    /// The bytes received and not read as an answer.
    private func pending() async -> [UInt8] {
        await wait(timeout: .zero) { $0.received } ?? []
    }

    /// Runs `check` on the event loop now and after each byte or close that arrives, until it gives
    /// a value or `timeout` passes (then nil).
    private func wait<T: Sendable>(
        timeout: Duration, until check: @escaping @Sendable (InboundRecorder) -> T?
    ) async -> T? {
        let loop = channel.eventLoop
        let recorder = self.recorder
        let future = loop.flatSubmit { () -> EventLoopFuture<T?> in
            let promise = loop.makePromise(of: T?.self)
            let handler = recorder.value
            if let value = check(handler) {
                promise.succeed(value)
                return promise.futureResult
            }
            let id = handler.add {
                guard let value = check(handler) else { return false }
                promise.succeed(value)
                return true
            }
            let timer = loop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)) {
                recorder.value.remove(id)
                promise.succeed(nil)
            }
            promise.futureResult.whenComplete { _ in timer.cancel() }
            return promise.futureResult
        }
        return try? await future.get()
    }

    /// The first answer in `bytes` and its length in bytes, nil if it is not whole yet.
    static func parse(_ bytes: [UInt8], bodyless: Bool = false) -> Result<(RawHTTPResponse, Int)?, RawHTTPConnectionError> {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= 4 else { return .success(nil) }
        var headEnd: Int? = nil
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual(separator) {
            headEnd = index
            break
        }
        guard let headEnd else { return .success(nil) }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.first ?? ""
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            return .failure(.malformed("status line \"\(statusLine)\""))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .failure(.malformed("header line \"\(line)\"")) }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: " \t")))
        }
        let lengthField = headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0"
        guard let declaredLength = Int(lengthField), declaredLength >= 0 else { return .failure(.malformed("Content-Length \(lengthField)")) }
        let bodyStart = headEnd + 4
        let length = bodyless ? 0 : declaredLength
        guard bytes.count >= bodyStart + length else { return .success(nil) }
        let response = RawHTTPResponse(status: status, headers: headers, body: Array(bytes[bodyStart..<(bodyStart + length)]))
        return .success((response, bodyStart + length))
    }
}

extension Substring {
    /// The text without the leading and trailing characters in `characters`.
    fileprivate func trimmingCharacters(in characters: String) -> String {
        var text = self
        while let first = text.first, characters.contains(first) { text.removeFirst() }
        while let last = text.last, characters.contains(last) { text.removeLast() }
        return String(text)
    }
}
