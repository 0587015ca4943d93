#if arch(x86_64)
import CByteMask
#endif

/// Logfmt as `go-logfmt` v0.6 writes it (`MarshalKeyvals`): `key=value` pairs joined by spaces.
enum Logfmt {
    /// Appends `key` without the runes logfmt forbids in keys (space and below, `=`, `"`, U+FFFD),
    /// and returns `false` when nothing is left (go-logfmt's `ErrInvalidKey`, which makes Alloy drop the line).
    static func appendKey(_ key: UnsafeRawBufferPointer, to out: inout some ByteOutput) -> Bool {
        let start = out.count
        out.appendEscaping(key, as: KeyCleaning.self)
        return out.count > start
    }

    /// Appends `value`, quoted and escaped when it holds a rune at or below space, `=`, `"`, DEL or
    /// U+FFFD, and the value `null` quoted, as go-logfmt's `writeStringValue` does.
    static func appendValue(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        // Copied as it is while it needs no quotes, in the same pass that looks for a reason to quote.
        if !isNull(value), out.appendEscaping(value, as: PlainValue.self) { return }
        appendQuoted(value, to: &out)
    }

    /// Appends `value` in double quotes, escaping `"`, `\`, `\n`, `\r`, `\t`, other controls and DEL as
    /// `\u00XX`, and U+FFFD as `\ufffd`.
    static func appendQuoted(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.appendEscaping(value, as: QuotedValue.self, quoted: true)
    }

    /// Appends the content of a quoted value: `value` escaped as `appendQuoted` escapes it, without the quotes.
    static func appendQuotedContent(_ value: UnsafeRawBufferPointer, to out: inout some ByteOutput) {
        out.appendEscaping(value, as: QuotedValue.self)
    }

    /// Keys: the runes go-logfmt v0.6.1 forbids (space and below, `=`, `"`, DEL, U+FFFD) are dropped;
    /// EF of a sequence other than U+FFFD is kept.
    enum KeyCleaning: UnquotedEscaping {
        @inline(__always)
        static func escape(
            _ key: UnsafeRawBufferPointer, at index: Int, to destination: UnsafeMutableRawPointer
        ) -> (consumed: Int, written: Int)? {
            let byte = key[index]
            if byte == 0xEF && !ByteScan.isReplacementCharacter(key, at: index) {
                destination.storeBytes(of: byte, as: UInt8.self)
                return (1, 1)
            }
            return (byte == 0xEF ? 3 : 1, 0)
        }
    }

    /// Values that need no quotes, copied as they are; gives up at the first byte that needs quotes.
    enum PlainValue: UnquotedEscaping {
        @inline(__always)
        static func escape(
            _ value: UnsafeRawBufferPointer, at index: Int, to destination: UnsafeMutableRawPointer
        ) -> (consumed: Int, written: Int)? {
            let byte = value[index]
            guard byte == 0xEF, !ByteScan.isReplacementCharacter(value, at: index) else { return nil }
            destination.storeBytes(of: byte, as: UInt8.self)
            return (1, 1)
        }
    }

    /// The content of a quoted value, as go-logfmt v0.6.1's `writeQuotedString` writes it: `"` and
    /// `\` escaped, `\n`, `\r`, `\t`, other controls and DEL as `\u00XX`, U+FFFD as `\ufffd` (marked
    /// by its lead byte EF).
    enum QuotedValue: TextEscaping {
        static var expansion: Int { 6 }

        @inline(__always)
        static func flags(_ word: UInt64) -> UInt64 {
            ByteScan.below(word, 0x20) | ByteScan.equal(word, 0x22) | ByteScan.equal(word, 0x5C) | ByteScan.equal(word, 0x7F)
                | ByteScan.equal(word, 0xEF)
        }

        #if arch(x86_64)
        @inline(__always)
        static func mask(ofSixteenAt block: UnsafeRawPointer) -> UInt32 { cbytemask_logfmt_quoted(block) }

        @inline(__always)
        static func mask(low: UInt64, high: UInt64) -> UInt32 { cbytemask_logfmt_quoted_words(low, high) }
        #endif

        @inline(__always)
        static func escape(
            _ value: UnsafeRawBufferPointer, at index: Int, to destination: UnsafeMutableRawPointer
        ) -> (consumed: Int, written: Int)? {
            let byte = value[index]
            if byte >= 0x7F {
                if byte == 0x7F { return (1, GoJSONString.writeUnicodeEscape(0x7F, at: destination)) }
                // EF: U+FFFD, or the lead byte of another character, copied.
                guard ByteScan.isReplacementCharacter(value, at: index) else {
                    destination.storeBytes(of: byte, as: UInt8.self)
                    return (1, 1)
                }
                return (3, GoJSONString.writeUnicodeEscape(0xFFFD, at: destination))
            }
            // `"`, `\` and controls, whose letter is `u` when they have none.
            let letters: StaticString = "uuuuuuuuutnuuruuuuuuuuuuuuuuuuuu"
            let letter = byte < 0x20 ? letters.utf8Start[Int(byte)] : byte
            if letter == UInt8(ascii: "u") { return (1, GoJSONString.writeUnicodeEscape(UInt16(byte), at: destination)) }
            return (1, GoJSONString.writeEscaped(letter, at: destination))
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

extension ByteWriter {
    // The logfmt writers for the encoders' scratch memory, declared free of releases. They release
    // no object: they only write bytes, and the memory grows by raw allocation (`grow`). Without
    // the declaration the optimizer cannot tell, and every caller retains and releases each model
    // string it passes around the call: about 40 atomic operations a generated line, 14% of the
    // time. (For a `ContiguousArray` the same writers may release its old buffer, so the generic
    // ones cannot be declared so.)

    /// `Logfmt.appendKey` into the scratch memory.
    @inline(never)
    @_effects(releasenone)
    mutating func appendLogfmtKey(_ key: UnsafeRawBufferPointer) -> Bool {
        Logfmt.appendKey(key, to: &self)
    }

    /// `Logfmt.appendValue` into the scratch memory.
    @inline(never)
    @_effects(releasenone)
    mutating func appendLogfmtValue(_ value: UnsafeRawBufferPointer) {
        Logfmt.appendValue(value, to: &self)
    }

    /// `Logfmt.appendQuoted` into the scratch memory.
    @inline(never)
    @_effects(releasenone)
    mutating func appendLogfmtQuoted(_ value: UnsafeRawBufferPointer) {
        Logfmt.appendQuoted(value, to: &self)
    }

    /// `Logfmt.appendQuotedContent` into the scratch memory.
    @inline(never)
    @_effects(releasenone)
    mutating func appendLogfmtQuotedContent(_ value: UnsafeRawBufferPointer) {
        Logfmt.appendQuotedContent(value, to: &self)
    }
}

/// The escapings of unquoted logfmt text: a byte of text gives at most a byte, and the marked
/// bytes are those that make go-logfmt quote a value or drop a key rune.
protocol UnquotedEscaping: TextEscaping {}

extension UnquotedEscaping {
    static var expansion: Int { 1 }

    @inline(__always)
    static func flags(_ word: UInt64) -> UInt64 { LogfmtSpecialBytes.flags(word) }

    #if arch(x86_64)
    @inline(__always)
    static func mask(ofSixteenAt block: UnsafeRawPointer) -> UInt32 { LogfmtSpecialBytes.mask(ofSixteenAt: block) }

    @inline(__always)
    static func mask(low: UInt64, high: UInt64) -> UInt32 { LogfmtSpecialBytes.mask(low: low, high: high) }
    #endif
}
