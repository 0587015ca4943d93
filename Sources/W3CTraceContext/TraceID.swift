/// The 16-byte identifier of a whole trace, as `trace-id` of `traceparent` carries it.
///
/// Held as two big-endian halves: `high` is the first eight bytes, `low` the last eight (the
/// bytes that samplers and the random-trace-id flag are about).
public struct TraceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The first eight bytes, big-endian.
    public var high: UInt64
    /// The last eight bytes, big-endian.
    public var low: UInt64

    /// The identifier with the given halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The identifier written as 32 lowercase hex digits, or `nil` for any other text.
    public init?(hex: some StringProtocol) {
        var text = String(hex)
        let parsed: TraceID? = text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard bytes.count == 32,
                case .success(let high) = Hex.parse(bytes, at: 0, count: 16),
                case .success(let low) = Hex.parse(bytes, at: 16, count: 16)
            else { return nil }
            return TraceID(high: high, low: low)
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// All zeros: the invalid identifier.
    public static let invalid = TraceID(high: 0, low: 0)

    /// Whether any byte is not zero; the specification forbids the all-zero identifier.
    public var isValid: Bool { high | low != 0 }

    /// A random identifier (never all zeros) whose every byte is random, as the random-trace-id
    /// flag promises of the last seven.
    public static func random(using generator: inout some RandomNumberGenerator) -> TraceID {
        while true {
            let id = TraceID(high: generator.next(), low: generator.next())
            if id.isValid { return id }
        }
    }

    /// A random identifier from the system's generator.
    public static func random() -> TraceID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// The 32 lowercase hex digits.
    public var description: String {
        String(unsafeUninitializedCapacity: 32) { buffer in
            write(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            return 32
        }
    }

    /// Writes the 32 lowercase hex digits at `destination`.
    func write(to destination: UnsafeMutableRawPointer) {
        Hex.write(high, count: 16, to: destination)
        Hex.write(low, count: 16, to: destination + 16)
    }

    /// Orders identifiers as their bytes compare.
    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
