import Testing

@testable import HTTPFieldText

/// The text of HTTP fields as the intake and propagation modules read it.
@Suite struct HeaderTextTests {
    @Test("header text: trimmed spaces and tabs, parameters dropped, ASCII case ignored only for A-Z")
    func headerText() {
        #expect(Substring(" \tapplication/json \t").trimmingSpaces() == "application/json")
        #expect(Substring(" \t ").trimmingSpaces() == "")
        #expect(Substring("application/json; charset=utf-8").withoutParameters() == "application/json")
        #expect(Substring(" text/plain ").withoutParameters() == "text/plain")
        #expect("Content-Type".equalsIgnoringASCIICase("content-type"))
        #expect(!"Content-Typ".equalsIgnoringASCIICase("content-type"))
        // Only A-Z fold: a byte that lowers to a letter by OR 0x20 must not pass for it.
        #expect(!"\u{0D}".equalsIgnoringASCIICase("-"))
        #expect(!"@".equalsIgnoringASCIICase("`"))
        #expect(Substring("X-API-KEY").equalsIgnoringASCIICase("x-api-key"))
    }

    @Test("lowering: only A-Z, the text itself when there is nothing to lower")
    func lowering() {
        #expect("X-API-Key".asciiLowercased() == "x-api-key")
        #expect(Substring("Traceparent").asciiLowercased() == "traceparent")
        #expect("already-lower".asciiLowercased() == "already-lower")
        // The Kelvin sign lowers to `k` under Unicode rules, never here.
        #expect("\u{212A}ey".asciiLowercased() == "\u{212A}ey")
        #expect("ÄB".asciiLowercased() == "Äb")
    }

    @Test("raw bytes compare as text does")
    func rawBytes() {
        for (text, expected) in [("TRUE", true), ("true", true), ("tru", false), ("\u{0D}rue", false), ("True ", false)] {
            var text = text
            #expect(text.withUTF8 { UnsafeRawBufferPointer($0).equalsIgnoringASCIICase("true") } == expected, "\(text)")
        }
    }
}
