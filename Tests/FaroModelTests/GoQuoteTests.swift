@testable import FaroModel
import Testing

/// `GoQuote`: Go's `strconv.Quote`, with which Alloy's stream labels are written.
@Suite struct GoQuoteTests {
    static func quoted(_ text: String) -> String {
        var out = ContiguousArray<UInt8>()
        GoQuote.append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func escapesAsStrconvQuote() {
        #expect(Self.quoted("a\"b\\c\u{7}\u{8}\u{C}\n\r\t\u{B}\u{1}\u{7F}") == #""a\"b\\c\a\b\f\n\r\t\v\x01\x7f""#)
        // Printable: letters, marks, numbers, punctuation, symbols, the ASCII space.
        #expect(Self.quoted("é 😀 \u{FFFD} ∑") == "\"é 😀 \u{FFFD} ∑\"")
        // Not printable: other spaces, format characters, separators.
        #expect(Self.quoted("\u{A0}\u{AD}\u{2028}") == #""\u00a0\u00ad\u2028""#)
    }

    /// Go's tables are Unicode 15.0 (Go 1.21 to 1.26): scalars assigned later are escaped, whatever
    /// Unicode version this runtime knows.
    @Test func scalarsAssignedAfterUnicode15AreEscapedAsGoEscapesThem() {
        #expect(Self.quoted("\u{1FAE8}") == "\"\u{1FAE8}\"")  // SHAKING FACE, Unicode 15.0
        #expect(Self.quoted("tired \u{1FAE9} \u{2FFC}") == #""tired \U0001fae9 \u2ffc""#)  // Unicode 16.0 and 15.1
    }
}
