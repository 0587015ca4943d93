/// Bounds on what the decoder accepts, so that a hostile payload costs bounded memory and time.
///
/// The defaults accept everything Alloy's `faro.receiver` accepts with its defaults:
/// a body of at most 5 MiB (`max_allowed_payload_size`) and nesting up to Go's
/// `encoding/json` depth of 10,000. Alloy bounds neither items nor strings beyond the
/// body size, so neither do the defaults; a collector that wants tighter bounds sets them.
public struct FaroDecodingLimits: Sendable, Hashable {
    /// The largest input, in bytes. Default 5 MiB.
    public var maxPayloadBytes: Int
    /// The deepest nesting of objects and arrays, the top-level object counting as 1. Default 10,000.
    public var maxNestingDepth: Int
    /// The most logs, exceptions, measurements and events in one payload, together. Default unbounded.
    public var maxItems: Int
    /// The longest string, in UTF-8 bytes after unescaping, keys included. Default unbounded.
    public var maxStringBytes: Int

    /// Creates limits.
    public init(
        maxPayloadBytes: Int = 5 * 1024 * 1024,
        maxNestingDepth: Int = 10_000,
        maxItems: Int = .max,
        maxStringBytes: Int = .max
    ) {
        self.maxPayloadBytes = maxPayloadBytes
        self.maxNestingDepth = maxNestingDepth
        self.maxItems = maxItems
        self.maxStringBytes = maxStringBytes
    }
}
