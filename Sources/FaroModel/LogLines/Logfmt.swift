/// Logfmt as `go-logfmt` v0.6 writes it (`MarshalKeyvals`): `key=value` pairs joined by spaces.
enum Logfmt {
    /// Appends `key` without the runes logfmt forbids in keys (space and below, `=`, `"`, U+FFFD),
    /// and returns `false` when nothing is left (go-logfmt's `ErrInvalidKey`, which makes Alloy drop the line).
    static func appendKey(_ key: UnsafeRawBufferPointer, to out: inout some ByteOutput) -> Bool {
        let start = out.count
        out.appendEscaping(key, expansion: 1, flags: ByteScan.logfmtFlags) { key, index, destination in
            let byte = key[index]
            if byte == 0x7F || (byte == 0xEF && !ByteScan.isReplacementCharacter(key, at: index)) {
                destination.storeBytes(of: byte, as: UInt8.self)
                return (1, 1)
            }
            return (byte == 0xEF ? 3 : 1, 0)
        }
        return out.count > start
    }

    /// Appends `value`, quoted and escaped when it holds a rune at or below space, `=`, `"`, DEL or
    /// U+FFFD, and the value `null` quoted, as go-logfmt's `writeStringValue` does.
    static func appendValue(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        // Copied as it is while it needs no quotes, in the same pass that looks for a reason to quote.
        if !isNull(value),
            out.appendEscaping(
                value, expansion: 1, flags: ByteScan.logfmtFlags,
                escape: { value, index, destination in
                    let byte = value[index]
                    guard byte == 0xEF, !ByteScan.isReplacementCharacter(value, at: index) else { return nil }
                    destination.storeBytes(of: byte, as: UInt8.self)
                    return (1, 1)
                })
        {
            return
        }
        appendQuoted(value, to: &out)
    }

    /// Appends `value` in double quotes, escaping `"`, `\`, `\n`, `\r`, `\t` and other controls as `\u00XX`.
    static func appendQuoted(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.append(UInt8(ascii: "\""))
        appendQuotedContent(value, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `value` escaped as inside go-logfmt's quotes, without the quotes: the quoted form of
    /// a text is the concatenation of its parts' (every escape replaces one ASCII byte).
    static func appendQuotedContent(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.appendEscaping(
            value, expansion: 6, flags: ByteScan.logfmtQuotedFlags
        ) { value, index, destination in
            let byte = value[index]
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): return (1, GoJSONString.writeEscaped(byte, at: destination))
            case 0x0A: return (1, GoJSONString.writeEscaped(UInt8(ascii: "n"), at: destination))
            case 0x0D: return (1, GoJSONString.writeEscaped(UInt8(ascii: "r"), at: destination))
            case 0x09: return (1, GoJSONString.writeEscaped(UInt8(ascii: "t"), at: destination))
            default: return (1, GoJSONString.writeUnicodeEscape(UInt16(byte), at: destination))
            }
        }
    }

    /// Whether go-logfmt quotes `value`: it is `null`, or holds a rune at or below space, `=`, `"`, DEL or U+FFFD.
    static func needsQuoting(_ value: UnsafeRawBufferPointer) -> Bool {
        if isNull(value) { return true }
        var index = 0
        while true {
            index = ByteScan.logfmtSpecial(value, from: index)
            if index == value.count { return false }
            if value[index] < 0x80 || ByteScan.isReplacementCharacter(value, at: index) { return true }
            index += 1
        }
    }

    /// Whether `value` is `null`, which go-logfmt quotes.
    @inline(__always)
    private static func isNull(_ value: UnsafeRawBufferPointer) -> Bool {
        // "null" as four little-endian bytes.
        value.count == 4 && UInt32(littleEndian: value.loadUnaligned(as: UInt32.self)) == 0x6C6C_756E
    }
}
