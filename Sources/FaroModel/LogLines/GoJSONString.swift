/// Strings as Go's `encoding/json` writes them (`json.Marshal`, HTML escaping on).
enum GoJSONString {
    /// Appends `text` quoted: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`,
    /// `<`, `>` and `&` as `\u003c \u003e \u0026`, and U+2028 and U+2029 as `\u2028 \u2029`.
    static func append(_ text: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while true {
            index = ByteScan.jsonSpecial(text, from: index)
            if index == text.count { break }
            let byte = text[index]
            if byte >= 0x80 {
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; every other sequence is copied.
                if byte == 0xE2, index + 2 < text.count, text[index + 1] == 0x80, text[index + 2] & 0xFE == 0xA8 {
                    out.appendBytes(UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                    appendUnicodeEscape(text[index + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                    index += 3
                    runStart = index
                } else {
                    index += 1
                }
                continue
            }
            out.appendBytes(UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.appendEscaped(byte)
            case 0x08: out.appendEscaped(UInt8(ascii: "b"))
            case 0x0C: out.appendEscaped(UInt8(ascii: "f"))
            case 0x0A: out.appendEscaped(UInt8(ascii: "n"))
            case 0x0D: out.appendEscaped(UInt8(ascii: "r"))
            case 0x09: out.appendEscaped(UInt8(ascii: "t"))
            default: appendUnicodeEscape(UInt32(byte), to: &out)
            }
            index += 1
            runStart = index
        }
        out.appendBytes(UnsafeRawBufferPointer(rebasing: text[runStart...]))
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` quoted, as `append(_:to:)` does for bytes.
    static func append(_ text: String, to out: inout some ByteOutput) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Appends `\u` and four lowercase hex digits of a BMP code point.
    static func appendUnicodeEscape(_ unit: UInt32, to out: inout some ByteOutput) {
        let hex: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\\"))
        out.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(hex.utf8Start[Int(unit >> UInt32(shift) & 0xF)])
        }
    }
}
