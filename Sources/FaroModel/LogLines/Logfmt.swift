/// Logfmt as `go-logfmt` v0.6 writes it (`MarshalKeyvals`): `key=value` pairs joined by spaces.
enum Logfmt {
    /// Appends `key` without the runes logfmt forbids in keys (space and below, `=`, `"`, U+FFFD),
    /// and returns `false` when nothing is left (go-logfmt's `ErrInvalidKey`, which makes Alloy drop the line).
    static func appendKey(_ key: UnsafeRawBufferPointer, to out: inout some ByteOutput) -> Bool {
        let start = out.count
        var runStart = 0
        var index = 0
        while true {
            index = ByteScan.logfmtSpecial(key, from: index)
            if index == key.count { break }
            let byte = key[index]
            if byte == 0x7F || (byte >= 0x80 && !ByteScan.isReplacementCharacter(key, at: index)) {
                index += 1
                continue
            }
            out.appendBytes(UnsafeRawBufferPointer(rebasing: key[runStart..<index]))
            index += byte >= 0x80 ? 3 : 1
            runStart = index
        }
        out.appendBytes(UnsafeRawBufferPointer(rebasing: key[runStart...]))
        return out.count > start
    }

    /// Appends `value`, quoted and escaped when it holds a rune at or below space, `=`, `"`, DEL or
    /// U+FFFD, and the value `null` quoted, as go-logfmt's `writeStringValue` does.
    static func appendValue(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        if needsQuoting(value) {
            appendQuoted(value, to: &out)
        } else {
            out.appendBytes(value)
        }
    }

    /// Appends `value` in double quotes, escaping `"`, `\`, `\n`, `\r`, `\t` and other controls as `\u00XX`.
    static func appendQuoted(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        while true {
            let index = ByteScan.logfmtQuotedSpecial(value, from: runStart)
            out.appendBytes(UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
            if index == value.count { break }
            let byte = value[index]
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.appendEscaped(byte)
            case 0x0A: out.appendEscaped(UInt8(ascii: "n"))
            case 0x0D: out.appendEscaped(UInt8(ascii: "r"))
            case 0x09: out.appendEscaped(UInt8(ascii: "t"))
            default: GoJSONString.appendUnicodeEscape(UInt32(byte), to: &out)
            }
            runStart = index + 1
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Whether go-logfmt quotes `value`: it is `null`, or holds a rune at or below space, `=`, `"`, DEL or U+FFFD.
    static func needsQuoting(_ value: UnsafeRawBufferPointer) -> Bool {
        // "null" as four little-endian bytes.
        if value.count == 4, UInt32(littleEndian: value.loadUnaligned(as: UInt32.self)) == 0x6C6C_756E { return true }
        var index = 0
        while true {
            index = ByteScan.logfmtSpecial(value, from: index)
            if index == value.count { return false }
            if value[index] < 0x80 || ByteScan.isReplacementCharacter(value, at: index) { return true }
            index += 1
        }
    }
}
