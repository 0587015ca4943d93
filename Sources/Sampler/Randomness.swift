public import W3CTraceContext

/// The 56-bit randomness value `R` of consistent probability sampling: the explicit `rv` of the
/// `ot` entry of `tracestate`, or else the last seven bytes of the trace id (the bytes that
/// W3C Trace Context Level 2 makes random).
public struct Randomness: Hashable, Sendable, Comparable {
    /// The value, below 2^56.
    public let rawValue: UInt64

    /// The largest value plus one: 2^56.
    public static let limit: UInt64 = 1 << 56

    /// The value `rawValue`, or `nil` if it is not below 2^56.
    public init?(rawValue: UInt64) {
        guard rawValue < Randomness.limit else { return nil }
        self.rawValue = rawValue
    }

    /// The least-significant 56 bits of `traceID`.
    @inlinable
    public init(traceID: TraceID) {
        self.rawValue = traceID.low & (Randomness.limit - 1)
    }

    /// The value of an `rv` sub-key: exactly 14 lowercase hex digits, or `nil` for any other text.
    public init?(rv: some StringProtocol) {
        var text = String(rv)
        guard let value = text.withUTF8({ $0.count == 14 ? try? Hex.parse(UnsafeRawBufferPointer($0), at: 0, count: 14).get() : nil }) else { return nil }
        self.rawValue = value
    }

    /// The `rv` value: 14 lowercase hex digits.
    public var rv: String { Hex.string(rawValue, count: 14) }

    /// Orders values as numbers.
    public static func < (lhs: Randomness, rhs: Randomness) -> Bool { lhs.rawValue < rhs.rawValue }
}
