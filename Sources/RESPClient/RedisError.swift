/// Why a command to Redis did not get its reply.
public enum RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered with an error reply (`NOSCRIPT`, `WRONGTYPE`, `NOAUTH`, ...).
    case server(RedisServerError)
    /// No reply came within the command timeout; the connection was closed, since a late reply
    /// would arrive out of turn.
    case timeout(Duration)
    /// The connection closed before the reply came.
    case connectionClosed
    /// No connection could be opened to the server (refused, unreachable, timed out).
    case connectFailed(String)
    /// Every connection of the pool is down and waiting out its reconnect backoff: the command was
    /// not sent, so that callers fail fast while the server is away.
    case unavailable(retryIn: Duration)
    /// The server rejected `AUTH` or `SELECT` when the connection opened.
    case handshakeFailed(RedisServerError)
    /// The server sent bytes that are not RESP2; the connection was closed.
    case protocolViolation(RESPProtocolError)
    /// A reply had another shape than the command's documented one.
    case unexpectedReply(String)
    /// The client was shut down.
    case shutDown
    /// The command, or a command of the pipeline, would break the pairing of replies with commands
    /// or a pooled connection's state: nothing was sent, and the connections serve on.
    case unsupportedCommand(UnsupportedCommandError)

    /// The error for logs and messages.
    public var description: String {
        switch self {
        case .server(let error): return "Redis error reply: \(error)"
        case .timeout(let timeout): return "no reply from Redis within \(timeout)"
        case .connectionClosed: return "the connection to Redis closed before the reply"
        case .connectFailed(let reason): return "cannot connect to Redis: \(reason)"
        case .unavailable(let retryIn): return "Redis unavailable; the next connection attempt in \(retryIn)"
        case .handshakeFailed(let error): return "Redis rejected the connection's AUTH or SELECT: \(error)"
        case .protocolViolation(let error): return error.description
        case .unexpectedReply(let reason): return "unexpected Redis reply: \(reason)"
        case .shutDown: return "the Redis client was shut down"
        case .unsupportedCommand(let error): return error.description
        }
    }
}
