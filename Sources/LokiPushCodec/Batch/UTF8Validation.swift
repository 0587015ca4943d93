/// UTF-8 validation as Go's `utf8.Valid` and Swift's `String(validating:)` define it: no
/// overlong forms, no surrogates, nothing past U+10FFFF. Plain ASCII is skipped eight bytes at
/// a time.
enum UTF8Validation {
    /// The high bit of each byte of a word.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The offset of the first byte of the first ill-formed sequence in `bytes`, or `nil` when
    /// they are all valid UTF-8.
    @inline(__always)
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var index = 0
        while index &+ 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if word & highBits != 0 { return firstInvalidOffset(base, count: count, from: index) }
            index &+= 8
        }
        while index < count {
            if base.load(fromByteOffset: index, as: UInt8.self) >= 0x80 {
                return firstInvalidOffset(base, count: count, from: index)
            }
            index &+= 1
        }
        return nil
    }

    /// The slow path of `firstInvalidOffset(_:)`, from a word or byte with its high bit set.
    private static func firstInvalidOffset(_ base: UnsafeRawPointer, count: Int, from start: Int) -> Int? {
        @inline(__always) func byte(_ offset: Int) -> UInt8 { base.load(fromByteOffset: offset, as: UInt8.self) }
        @inline(__always) func isContinuation(_ offset: Int) -> Bool { offset < count && byte(offset) & 0xC0 == 0x80 }
        var index = start
        while index < count {
            if index &+ 8 <= count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let high = word & highBits
                if high == 0 {
                    index &+= 8
                    continue
                }
                index &+= high.trailingZeroBitCount / 8
            }
            let lead = byte(index)
            if lead < 0x80 {
                index &+= 1
                continue
            }
            let length: Int
            switch lead {
            case 0xC2...0xDF:
                length = 2
            case 0xE0...0xEF:
                guard index &+ 1 < count else { return index }
                let second = byte(index &+ 1)
                let low: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = lead == 0xED ? 0x9F : 0xBF
                guard second >= low && second <= high else { return index }
                length = 3
            case 0xF0...0xF4:
                guard index &+ 1 < count else { return index }
                let second = byte(index &+ 1)
                let low: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                guard second >= low && second <= high else { return index }
                length = 4
            default:
                return index
            }
            for offset in 1..<length where !isContinuation(index &+ offset) {
                return index
            }
            index &+= length
        }
        return nil
    }
}
