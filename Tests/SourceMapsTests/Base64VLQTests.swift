import SourceMaps
import Testing

/// Base64 VLQ values as the Source Map v3 specification encodes them.
@Suite struct Base64VLQTests {
    /// Decodes `text` whole, or returns the error.
    static func decode(_ text: String) -> Result<Int32, SourceMapError> {
        Array(text.utf8).withUnsafeBytes { bytes in
            var offset = 0
            let result = Result { () throws(SourceMapError) in try Base64VLQ.decode(bytes, at: &offset) }
            if case .success = result, offset != bytes.count { return .failure(.truncatedVLQ(offset: -offset)) }
            return result
        }
    }

    @Test(arguments: [
        ("A", 0), ("C", 1), ("D", -1), ("E", 2), ("F", -2), ("e", 15), ("f", -15), ("gB", 16), ("hB", -16),
        ("2H", 123), ("3H", -123), ("w+B", 1000), ("x+B", -1000), ("ggggC", 1 << 20),
        ("+/////B", (1 << 30) - 1), ("//////B", -((1 << 30) - 1)),
        // Zero digits after the value's bits, which go-sourcemap reads as zeros.
        ("gA", 0), ("iA", 1), ("ggggggA", 0), ("ggggggggA", 0),
        // "B" is minus zero.
        ("B", 0),
    ] as [(String, Int32)])
    func knownValues(text: String, value: Int32) {
        #expect(Self.decode(text) == .success(value))
    }

    @Test func decodesConsecutiveValues() throws {
        try Array("AAgBC;".utf8).withUnsafeBytes { bytes in
            var offset = 0
            var values: [Int32] = []
            while offset < 5 { values.append(try Base64VLQ.decode(bytes, at: &offset)) }
            #expect(values == [0, 0, 16, 1])
            #expect(offset == 5)
        }
    }

    @Test(arguments: [
        ("ggggggC", SourceMapError.vlqOverflow(offset: 0)),  // 2^30
        ("+/////D", .vlqOverflow(offset: 0)),  // 2^31 - 1
        ("/////////B", .vlqOverflow(offset: 0)),
        ("g", .truncatedVLQ(offset: 1)),
        ("2", .truncatedVLQ(offset: 1)),
        ("", .truncatedVLQ(offset: 0)),
        ("!", .invalidVLQDigit(UInt8(ascii: "!"), offset: 0)),
        ("g=", .invalidVLQDigit(UInt8(ascii: "="), offset: 1)),
        ("g-", .invalidVLQDigit(UInt8(ascii: "-"), offset: 1)),
        ("g_", .invalidVLQDigit(UInt8(ascii: "_"), offset: 1)),
        ("\u{e9}", .invalidVLQDigit(0xC3, offset: 0)),
    ])
    func rejects(text: String, error: SourceMapError) {
        #expect(Self.decode(text) == .failure(error))
    }

    @Test func digitValues() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, digit) in alphabet.enumerated() { #expect(Base64VLQ.digitValue(digit) == UInt8(value)) }
        let others = (0...255).map(UInt8.init).filter { !alphabet.contains($0) }
        #expect(others.allSatisfy { Base64VLQ.digitValue($0) == nil })
    }
}
