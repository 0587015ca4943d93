/// The 8-byte identifier of a span, as `parent-id` of `traceparent` carries it.
public struct SpanID: Hashable, Sendable, CustomStringConvertible {
    /// The eight bytes, big-endian.
    public var rawValue: UInt64

    /// The identifier with the given bytes, big-endian.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// The identifier written as 16 lowercase hex digits, or `nil` for any other text.
    public init?(hex: some StringProtocol) {
        var text = String(hex)
        let parsed: UInt64? = text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            guard bytes.count == 16, case .success(let value) = Hex.parse(bytes, at: 0, count: 16) else { return nil }
            return value
        }
        guard let parsed else { return nil }
        self.rawValue = parsed
    }

    /// All zeros: the invalid identifier.
    public static let invalid = SpanID(rawValue: 0)

    /// Whether any byte is not zero; the specification forbids the all-zero identifier.
    public var isValid: Bool { rawValue != 0 }

    /// A random identifier, never all zeros.
    public static func random(using generator: inout some RandomNumberGenerator) -> SpanID {
        while true {
            let id = SpanID(rawValue: generator.next())
            if id.isValid { return id }
        }
    }

    /// A random identifier from the system's generator.
    public static func random() -> SpanID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// The 16 lowercase hex digits.
    public var description: String { Hex.string(rawValue, count: 16) }
}
