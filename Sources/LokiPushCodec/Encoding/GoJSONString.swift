/// Strings as Go's `encoding/json` writes them (`json.Marshal`, HTML escaping on), for valid UTF-8.
enum GoJSONString {
    /// Appends `text` quoted: `"` and `\` escaped, control characters as `\b \f \n \r \t` or
    /// `\u00XX`, `<`, `>` and `&` as `\u003c \u003e \u0026`, and U+2028 and U+2029 as
    /// `\u2028 \u2029`. Words of eight bytes with none of these are copied without a look at
    /// each byte.
    static func append(_ text: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) {
        out.append(UInt8(ascii: "\""))
        guard let base = text.baseAddress else {
            out.append(UInt8(ascii: "\""))
            return
        }
        let count = text.count
        var runStart = 0
        var index = 0
        while index < count {
            if index &+ 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if flags(word) == 0 {
                    index &+= 8
                    continue
                }
            }
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x08, 0x0C, 0x0A, 0x0D, 0x09:
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                out.append(UInt8(ascii: "\\"))
                out.append(shortEscape(byte))
                index &+= 1
                runStart = index
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                HexEscape.append("u", UInt32(byte), digits: 4, to: &out)
                index &+= 1
                runStart = index
            case 0xE2
            where index &+ 2 < count && base.load(fromByteOffset: index &+ 1, as: UInt8.self) == 0x80
                && base.load(fromByteOffset: index &+ 2, as: UInt8.self) & 0xFE == 0xA8:
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<index]))
                let separator = 0x2028 | UInt32(base.load(fromByteOffset: index &+ 2, as: UInt8.self) & 1)
                HexEscape.append("u", separator, digits: 4, to: &out)
                index &+= 3
                runStart = index
            default:
                index &+= 1
            }
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart..<count]))
        out.append(UInt8(ascii: "\""))
    }

    /// The high bit of each byte of a word where a byte may need escaping: below 0x20, `"`,
    /// `\`, `<`, `>`, `&`, or 0xE2 (the lead byte of U+2028 and U+2029).
    @inline(__always)
    private static func flags(_ word: UInt64) -> UInt64 {
        below(word, 0x20) | equal(word, 0x22) | equal(word, 0x5C) | equal(word, 0x3C) | equal(word, 0x3E)
            | equal(word, 0x26) | equal(word, 0xE2)
    }

    /// The high bit of each byte of `word` that is below `limit` (at most 0x80).
    @inline(__always)
    private static func below(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- 0x0101_0101_0101_0101 &* UInt64(limit)) & ~word & 0x8080_8080_8080_8080
    }

    /// The high bit of each byte of `word` that equals `byte` (no false positives, as the
    /// subtraction is done on the low seven bits of each byte).
    @inline(__always)
    private static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let difference = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return ~((difference & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F | difference) & 0x8080_8080_8080_8080
    }

    /// The letter after the backslash of a two-character escape.
    @inline(__always)
    private static func shortEscape(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        default: byte
        }
    }
}
