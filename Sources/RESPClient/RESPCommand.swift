public import NIOCore

/// A command to a Redis server: its name and arguments, each sent as a bulk string.
///
/// ```swift
/// let reply = try await client.send(RESPCommand("SET", "tenant:a", "1", "PX", "1000"))
/// ```
public struct RESPCommand: Sendable, Hashable {
    /// The name first, then the arguments, as bytes.
    public var arguments: [ByteBuffer]

    /// A command of these arguments, the name first.
    public init(arguments: [ByteBuffer]) {
        self.arguments = arguments
    }

    /// A command of these textual arguments, the name first.
    public init(_ name: String, _ arguments: String...) {
        self.init(name, arguments)
    }

    /// A command of these textual arguments, the name first.
    public init(_ name: String, _ arguments: [String]) {
        var all = [ByteBuffer(string: name)]
        all.reserveCapacity(arguments.count + 1)
        for argument in arguments { all.append(ByteBuffer(string: argument)) }
        self.arguments = all
    }

    /// Writes the command as a RESP array of bulk strings (`*N`, then `$len` and bytes for each).
    public func write(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("*")
        buffer.writeDecimal(arguments.count)
        for argument in arguments {
            buffer.writeStaticString("$")
            buffer.writeDecimal(argument.readableBytes)
            buffer.writeImmutableBuffer(argument)
            buffer.writeStaticString("\r\n")
        }
    }
}

extension ByteBuffer {
    /// Writes a non-negative decimal and CRLF (a small string, held inline: no allocation).
    fileprivate mutating func writeDecimal(_ value: Int) {
        writeString(String(value))
        writeStaticString("\r\n")
    }
}
