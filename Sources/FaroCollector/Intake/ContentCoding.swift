import HTTPFieldText
/// The content coding of a request body, parsed from its `Content-Encoding` header (RFC 9110 §8.4).
///
/// Only a single coding is accepted: a body compressed twice (`gzip, gzip`) or with a coding zlib
/// cannot undo (`br`, `zstd`, `compress`) is rejected with ``UnsupportedContentCodingError``, which
/// the service answers with `415 Unsupported Media Type`.
public enum ContentCoding: Sendable, Hashable {
    /// No coding: the header is absent, empty or `identity`.
    case identity
    /// gzip (RFC 1952), also spelled `x-gzip`; concatenated members are accepted.
    case gzip
    /// `deflate`: zlib-wrapped deflate (RFC 1950, what the HTTP spec means) or raw deflate
    /// (RFC 1951, what some clients send), told apart from the first two bytes of the body.
    case deflate

    /// Parses a `Content-Encoding` header value.
    ///
    /// Matching is ASCII case-insensitive and ignores surrounding spaces and tabs; `nil` and the empty
    /// value mean ``identity``.
    ///
    /// - Parameter headerValue: the header's value, or `nil` when the request has no such header.
    /// - Throws: ``UnsupportedContentCodingError`` for any other value, including lists of codings.
    public init(headerValue: String?) throws(UnsupportedContentCodingError) {
        guard let headerValue else {
            self = .identity
            return
        }
        let coding = Substring(headerValue).trimmingSpaces()
        if coding.isEmpty || coding.equalsIgnoringASCIICase("identity") {
            self = .identity
        } else if coding.equalsIgnoringASCIICase("gzip") || coding.equalsIgnoringASCIICase("x-gzip") {
            self = .gzip
        } else if coding.equalsIgnoringASCIICase("deflate") {
            self = .deflate
        } else {
            throw UnsupportedContentCodingError(value: headerValue)
        }
    }
}
