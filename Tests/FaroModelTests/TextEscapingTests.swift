import TestSupport
import Testing

@testable import FaroModel

/// The word-at-a-time escaping of logfmt values and JSON strings against plain rune-by-rune
/// transcriptions of go-logfmt's `writeStringValue` and Go's `encoding/json` string encoder, on
/// generated text with every special character at every position and length.
@Suite struct TextEscapingTests {
    /// go-logfmt v0.6.1 `writeStringValue`: `null` and values with a rune at or below space, `=`,
    /// `"`, DEL or U+FFFD are quoted by `writeQuotedString`, which escapes `\`, `"`, `\n`, `\r`, `\t`,
    /// other bytes below 0x20 and DEL as `\u00XX`, and U+FFFD (`utf8.RuneError`) as `\ufffd`.
    static func goLogfmtValue(_ text: String) -> String {
        let needsQuotes =
            text == "null"
            || text.unicodeScalars.contains {
                $0.value <= 0x20 || $0 == "=" || $0 == "\"" || $0.value == 0x7F || $0.value == 0xFFFD
            }
        guard needsQuotes else { return text }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "\"": out += "\\" + String(scalar)
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\\u00" + hex(scalar.value, digits: 2)
            case "\u{FFFD}": out += "\\ufffd"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// go-logfmt v0.6.1 `writeStringKey`: the key without the runes `keyRuneFilter` drops (space
    /// and below, `=`, `"`, DEL, U+FFFD), or `nil` (`ErrInvalidKey`) when nothing is left.
    static func goLogfmtKey(_ text: String) -> String? {
        var key = String.UnicodeScalarView()
        for scalar in text.unicodeScalars
        where !(scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || scalar.value == 0x7F || scalar.value == 0xFFFD) {
            key.append(scalar)
        }
        return key.isEmpty ? nil : String(key)
    }

    /// Go's `encodeState.string` with HTML escaping (Go 1.22 and later).
    static func goJSONString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "\"": out += "\\" + String(scalar)
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&": out += "\\u00" + hex(scalar.value, digits: 2)
            case "\u{2028}", "\u{2029}": out += "\\u" + hex(scalar.value, digits: 4)
            case _ where scalar.value < 0x20: out += "\\u00" + hex(scalar.value, digits: 2)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// Characters that matter to one of the formats, their neighbours, and multibyte text whose
    /// lead bytes are the ones the scans stop at (E2, EF).
    static let specials: [String] = [
        " ", "=", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1F}", "!", "\u{7F}", "<", ">", "&",
        "é", "中", "😀", "\u{2028}", "\u{2029}", "\u{2027}", "\u{202A}", "\u{20AC}", "\u{FFFD}", "\u{FFFC}", "\u{FFFE}",
        "\u{F8FF}", "\u{80}",
    ]

    /// Text of 0 to about 60 bytes: runs of plain letters between specials.
    static func text(_ generator: inout SplitMix64) -> String {
        if generator.chance(3) { return "null" }
        var text = ""
        for _ in 0..<generator.next() % 5 {
            text += String(repeating: generator.pick(["a", "Z", "0", "/"]), count: Int(generator.next() % 12))
            if generator.chance(80) { text += generator.pick(specials) }
        }
        return text
    }

    @Test func logfmtValuesMatchGoLogfmt() {
        var generator = SplitMix64(state: 0x10_6F47)
        for _ in 0..<20_000 {
            let text = Self.text(&generator)
            var out = ContiguousArray<UInt8>()
            Array(text.utf8).withUnsafeBytes { Logfmt.appendValue($0, to: &out) }
            let expected = Self.goLogfmtValue(text)
            #expect(String(decoding: out, as: UTF8.self) == expected, "\(text.debugDescription)")
            let quoted = Array(text.utf8).withUnsafeBytes { Logfmt.needsQuoting($0) }
            #expect(quoted == expected.hasPrefix("\""), "\(text.debugDescription)")
        }
    }

    @Test func logfmtKeysMatchGoLogfmt() {
        var generator = SplitMix64(state: 0x6B_6579)
        for _ in 0..<20_000 {
            let text = Self.text(&generator)
            var out = ContiguousArray<UInt8>()
            let valid = Array(text.utf8).withUnsafeBytes { Logfmt.appendKey($0, to: &out) }
            let key = valid ? String(decoding: out, as: UTF8.self) : nil
            #expect(key == Self.goLogfmtKey(text), "\(text.debugDescription)")
        }
    }

    @Test func jsonStringsMatchGoEncodingJSON() {
        var generator = SplitMix64(state: 0x150_4E)
        for _ in 0..<20_000 {
            let text = Self.text(&generator)
            var out = ContiguousArray<UInt8>()
            GoJSONString.append(text, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == Self.goJSONString(text), "\(text.debugDescription)")
        }
    }

    /// Each special character at every position of plain text up to 48 bytes long: every place in
    /// the sixteen-byte blocks and the words after them, and sequences that cross a block's end.
    @Test func everySpecialAtEveryPosition() {
        for special in Self.specials {
            Self.checkEveryPosition(of: special, lengths: 0...48)
        }
    }

    /// Checks the three escapers against the transcriptions of Go on `special` at every position
    /// of plain text of each of `lengths` bytes.
    static func checkEveryPosition(of special: String, lengths: ClosedRange<Int>) {
        for length in lengths {
            for position in 0...length {
                let text = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
                let bytes = Array(text.utf8)
                var value = ContiguousArray<UInt8>()
                bytes.withUnsafeBytes { Logfmt.appendValue($0, to: &value) }
                #expect(String(decoding: value, as: UTF8.self) == goLogfmtValue(text), "\(text.debugDescription)")
                var key = ContiguousArray<UInt8>()
                let valid = bytes.withUnsafeBytes { Logfmt.appendKey($0, to: &key) }
                #expect((valid ? String(decoding: key, as: UTF8.self) : nil) == goLogfmtKey(text), "\(text.debugDescription)")
                var json = ContiguousArray<UInt8>()
                GoJSONString.append(text, to: &json)
                #expect(String(decoding: json, as: UTF8.self) == goJSONString(text), "\(text.debugDescription)")
            }
        }
    }

    /// The escapers append after what the output holds, into the scratch writer as well, as it grows.
    @Test func escapingAppendsToScratchMemory() {
        var generator = SplitMix64(state: 7)
        var writer = ByteWriter(ByteStorage(capacity: 16))
        for _ in 0..<2_000 {
            let text = Self.text(&generator)
            let start = writer.count
            Array(text.utf8).withUnsafeBytes { Logfmt.appendValue($0, to: &writer) }
            GoJSONString.append(text, to: &writer)
            let written = String(decoding: writer[start..<writer.count], as: UTF8.self)
            #expect(written == Self.goLogfmtValue(text) + Self.goJSONString(text), "\(text.debugDescription)")
        }
    }
}
