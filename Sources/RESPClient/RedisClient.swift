public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// A small Redis client: a pool of connections over SwiftNIO that pipelines commands, times them
/// out, and reconnects with exponential backoff.
///
/// ```swift
/// let client = RedisClient(configuration: try RedisConfiguration(url: "redis://127.0.0.1:6379/0"))
/// let pong = try await client.send(RESPCommand("PING"))
/// await client.shutdown()
/// ```
///
/// Commands go round robin over `RedisConfiguration.connections` connections, opened on first
/// use; on each, commands are written as they come without waiting for earlier replies. A
/// connection that fails is replaced on the next command. After a failed attempt to connect, the
/// next one waits `initialReconnectDelay`, doubling up to `maximumReconnectDelay`; in between,
/// commands that find no open connection fail at once with `RedisError.unavailable`.
public final class RedisClient: Sendable {
    /// One place in the pool.
    private enum Slot {
        /// No connection; the next may be tried from `retryAt` on (`nil`: at once).
        case idle(retryAt: NIODeadline?, failures: Int)
        /// A connection being opened.
        case connecting(EventLoopFuture<RedisConnection>, failures: Int)
        /// An open connection.
        case ready(RedisConnection)
    }

    private struct State {
        var slots: [Slot]
        var cursor = 0
        var isShutDown = false
    }

    /// The configuration it was made with.
    public let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state: Mutex<State>

    /// A client for the server of `configuration`, on `eventLoopGroup`'s event loops.
    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "RESPClient", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        state = Mutex(State(slots: Array(repeating: .idle(retryAt: nil, failures: 0), count: configuration.connections)))
    }

    /// Sends one command and returns its reply; an error reply throws `RedisError.server`, a command
    /// the client refuses (see `pipeline(_:)`) `RedisError.unsupportedCommand`.
    public func send(_ command: RESPCommand) async throws(RedisError) -> RESPValue {
        let replies = try await pipeline([command])
        guard let reply = replies.first else { throw .unexpectedReply("no reply") }
        if case .error(let error) = reply { throw .server(error) }
        return reply
    }

    /// Sends `commands` together on one connection and returns their replies in order, error
    /// replies among them as `RESPValue.error`; throws only when the replies could not be had.
    ///
    /// Commands that would break the pairing of one reply with each command, or change a pooled
    /// connection for later callers (`SUBSCRIBE`, `MONITOR`, `AUTH`, `SELECT`, ...: see
    /// `UnsupportedCommandError`), fail the whole pipeline with `RedisError.unsupportedCommand`
    /// before anything is sent.
    public func pipeline(_ commands: [RESPCommand]) async throws(RedisError) -> [RESPValue] {
        if let refusal = UnsupportedCommandError(refusing: commands) { throw .unsupportedCommand(refusal) }
        let connection = try await connection()
        do {
            return try await connection.send(commands).get()
        } catch {
            throw error as? RedisError ?? .connectionClosed
        }
    }

    /// Closes every connection; later commands fail with `RedisError.shutDown`.
    public func shutdown() async {
        let slots = state.withLock { state in
            state.isShutDown = true
            defer { state.slots = state.slots.map { _ in .idle(retryAt: nil, failures: 0) } }
            return state.slots
        }
        for slot in slots {
            switch slot {
            case .ready(let connection): try? await connection.channel.close()
            case .connecting(let future, _): try? await future.get().channel.close()
            case .idle: break
            }
        }
    }

    /// An open connection: the slot in turn's (opening it if it has none), else any ready one, else
    /// one being opened.
    private func connection() async throws(RedisError) -> RedisConnection {
        enum Choice {
            case ready(RedisConnection)
            case wait(EventLoopFuture<RedisConnection>)
            case fail(RedisError)
        }
        let now = NIODeadline.now()
        let choice: Choice = state.withLock { state in
            if state.isShutDown { return .fail(.shutDown) }
            let count = state.slots.count
            let start = state.cursor
            state.cursor = (start + 1) % count
            // The slot in turn: its connection, or a new one if it has none and its backoff is
            // over (used by this command only if no other is ready, so that the pool fills up
            // without making anyone wait).
            var opened: EventLoopFuture<RedisConnection>?
            // A connection that closed but whose slot has not heard yet counts as none; one that
            // never served waits for its close to set the backoff.
            if case .ready(let connection) = state.slots[start], !connection.channel.isActive, connection.hasAnswered {
                state.slots[start] = .idle(retryAt: nil, failures: 0)
            }
            switch state.slots[start] {
            case .ready(let connection) where connection.channel.isActive:
                return .ready(connection)
            case .idle(let retryAt, let failures) where retryAt.map({ $0 <= now }) ?? true:
                let future = open(slot: start, failures: failures)
                state.slots[start] = .connecting(future, failures: failures)
                opened = future
            default:
                break
            }
            for offset in 1..<max(count, 1) {
                if case .ready(let connection) = state.slots[(start + offset) % count], connection.channel.isActive {
                    return .ready(connection)
                }
            }
            if let opened { return .wait(opened) }
            var soonest: NIODeadline?
            for index in 0..<count {
                switch state.slots[index] {
                case .connecting(let future, _): return .wait(future)
                case .idle(let retryAt?, _): soonest = min(soonest ?? retryAt, retryAt)
                default: break
                }
            }
            let wait = (soonest ?? now) - now
            return .fail(.unavailable(retryIn: Duration(wait)))
        }
        switch choice {
        case .ready(let connection): return connection
        case .fail(let error): throw error
        case .wait(let future):
            do {
                return try await future.get()
            } catch {
                throw error as? RedisError ?? .connectionClosed
            }
        }
    }

    /// Starts opening the connection of `slot`, and arranges for the slot to follow it.
    private func open(slot index: Int, failures: Int) -> EventLoopFuture<RedisConnection> {
        let future = RedisConnection.connect(configuration, on: eventLoopGroup.next(), logger: logger)
        future.whenComplete { [self] result in
            switch result {
            case .success(let connection):
                let keep = state.withLock { state in
                    guard !state.isShutDown else { return false }
                    state.slots[index] = .ready(connection)
                    return true
                }
                guard keep else {
                    connection.channel.close(promise: nil)
                    return
                }
                connection.channel.closeFuture.whenComplete { [self] _ in
                    // A connection that served is replaced at once, failures starting over; one
                    // that closed before the server answered anything counts as a failed attempt,
                    // so that a server that accepts and drops is not reconnected to at every command.
                    let answered = connection.hasAnswered
                    let delay = answered ? nil : reconnectDelay(afterFailures: failures + 1)
                    state.withLock { state in
                        if case .ready(let current) = state.slots[index], current === connection {
                            state.slots[index] =
                                answered
                                ? .idle(retryAt: nil, failures: 0)
                                : .idle(retryAt: .now() + TimeAmount(delay ?? .zero), failures: failures + 1)
                        }
                    }
                    logger.debug("Redis connection closed", metadata: ["slot": "\(index)", "answered": "\(answered)"])
                }
            case .failure(let error):
                let delay = reconnectDelay(afterFailures: failures + 1)
                state.withLock { state in
                    guard !state.isShutDown else { return }
                    state.slots[index] = .idle(retryAt: .now() + TimeAmount(delay), failures: failures + 1)
                }
                logger.warning("cannot connect to Redis", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
            }
        }
        return future
    }

    /// The backoff after `failures` failed attempts in a row: the initial delay doubled for each
    /// but the first, up to the maximum, less up to a quarter at random so that a fleet's nodes
    /// do not reconnect in step.
    private func reconnectDelay(afterFailures failures: Int) -> Duration {
        let initial = TimeAmount(configuration.initialReconnectDelay).nanoseconds
        let maximum = TimeAmount(configuration.maximumReconnectDelay).nanoseconds
        let shift = min(failures - 1, 30)
        let (doubled, overflow) = initial.multipliedReportingOverflow(by: 1 << shift)
        let delay = overflow ? maximum : min(doubled, maximum)
        let jitter = delay > 4 ? Int64.random(in: 0...(delay / 4)) : 0
        return .nanoseconds(delay - jitter)
    }
}
