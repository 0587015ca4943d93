extension Substring {
    /// The text without leading and trailing spaces and tabs.
    package func trimmingSpaces() -> Substring {
        let isText: (UInt8) -> Bool = { !HeaderValue.isWhitespace($0) }
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

extension UInt8 {
    /// The byte lowered when it is an ASCII uppercase letter (`A`-`Z`), else the byte itself.
    package var asciiLowercased: UInt8 { self &- UInt8(ascii: "A") < 26 ? self | 0x20 : self }
}

extension String {
    /// Whether this `Expect` value asks for `100 Continue` (spaces around it and case aside).
    package var expectsContinue: Bool {
        Substring(self).trimmingSpaces().equalsIgnoringASCIICase("100-continue")
    }

    /// The text with only its ASCII letters lowered, as hostnames and header names compare (RFC
    /// 9110, 5.1): no other character can lower into an ASCII one (as the Kelvin sign does into
    /// `k` under Unicode lowercasing).
    ///
    /// The text itself (no copy) when it has no uppercase ASCII letter, as HTTP/2 and HTTP/3 send
    /// every field name.
    package func asciiLowercased() -> String {
        guard utf8.contains(where: { $0.asciiLowercased != $0 }) else { return self }
        return utf8.asciiLowercased()
    }

    /// Whether the text is `lowercased` (ASCII) ignoring ASCII case, as header names and tokens
    /// compare: only `A`-`Z` are lowered, so no other byte can pass for a letter.
    package func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        utf8.bytesEqualIgnoringASCIICase(lowercased)
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes are `lowercased` (ASCII) ignoring ASCII case, as `String`'s method compares.
    package func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        bytesEqualIgnoringASCIICase(lowercased)
    }
}

extension Substring {
    /// The text with only its ASCII letters lowered, as `String`'s method lowers it.
    package func asciiLowercased() -> String {
        utf8.asciiLowercased()
    }

    /// Whether the text is `lowercased` (ASCII) ignoring ASCII case, as `String`'s method compares.
    package func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        utf8.bytesEqualIgnoringASCIICase(lowercased)
    }
}

extension Collection<UInt8> {
    /// The bytes with only the ASCII letters lowered, as text. Concrete on `String` and
    /// `Substring` above, so that callers in other modules run a specialized loop.
    fileprivate func asciiLowercased() -> String {
        String(unsafeUninitializedCapacity: count) { buffer in
            for (offset, byte) in enumerated() { buffer[offset] = byte.asciiLowercased }
            return count
        }
    }

    /// Whether the bytes are `lowercased` (ASCII) ignoring ASCII case. Concrete on `String`'s and
    /// `Substring`'s views and on raw bytes above, so that callers in other modules run a
    /// specialized loop.
    fileprivate func bytesEqualIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        guard count == lowercased.utf8CodeUnitCount else { return false }
        return lowercased.withUTF8Buffer { expected in
            var index = 0
            for byte in self {
                guard byte.asciiLowercased == expected[index] else { return false }
                index += 1
            }
            return true
        }
    }
}

extension Set<String> {
    /// Each of the names with only its ASCII letters lowered.
    package func asciiLowercased() -> Set<String> {
        Set(map { $0.asciiLowercased() })
    }
}
