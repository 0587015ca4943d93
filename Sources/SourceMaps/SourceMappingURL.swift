/// The reference from a generated script to its source map: the `//# sourceMappingURL=` comment
/// that ends the script, found as Alloy finds it.
///
/// Alloy matches `//[#@]\s(source(?:Mapping)?URL)=\s*(\S+)\r?\n?$` against the whole script, with
/// `$` at the end of the text: the comment must close the script (an optional `\r`, then an
/// optional `\n`, may follow), so of several comments the last one wins and one followed by more
/// code is not read. `//@` (the older spelling) and `sourceURL=` are read too, exactly one
/// whitespace character separates the marker from the keyword, and any whitespace, newlines
/// included, may come between `=` and the reference. Whitespace is Go's `\s`: space, tab, line
/// feed, form feed and carriage return.
public enum SourceMappingURL {
    /// The reference at the end of `script`, as written (a URL, relative or absolute, or a data
    /// URL), or `nil` when the script does not end with one.
    public static func find(in script: UnsafeRawBufferPointer) -> String? {
        var end = script.count
        if end > 0 && script[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end > 0 && script[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var tokenStart = end
        while tokenStart > 0 && !isSpace(script[tokenStart - 1]) { tokenStart -= 1 }
        guard tokenStart < end else { return nil }
        // The leftmost match wins: the last token as the whole reference, with the keyword before it …
        var keywordEnd = tokenStart
        while keywordEnd > 0 && isSpace(script[keywordEnd - 1]) { keywordEnd -= 1 }
        if keywordEnd < tokenStart, let keywordStart = keywordStart(in: script, endingAt: keywordEnd),
            hasMarker(in: script, before: keywordStart)
        {
            return String(decoding: UnsafeRawBufferPointer(rebasing: script[tokenStart..<end]), as: UTF8.self)
        }
        // … else the keyword and the reference in one token.
        for keyword in keywords {
            let referenceStart = tokenStart + keyword.count
            guard referenceStart < end, hasMarker(in: script, before: tokenStart),
                UnsafeRawBufferPointer(rebasing: script[tokenStart..<referenceStart]).elementsEqual(keyword)
            else { continue }
            return String(decoding: UnsafeRawBufferPointer(rebasing: script[referenceStart..<end]), as: UTF8.self)
        }
        return nil
    }

    /// The reference at the end of `script`; see `find(in:)`.
    public static func find(in script: [UInt8]) -> String? {
        script.withUnsafeBytes { find(in: $0) }
    }

    /// The keywords, with their `=`.
    private static let keywords: [[UInt8]] = [Array("sourceMappingURL=".utf8), Array("sourceURL=".utf8)]

    /// Where a keyword that ends at `end` starts, if one does.
    private static func keywordStart(in script: UnsafeRawBufferPointer, endingAt end: Int) -> Int? {
        for keyword in keywords where end >= keyword.count {
            let start = end - keyword.count
            if UnsafeRawBufferPointer(rebasing: script[start..<end]).elementsEqual(keyword) { return start }
        }
        return nil
    }

    /// Whether `//#` or `//@` and one whitespace character come just before `start`.
    private static func hasMarker(in script: UnsafeRawBufferPointer, before start: Int) -> Bool {
        guard start >= 4, isSpace(script[start - 1]) else { return false }
        let marker = script[start - 2]
        return (marker == UInt8(ascii: "#") || marker == UInt8(ascii: "@")) && script[start - 3] == UInt8(ascii: "/")
            && script[start - 4] == UInt8(ascii: "/")
    }

    /// Go's `\s`.
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }
}
