/// A `Content-Encoding` the collector cannot decode: unknown (`br`, `zstd`), or a list of codings
/// (`gzip, gzip`). The service answers it with `415 Unsupported Media Type`.
public struct UnsupportedContentCodingError: Error, Sendable, Hashable {
    /// The header value as received.
    public var value: String

    /// Creates the error for the header value `value`.
    public init(value: String) {
        self.value = value
    }
}
