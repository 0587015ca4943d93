/// Helpers for HTTP field values as raw bytes: trace headers, the gateway's `X-Forwarded-For`.
package enum HeaderValue {
    /// Whether `byte` is optional whitespace (RFC 9110 OWS): space or horizontal tab.
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    /// `bytes` without the spaces and tabs around them.
    @inline(__always)
    package static func trimmingWhitespace(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, isWhitespace(bytes[start]) { start += 1 }
        while end > start, isWhitespace(bytes[end - 1]) { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }
}
