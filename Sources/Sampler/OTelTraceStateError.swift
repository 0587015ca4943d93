/// Why the value of the OpenTelemetry `ot` entry of `tracestate` was rejected. Offsets count
/// bytes from the start of that value.
public enum OTelTraceStateError: Error, Hashable, Sendable {
    /// The value is longer than the 256 characters the specification allows.
    case tooLong(Int)
    /// The value breaks the grammar `key:value` (key `[a-z][a-z0-9]*`, value `[A-Za-z0-9._-]*`)
    /// of members separated by `;`.
    case invalidSyntax(offset: Int)
    /// A sub-key appears twice.
    case duplicateKey(offset: Int)
    /// The `th` value is not 1 to 14 lowercase hex digits; the offset is its first byte.
    case invalidThreshold(offset: Int)
    /// The `rv` value is not exactly 14 lowercase hex digits; the offset is its first byte.
    case invalidRandomness(offset: Int)
}
