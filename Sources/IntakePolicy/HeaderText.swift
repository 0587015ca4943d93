extension Substring {
    /// The text without leading and trailing spaces and tabs.
    package func trimmingSpaces() -> Substring {
        let isText: (UInt8) -> Bool = { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        guard let first = utf8.firstIndex(where: isText), let last = utf8.lastIndex(where: isText) else { return "" }
        return Substring(utf8[first...last])
    }

    /// The text before the first `;` (the whole text when it has none), without surrounding
    /// spaces and tabs: a header value's token without its parameters, such as a media type
    /// without `charset`.
    package func withoutParameters() -> Substring {
        let end = utf8.firstIndex(of: UInt8(ascii: ";")) ?? utf8.endIndex
        return Substring(utf8[..<end]).trimmingSpaces()
    }
}

extension String {
    /// Whether the text is `lowercased` (ASCII) ignoring ASCII case, as header names and tokens
    /// compare: only `A`-`Z` are lowered, so no other byte can pass for a letter.
    package func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        utf8.equalsIgnoringASCIICase(lowercased)
    }
}

extension Substring {
    /// Whether the text is `lowercased` (ASCII) ignoring ASCII case, as `String`'s method compares.
    package func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        utf8.equalsIgnoringASCIICase(lowercased)
    }
}

extension Collection<UInt8> {
    /// Whether the bytes are `lowercased` (ASCII) ignoring ASCII case. Concrete on `String`'s and
    /// `Substring`'s views above, so that callers in other modules run a specialized loop.
    fileprivate func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        guard count == lowercased.utf8CodeUnitCount else { return false }
        return lowercased.withUTF8Buffer { expected in
            var index = 0
            for byte in self {
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                guard lowered == expected[index] else { return false }
                index += 1
            }
            return true
        }
    }
}
