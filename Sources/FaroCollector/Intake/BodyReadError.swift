/// Why a request body could not be read. Each case carries `offset`: how many body bytes (as they
/// came over the wire, before inflating) had been consumed when the problem was found.
public enum BodyReadError: Error, Sendable, Hashable {
    /// The size that went over the limit in ``BodyReadError/tooLarge(_:limit:offset:)``.
    public enum Measure: Sendable, Hashable {
        /// The bytes read from the connection (the body as sent, compressed or not).
        case rawBytes
        /// The bytes that inflating a gzip or deflate body produced.
        case decodedBytes
    }

    /// The body is larger than `limit` bytes by `measure`; the service answers `413 Content Too Large`.
    case tooLarge(Measure, limit: Int, offset: Int)
    /// zlib found the compressed stream invalid (bad header, bad block, checksum or length mismatch);
    /// `message` is zlib's own description.
    case corrupt(message: String, offset: Int)
    /// The body ended inside the compressed stream (including an empty compressed body).
    case truncated(offset: Int)
    /// Bytes follow the end of the compressed stream (for gzip: bytes that do not start another member).
    case trailingData(offset: Int)

    /// The number of body bytes consumed when the problem was found.
    public var offset: Int {
        switch self {
        case .tooLarge(_, _, let offset), .corrupt(_, let offset), .truncated(let offset), .trailingData(let offset):
            offset
        }
    }
}
