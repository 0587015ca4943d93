/// The `trace-flags` byte of `traceparent`.
public struct TraceFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    /// The byte.
    public var rawValue: UInt8

    /// Flags from their byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The caller may have recorded trace data (bit 0).
    public static let sampled = TraceFlags(rawValue: 0x01)
    /// At least the last seven bytes of the trace id are random (bit 1, Trace Context Level 2).
    public static let random = TraceFlags(rawValue: 0x02)
    /// The flags this specification defines; a participant sends the others as zero.
    public static let defined: TraceFlags = [.sampled, .random]

    /// The byte as two lowercase hex digits.
    public var description: String { Hex.string(UInt64(rawValue), count: 2) }
}
