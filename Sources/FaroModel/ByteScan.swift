// Finding the bytes that a text format treats specially, many at a time.

#if arch(x86_64)
import CByteMask
#endif

/// A set of bytes that a text format treats specially, found a word at a time.
protocol SpecialBytes {
    /// The high bit set in each byte of `word` (eight bytes, little-endian) that is in the set; exact
    /// for the lowest such byte (the borrows of the tests only mark bytes above a true match).
    static func flags(_ word: UInt64) -> UInt64
    #if arch(x86_64)
    /// The bytes of the set among the sixteen at `block`: bit `i` set for byte `i`, exact for every
    /// byte (SSE2 compares, `CByteMask`).
    static func mask(ofSixteenAt block: UnsafeRawPointer) -> UInt32
    /// The same for sixteen bytes held in two little-endian words, `low` first.
    static func mask(low: UInt64, high: UInt64) -> UInt32
    #endif
}

/// Finds the next byte that needs attention in text, sixteen bytes at a time on x86-64 (SSE2
/// masks, `CByteMask`) and eight elsewhere (SWAR on `UInt64`).
///
/// Each scan returns the index of the first byte at or after `start` that may need
/// escaping, quoting or filtering in its format, or `bytes.count`. Of the bytes of 0x80 and
/// above, only the lead byte of the sequences that matter is returned (E2 for U+2028 and U+2029
/// in JSON, EF for U+FFFD in logfmt); the caller decides on the whole UTF-8 sequence. Text is
/// valid UTF-8, so a lead byte is never mistaken for a continuation byte.
enum ByteScan {
    /// One in each byte.
    static let ones: UInt64 = 0x0101_0101_0101_0101
    /// The high bit of each byte.
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// High bit set in each byte of `word` that is below `limit` (at most 0x80).
    @inline(__always)
    static func below(_ word: UInt64, _ limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }

    /// High bit set in each byte of `word` equal to `byte` (exact for the lowest match).
    @inline(__always)
    static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// Scans eight bytes at a time until `Bytes` marks a byte.
    @inline(__always)
    static func scan<Bytes: SpecialBytes>(
        _ bytes: UnsafeRawBufferPointer, from start: Int, for _: Bytes.Type
    ) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var index = start
        #if arch(x86_64)
        while index &+ 16 <= bytes.count {
            let mask = Bytes.mask(ofSixteenAt: base + index)
            if mask != 0 { return index &+ mask.trailingZeroBitCount }
            index &+= 16
        }
        let remaining = bytes.count &- index
        if remaining == 0 { return index }
        let (low, high) = lastBlock(bytes, from: index)
        let mask = Bytes.mask(low: low, high: high) & (1 &<< remaining &- 1)
        return mask == 0 ? bytes.count : index &+ mask.trailingZeroBitCount
        #else
        while index &+ 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let flagged = Bytes.flags(word)
            if flagged != 0 {
                // The tests are exact for the lowest flagged byte.
                return index &+ flagged.trailingZeroBitCount &>> 3
            }
            index &+= 8
        }
        let remaining = bytes.count &- index
        if remaining == 0 { return index }
        let flagged = Bytes.flags(lastWord(bytes, from: index)) & lowBytes(remaining)
        return flagged == 0 ? bytes.count : index &+ flagged.trailingZeroBitCount &>> 3
        #endif
    }

    /// The bytes from `index` to the end (fewer than eight) as a little-endian word, zero above
    /// them: shifted out of the last eight bytes when there are eight, else loaded in pieces.
    @inline(__always)
    static func lastWord(_ bytes: UnsafeRawBufferPointer, from index: Int) -> UInt64 {
        let base = bytes.baseAddress!
        let remaining = bytes.count &- index
        if bytes.count >= 8 {
            let last = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bytes.count &- 8, as: UInt64.self))
            return last &>> (8 &* (8 &- remaining))
        }
        var word: UInt64 = 0
        var offset = index
        if remaining & 4 != 0 {
            word = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset &+= 4
        }
        if remaining & 2 != 0 {
            let pair = UInt64(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            word |= pair &<< (8 &* (offset &- index))
            offset &+= 2
        }
        if remaining & 1 != 0 {
            word |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &<< (8 &* (offset &- index))
        }
        return word
    }

    #if arch(x86_64)
    /// The bytes from `index` to the end (fewer than sixteen) as two little-endian words, `low`
    /// first, zero above them, read without going past the end: shifted out of the last sixteen
    /// bytes when there are sixteen, else out of the last eight and loaded in pieces.
    @inline(__always)
    static func lastBlock(_ bytes: UnsafeRawBufferPointer, from index: Int) -> (low: UInt64, high: UInt64) {
        let base = bytes.baseAddress!
        let remaining = bytes.count &- index
        if bytes.count >= 16 {
            let low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bytes.count &- 16, as: UInt64.self))
            let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bytes.count &- 8, as: UInt64.self))
            let block = (UInt128(high) &<< 64 | UInt128(low)) &>> (8 &* (16 &- remaining))
            return (UInt64(truncatingIfNeeded: block), UInt64(truncatingIfNeeded: block &>> 64))
        }
        if remaining > 8 {
            let low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            return (low, lastWord(bytes, from: index &+ 8))
        }
        if remaining == 8 {
            return (UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)), 0)
        }
        return (lastWord(bytes, from: index), 0)
    }
    #endif

    /// A mask of the low `count` bytes of a word, for `count` from 1 to 8.
    @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        ~0 &>> (64 &- 8 &* count)
    }

    /// The index of the first byte at or after `start` that `LogfmtSpecialBytes` marks, or `bytes.count`.
    /// Reads bytes only, and is declared so, so that logfmt writers calling it can be too.
    @_effects(releasenone)
    static func logfmtSpecial(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        scan(bytes, from: start, for: LogfmtSpecialBytes.self)
    }

    /// Whether U+FFFD (EF BF BD) starts at `index`.
    @inline(__always)
    static func isReplacementCharacter(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == 0xEF && bytes[index + 1] == 0xBF && bytes[index + 2] == 0xBD
    }
}

/// Bytes that make go-logfmt quote a value or drop a key rune: space and below, `=`, `"`, DEL;
/// and EF, which starts U+FFFD.
enum LogfmtSpecialBytes: SpecialBytes {
    @inline(__always)
    static func flags(_ word: UInt64) -> UInt64 {
        ByteScan.below(word, 0x21) | ByteScan.equal(word, 0x3D) | ByteScan.equal(word, 0x22)
            | ByteScan.equal(word, 0x7F) | ByteScan.equal(word, 0xEF)
    }

    #if arch(x86_64)
    @inline(__always)
    static func mask(ofSixteenAt block: UnsafeRawPointer) -> UInt32 { cbytemask_logfmt_special(block) }

    @inline(__always)
    static func mask(low: UInt64, high: UInt64) -> UInt32 { cbytemask_logfmt_special_words(low, high) }
    #endif
}
