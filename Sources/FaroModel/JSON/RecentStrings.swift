/// Strings a decoder made recently, found again by a hash of their bytes, so that a value that
/// repeats (attribute names, script URLs, user agents, component and page names) is shared
/// rather than made again: a string of up to 15 bytes, which `String` stores inline, costs no
/// allocation but its bytes are packed one at a time; a longer one is allocated and copied.
///
/// Each kind has a table of slots, direct-mapped (a new string takes its slot from the old). The
/// tables are made only once a decoder has made enough strings of that kind to pay for them, so
/// that a small payload decoded with fresh memory does not pay for tables it would hardly use:
/// - strings of 1 to 15 bytes: 256 slots, once 256 of them were made;
/// - strings of 16 to 256 bytes: 64 slots from the first, 1,024 once 512 of them were made.
///   Longer strings (messages, stack traces) seldom repeat and are not kept.
///
/// At most 256 KiB of long strings and 24 KiB of slots (16 KiB for the long, 8 KiB for the short)
/// are held.
struct RecentStrings: Sendable {
    /// A short string and its bytes as two little-endian words, zero past its end, with its length
    /// in the last byte (which no content byte of a string of at most 15 bytes takes).
    private struct Short: Sendable {
        var low: UInt64
        var high: UInt64
        var string: String
    }

    /// The longest strings kept.
    static let longestKept = 256

    /// Slots for strings of 1 to 15 bytes; empty until `madeShort` reaches `shortTableThreshold`.
    private var short: [Short] = []
    /// Slots for strings of 16 to `longestKept` bytes; a power of two.
    private var long: [String] = []
    /// How many short strings were made before the short table existed.
    private var madeShort = 0
    /// How many long strings were made (counted up to the growth of the table).
    private var madeLong = 0

    private static let shortTableThreshold = 256
    private static let shortSlots = 256
    private static let longSlotsAtFirst = 64
    private static let longGrowthThreshold = 512
    private static let longSlots = 1024

    /// The string of the `start..<end` bytes of `input`, well-formed UTF-8 (ASCII if `isASCII`):
    /// a recent equal one, or a new one that is remembered. A short string found in its table is
    /// returned in line; the rest goes out of line.
    @inline(__always)
    mutating func string(in input: UnsafeRawBufferPointer, from start: Int, to end: Int, isASCII: Bool) -> String {
        let length = end &- start
        // Sixteen bytes are loaded from the string's start: only where they lie in the input.
        if length >= 1 && length <= 15 && !short.isEmpty && start &+ 16 <= input.count {
            let words = Self.shortWords(input, from: start, length: length)
            let slot = Self.shortSlot(words)
            if short[slot].low == words.low, short[slot].high == words.high { return short[slot].string }
            return makeShort(in: input, from: start, length: length, isASCII: isASCII, words: words, slot: slot)
        }
        return uncachedOrLong(in: input, from: start, to: end, isASCII: isASCII)
    }

    /// A new string of the bytes.
    @inline(__always)
    private static func make(_ input: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ isASCII: Bool) -> String {
        JSONScanner.string(checkedUTF8: UnsafeRawBufferPointer(rebasing: input[start..<end]), isASCII: isASCII)
    }

    /// The bytes of a string of 1 to 15 bytes as two little-endian words, zero past its end, with its
    /// length in the last byte; sixteen bytes from `start` lie in `input`.
    @inline(__always)
    private static func shortWords(_ input: UnsafeRawBufferPointer, from start: Int, length: Int) -> (low: UInt64, high: UInt64) {
        let base = input.baseAddress!
        var low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self))
        var high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start &+ 8, as: UInt64.self))
        if length < 8 {
            low &= ByteScan.lowBytes(length)
            high = 0
        } else {
            high = length == 8 ? 0 : high & ByteScan.lowBytes(length &- 8)
        }
        return (low, high | UInt64(length) &<< 56)
    }

    /// The slot of the short table for a short string's words.
    @inline(__always)
    private static func shortSlot(_ words: (low: UInt64, high: UInt64)) -> Int {
        let mixed = ((words.low &* 0x9E37_79B9_7F4A_7C15) ^ words.high) &* 0xC2B2_AE3D_27D4_EB4F
        return Int(truncatingIfNeeded: mixed &>> 56)
    }

    /// A new short string, remembered in `slot` of the short table.
    @inline(never)
    private mutating func makeShort(
        in input: UnsafeRawBufferPointer, from start: Int, length: Int, isASCII: Bool, words: (low: UInt64, high: UInt64),
        slot: Int
    ) -> String {
        let made = Self.make(input, start, start &+ length, isASCII)
        short[slot] = Short(low: words.low, high: words.high, string: made)
        return made
    }

    /// A string that the short table does not hold: empty, short before the table exists or near
    /// the input's end, long, or too long to keep.
    @inline(never)
    private mutating func uncachedOrLong(
        in input: UnsafeRawBufferPointer, from start: Int, to end: Int, isASCII: Bool
    ) -> String {
        let length = end &- start
        if length >= 1 && length <= 15 {
            if short.isEmpty {
                madeShort &+= 1
                if madeShort == Self.shortTableThreshold {
                    short = Array(repeating: Short(low: 0, high: 0, string: ""), count: Self.shortSlots)
                }
            }
            return Self.make(input, start, end, isASCII)
        }
        if length == 0 || length > Self.longestKept { return Self.make(input, start, end, isASCII) }
        return longString(in: input, from: start, to: end, isASCII: isASCII)
    }

    private mutating func longString(in input: UnsafeRawBufferPointer, from start: Int, to end: Int, isASCII: Bool) -> String {
        let length = end &- start
        let base = input.baseAddress!
        let head = base.loadUnaligned(fromByteOffset: start, as: UInt64.self)
        let tail = base.loadUnaligned(fromByteOffset: end &- 8, as: UInt64.self)
        let mixed = ((head ^ (tail &<< 29 | tail &>> 35)) &+ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15
        if long.isEmpty { long = Array(repeating: "", count: Self.longSlotsAtFirst) }
        let slot = Int(truncatingIfNeeded: mixed &>> UInt64(64 &- long.count.trailingZeroBitCount))
        let candidate = long[slot]
        let bytes = UnsafeRawBufferPointer(rebasing: input[start..<end])
        if candidate.utf8.count == length,
            candidate.utf8.withContiguousStorageIfAvailable({ UnsafeRawBufferPointer($0).bytesEqual(bytes) }) == true
        {
            return candidate
        }
        let made = Self.make(input, start, end, isASCII)
        long[slot] = made
        if madeLong < Self.longGrowthThreshold {
            madeLong &+= 1
            if madeLong == Self.longGrowthThreshold { long = Array(repeating: "", count: Self.longSlots) }
        }
        return made
    }
}
