/// The flags field of Jaeger's `uber-trace-id`, one byte as Jaeger clients keep it.
public struct JaegerFlags: OptionSet, Hashable, Sendable {
    /// The byte.
    public var rawValue: UInt8

    /// Flags from their byte.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The trace is sampled (bit 0).
    public static let sampled = JaegerFlags(rawValue: 0x01)
    /// The caller forced sampling for debugging (bit 1). OpenTelemetry's propagators read it only
    /// together with `sampled`.
    public static let debug = JaegerFlags(rawValue: 0x02)
    /// Jaeger's firehose mode (bit 3): spans are recorded but not indexed. No other format has it.
    public static let firehose = JaegerFlags(rawValue: 0x08)
}
