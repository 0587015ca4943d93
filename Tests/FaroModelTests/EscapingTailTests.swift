import Testing

@testable import FaroModel

/// The escapers on texts of every length up to 200 bytes with a special character at every
/// position: whole sixteen-byte blocks, and the last fewer than sixteen bytes of a longer text,
/// whose mask is taken from its last sixteen bytes and shifted down (a marked byte before them must
/// not count), against the rune-by-rune transcriptions of `TextEscapingTests`.
@Suite struct EscapingTailTests {
    /// One special of each kind: a logfmt and JSON escape, a byte that only makes logfmt quote, an
    /// HTML escape, and multibyte sequences that the scans stop at or pass.
    static let specials = ["\"", "\n", "=", "<", "\u{2028}", "\u{FFFD}", "é"]

    @Test(arguments: specials)
    func everyLengthUpTo200(special: String) {
        TextEscapingTests.checkEveryPosition(of: special, lengths: 0...200)
    }

    /// An empty text without storage is still quoted: the quotes are written with the text.
    @Test func emptyTextWithoutStorageIsQuoted() {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        var logfmt = ContiguousArray<UInt8>()
        Logfmt.appendQuoted(empty, to: &logfmt)
        #expect(Array(logfmt) == Array("\"\"".utf8))
        var json = ContiguousArray<UInt8>()
        GoJSONString.append(empty, to: &json)
        #expect(Array(json) == Array("\"\"".utf8))
    }

    /// Plain text of every length up to 200 bytes, copied unchanged (unquoted logfmt, keys) or
    /// quoted (JSON), with no marked byte anywhere for the tail's shifted mask to find.
    @Test func plainTextOfEveryLength() {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789/._-".utf8)
        for length in 0...200 {
            let bytes = (0..<length).map { alphabet[$0 % alphabet.count] }
            let text = String(decoding: bytes, as: UTF8.self)
            var value = ContiguousArray<UInt8>()
            bytes.withUnsafeBytes { Logfmt.appendValue($0, to: &value) }
            #expect(Array(value) == (length == 0 ? [] : bytes))
            var json = ContiguousArray<UInt8>()
            GoJSONString.append(text, to: &json)
            #expect(String(decoding: json, as: UTF8.self) == "\"" + text + "\"")
        }
    }
}
