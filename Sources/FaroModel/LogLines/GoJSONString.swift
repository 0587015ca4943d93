#if arch(x86_64)
import CByteMask
#endif

/// Strings as Go's `encoding/json` writes them (`json.Marshal`, HTML escaping on).
package enum GoJSONString {
    /// Appends `text` quoted: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`,
    /// `<`, `>` and `&` as `\u003c \u003e \u0026`, and U+2028 and U+2029 as `\u2028 \u2029`.
    package static func append(_ text: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.appendEscaping(text, as: Escaping.self, quoted: true)
    }

    /// `append(_:to:)` into an array, compiled here for the modules that call it.
    package static func append(_ text: UnsafeRawBufferPointer, to out: inout ContiguousArray<UInt8>) {
        out.appendEscaping(text, as: Escaping.self, quoted: true)
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

    /// What Go's `encoding/json` escapes: controls, `"`, `\`, `<`, `>`, `&`, U+2028 and U+2029
    /// (marked by their lead byte E2).
    enum Escaping: TextEscaping {
        static var expansion: Int { 6 }

        @inline(__always)
        static func flags(_ word: UInt64) -> UInt64 {
            ByteScan.below(word, 0x20) | ByteScan.equal(word, 0x22) | ByteScan.equal(word, 0x5C)
                | ByteScan.equal(word, 0x3C) | ByteScan.equal(word, 0x3E) | ByteScan.equal(word, 0x26)
                | ByteScan.equal(word, 0xE2)
        }

        #if arch(x86_64)
        @inline(__always)
        static func mask(ofSixteenAt block: UnsafeRawPointer) -> UInt32 { cbytemask_json(block) }

        @inline(__always)
        static func mask(low: UInt64, high: UInt64) -> UInt32 { cbytemask_json_words(low, high) }
        #endif

        @inline(__always)
        static func escape(
            _ text: UnsafeRawBufferPointer, at index: Int, to destination: UnsafeMutableRawPointer
        ) -> (consumed: Int, written: Int)? {
            let byte = text[index]
            if byte == 0xE2 {
                // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; every other sequence is copied.
                if index + 2 < text.count, text[index + 1] == 0x80, text[index + 2] & 0xFE == 0xA8 {
                    return (3, writeUnicodeEscape(text[index + 2] == 0xA8 ? 0x2028 : 0x2029, at: destination))
                }
                destination.storeBytes(of: byte, as: UInt8.self)
                return (1, 1)
            }
            // Controls have a letter or `u`; `"` and `\` are written after a backslash, `<`, `>` and `&` as `\u00XX`.
            let letters: StaticString = "uuuuuuuubtnufruuuuuuuuuuuuuuuuuu"
            let letter = byte < 0x20 ? letters.utf8Start[Int(byte)] : byte == 0x22 || byte == 0x5C ? byte : UInt8(ascii: "u")
            if letter == UInt8(ascii: "u") { return (1, writeUnicodeEscape(UInt16(byte), at: destination)) }
            return (1, writeEscaped(letter, at: destination))
        }
    }
}

extension ByteWriter {
    // `encoding/json` strings into the encoders' scratch memory, declared free of releases for the
    // reason given at `appendLogfmtValue`: callers need not retain the model strings they pass.

    /// `GoJSONString.append` into the scratch memory.
    @inline(never)
    @_effects(releasenone)
    mutating func appendJSONString(_ text: UnsafeRawBufferPointer) {
        GoJSONString.append(text, to: &self)
    }

    /// The escaped content of `text` as in a JSON string, without the quotes, into the scratch memory.
    @inline(never)
    @_effects(releasenone)
    mutating func appendJSONStringContent(_ text: UnsafeRawBufferPointer) {
        appendEscaping(text, as: GoJSONString.Escaping.self)
    }
}
