public import NIOCore

/// A reply in the Redis serialization protocol, version 2 (RESP2), which every Redis server speaks
/// unless a client asks for RESP3 with `HELLO 3`.
public enum RESPValue: Sendable, Hashable {
    /// A simple string (`+OK`).
    case simpleString(ByteBuffer)
    /// An error reply (`-NOSCRIPT No matching script`), its kind and message apart.
    case error(RedisServerError)
    /// An integer (`:42`).
    case integer(Int64)
    /// A bulk string (`$5 hello`); `nil` is the null bulk string (`$-1`).
    case bulkString(ByteBuffer?)
    /// An array (`*2 ...`); `nil` is the null array (`*-1`).
    case array([RESPValue]?)

    /// The text of a simple or bulk string, read as UTF-8; `nil` for other values.
    public var string: String? {
        switch self {
        case .simpleString(let buffer), .bulkString(.some(let buffer)):
            return String(buffer: buffer)
        default:
            return nil
        }
    }

    /// The integer of an integer reply, or of a string that holds one in decimal; `nil` otherwise.
    public var int64: Int64? {
        switch self {
        case .integer(let value): return value
        default: return string.flatMap { Int64($0) }
        }
    }

    /// The elements of a non-null array; `nil` otherwise.
    public var elements: [RESPValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is a null bulk string or a null array.
    public var isNull: Bool {
        switch self {
        case .bulkString(nil), .array(nil): return true
        default: return false
        }
    }
}

/// An error reply of a Redis server: its first word is the kind (`ERR`, `NOSCRIPT`, `WRONGTYPE`,
/// `NOAUTH`, `BUSY`, ...), the rest is the message.
public struct RedisServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind: the reply's first word, in capitals by convention (`NOSCRIPT`).
    public let kind: String
    /// The rest of the reply.
    public let message: String

    /// An error of `kind` with `message`.
    public init(kind: String, message: String) {
        self.kind = kind
        self.message = message
    }

    /// Splits an error line (without `-` and CRLF) at its first space.
    init(line: String) {
        if let space = line.firstIndex(of: " ") {
            kind = String(line[..<space])
            message = String(line[line.index(after: space)...])
        } else {
            kind = line
            message = ""
        }
    }

    /// The line as the server sent it.
    public var description: String { message.isEmpty ? kind : "\(kind) \(message)" }
}
