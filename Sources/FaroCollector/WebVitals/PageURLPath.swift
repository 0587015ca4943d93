/// The path of a page URL (`meta.page.url`), found without parsing the URL into parts.
///
/// The query (`?`) and fragment (`#`) are cut; a scheme (`https:`) and an authority
/// (`//host:port`) are skipped; what is left is the path, empty when the URL has none (the
/// root). A URL without a scheme or authority is a relative URL: all of it before `?` or `#`
/// is the path.
enum PageURLPath {
    /// The range of the path in the URL's bytes.
    static func range(in url: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var end = 0
        while end < url.count, url[end] != UInt8(ascii: "?"), url[end] != UInt8(ascii: "#") { end += 1 }
        var start = 0
        if end > 0, isLetter(url[0]) {
            var index = 1
            while index < end, isSchemeByte(url[index]) { index += 1 }
            if index < end, url[index] == UInt8(ascii: ":") { start = index + 1 }
        }
        if start + 1 < end, url[start] == UInt8(ascii: "/"), url[start + 1] == UInt8(ascii: "/") {
            var index = start + 2
            while index < end, url[index] != UInt8(ascii: "/") { index += 1 }
            start = index
        }
        return start..<end
    }

    /// The path of `url` as a string.
    static func path(of url: String) -> String {
        var url = url
        return url.withUTF8 { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[range(in: bytes)]), as: UTF8.self)
        }
    }

    /// An ASCII letter, the first byte of a scheme.
    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// A byte that may follow the first in a scheme: a letter, a digit, `+`, `-` or `.`.
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
