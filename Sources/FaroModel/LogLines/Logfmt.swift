/// Logfmt as `go-logfmt` v0.6 writes it (`MarshalKeyvals`): `key=value` pairs joined by spaces.
enum Logfmt {
    /// Appends `key` without the runes logfmt forbids in keys (space and below, `=`, `"`, U+FFFD),
    /// and returns `false` when nothing is left (go-logfmt's `ErrInvalidKey`, which makes Alloy drop the line).
    static func appendKey(_ key: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) -> Bool {
        let start = out.count
        var index = 0
        while index < key.count {
            let byte = key[index]
            if byte == 0xEF, index + 2 < key.count, key[index + 1] == 0xBF, key[index + 2] == 0xBD {
                index += 3
                continue
            }
            if byte > 0x20, byte != UInt8(ascii: "="), byte != UInt8(ascii: "\"") { out.append(byte) }
            index += 1
        }
        return out.count > start
    }

    /// Appends `value`, quoted and escaped when it holds a rune at or below space, `=`, `"`, DEL or
    /// U+FFFD, and the value `null` quoted, as go-logfmt's `writeStringValue` does.
    static func appendValue(_ value: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) {
        if value.elementsEqual("null".utf8) {
            out.append(contentsOf: "\"null\"".utf8)
            return
        }
        if !needsQuoting(value) {
            out.append(contentsOf: value)
            return
        }
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<value.count {
            let byte = value[index]
            if byte >= 0x20, byte != UInt8(ascii: "\\"), byte != UInt8(ascii: "\"") { continue }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart..<index]))
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default: GoJSONString.appendUnicodeEscape(UInt32(byte), to: &out)
            }
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: value[runStart...]))
        out.append(UInt8(ascii: "\""))
    }

    /// Whether `value` must be quoted.
    private static func needsQuoting(_ value: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < value.count {
            let byte = value[index]
            if byte <= 0x20 || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "\"") || byte == 0x7F { return true }
            if byte == 0xEF, index + 2 < value.count, value[index + 1] == 0xBF, value[index + 2] == 0xBD { return true }
            index += 1
        }
        return false
    }
}
