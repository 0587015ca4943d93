/// Strings as Go's `encoding/json` writes them (`json.Marshal`, HTML escaping on).
package enum GoJSONString {
    /// Appends `text` quoted: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`,
    /// `<`, `>` and `&` as `\u003c \u003e \u0026`, and U+2028 and U+2029 as `\u2028 \u2029`.
    package static func append(_ text: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.append(UInt8(ascii: "\""))
        out.appendEscaping(text, expansion: 6, flags: ByteScan.jsonFlags) {
            text, index, destination in
            let byte = text[index]
            switch byte {
            case 0xE2:
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; every other sequence is copied.
                if index + 2 < text.count, text[index + 1] == 0x80, text[index + 2] & 0xFE == 0xA8 {
                    return (3, writeUnicodeEscape(text[index + 2] == 0xA8 ? 0x2028 : 0x2029, at: destination))
                }
                destination.storeBytes(of: byte, as: UInt8.self)
                return (1, 1)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): return (1, writeEscaped(byte, at: destination))
            case 0x08: return (1, writeEscaped(UInt8(ascii: "b"), at: destination))
            case 0x0C: return (1, writeEscaped(UInt8(ascii: "f"), at: destination))
            case 0x0A: return (1, writeEscaped(UInt8(ascii: "n"), at: destination))
            case 0x0D: return (1, writeEscaped(UInt8(ascii: "r"), at: destination))
            case 0x09: return (1, writeEscaped(UInt8(ascii: "t"), at: destination))
            default: return (1, writeUnicodeEscape(UInt16(byte), at: destination))
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `text` quoted, as `append(_:to:)` does for bytes.
    package static func append(_ text: String, to out: inout some ByteOutput) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0), to: &out) }
    }

    /// Writes a backslash and `byte` at `destination`; returns 2.
    @inline(__always)
    static func writeEscaped(_ byte: UInt8, at destination: UnsafeMutableRawPointer) -> Int {
        destination.storeBytes(of: UInt8(ascii: "\\"), as: UInt8.self)
        destination.storeBytes(of: byte, toByteOffset: 1, as: UInt8.self)
        return 2
    }

    /// Writes `\u` and four lowercase hex digits of a BMP code point at `destination`; returns 6.
    static func writeUnicodeEscape(_ unit: UInt16, at destination: UnsafeMutableRawPointer) -> Int {
        let hex: StaticString = "0123456789abcdef"
        destination.storeBytes(of: UInt8(ascii: "\\"), as: UInt8.self)
        destination.storeBytes(of: UInt8(ascii: "u"), toByteOffset: 1, as: UInt8.self)
        for position in 0..<4 {
            let digit = hex.utf8Start[Int(unit >> UInt16(12 - 4 * position) & 0xF)]
            destination.storeBytes(of: digit, toByteOffset: 2 + position, as: UInt8.self)
        }
        return 6
    }
}
