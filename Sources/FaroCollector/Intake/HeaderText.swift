extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[first...last]
    }
}

extension StringProtocol {
    /// Whether the text is `lowercased` (ASCII) ignoring ASCII case, as header names and tokens
    /// compare: only `A`-`Z` are lowered, so no other byte can pass for a letter.
    package func equalsIgnoringASCIICase(_ lowercased: StaticString) -> Bool {
        guard utf8.count == lowercased.utf8CodeUnitCount else { return false }
        return lowercased.withUTF8Buffer { expected in
            var index = 0
            for byte in utf8 {
                let lowered = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                guard lowered == expected[index] else { return false }
                index += 1
            }
            return true
        }
    }
}
