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
        var utf8 = Substring(headerValue).utf8
        while let first = utf8.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
            utf8.removeFirst()
        }
        while let last = utf8.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
            utf8.removeLast()
        }
        if utf8.isEmpty || Self.matches(utf8, "identity") {
            self = .identity
        } else if Self.matches(utf8, "gzip") || Self.matches(utf8, "x-gzip") {
            self = .gzip
        } else if Self.matches(utf8, "deflate") {
            self = .deflate
        } else {
            throw UnsupportedContentCodingError(value: headerValue)
        }
    }

    /// Whether `bytes` equal the lowercase ASCII `name`, ignoring ASCII case.
    private static func matches(_ bytes: Substring.UTF8View, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        return name.withUTF8Buffer { expected in
            var index = 0
            for byte in bytes {
                // Setting bit 5 lowers ASCII letters; it also maps other bytes onto letters, so compare
                // the lowered byte only when it is a letter and the byte exactly otherwise.
                let lowered = byte | 0x20
                let isLetter = lowered >= UInt8(ascii: "a") && lowered <= UInt8(ascii: "z")
                if (isLetter ? lowered : byte) != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}
