/// A destination that formatting code appends bytes to: the caller's `ContiguousArray<UInt8>`,
/// or the encoders' `ByteWriter` scratch space on hot paths.
package protocol ByteOutput {
    /// How many bytes the output holds.
    var count: Int { get }
    /// Appends one byte.
    mutating func append(_ byte: UInt8)
    /// Appends raw bytes.
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer)
    /// Appends the bytes that `write` writes at the pointer it gets: at most `maximum`, and it returns how many.
    mutating func appendUnsafe(upTo maximum: Int, _ write: (UnsafeMutableRawPointer) -> Int)
}

extension ByteOutput {
    /// Appends the UTF-8 of `text` with one copy.
    @inline(__always)
    package mutating func appendUTF8(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ appendBytes(UnsafeRawBufferPointer($0)) }) == nil {
            for byte in text.utf8 { append(byte) }
        }
    }

    /// Appends `text` with the bytes that `flags` marks rewritten by `escape`, in one pass: eight
    /// bytes are copied at a time while none is marked, with no separate scan and no call per run.
    ///
    /// `flags` must be exact for the lowest byte it marks, as `ByteScan`'s tests are (the last
    /// bytes are tested as a word padded with zeros above them, whose marks are dropped). `escape` gets the
    /// text, the index of a marked byte and where to write; it writes at most `expansion` bytes a
    /// byte of text it consumes and returns how many bytes it consumed and wrote, or `nil` to
    /// give up: then nothing is appended and the result is `false`.
    @inline(__always)
    @discardableResult
    mutating func appendEscaping(
        _ text: UnsafeRawBufferPointer, expansion: Int, flags: (UInt64) -> UInt64,
        escape: (UnsafeRawBufferPointer, Int, UnsafeMutableRawPointer) -> (consumed: Int, written: Int)?
    ) -> Bool {
        guard let source = text.baseAddress else { return true }
        var completed = true
        // Room for every byte escaped, and for the eight-byte store past the last copied byte.
        appendUnsafe(upTo: expansion &* text.count &+ 8) { start in
            var destination = start
            var index = 0
            while true {
                while index &+ 8 <= text.count {
                    let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    destination.storeBytes(of: word, as: UInt64.self)
                    let flagged = flags(UInt64(littleEndian: word))
                    if flagged != 0 {
                        let clean = flagged.trailingZeroBitCount &>> 3
                        index &+= clean
                        destination += clean
                        break
                    }
                    index &+= 8
                    destination += 8
                }
                if index &+ 8 > text.count {
                    let remaining = text.count &- index
                    if remaining == 0 { break }
                    let word = ByteScan.lastWord(text, from: index)
                    destination.storeBytes(of: word.littleEndian, as: UInt64.self)
                    let flagged = flags(word) & ByteScan.lowBytes(remaining)
                    if flagged == 0 {
                        destination += remaining
                        break
                    }
                    let clean = flagged.trailingZeroBitCount &>> 3
                    index &+= clean
                    destination += clean
                }
                guard let (consumed, written) = escape(text, index, destination) else {
                    completed = false
                    return 0
                }
                index &+= consumed
                destination += written
            }
            return destination - start
        }
        return completed
    }

    /// Appends the bytes of a literal.
    @inline(__always)
    package mutating func appendStatic(_ text: StaticString) {
        appendBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}

extension ContiguousArray<UInt8>: ByteOutput {
    /// Appends raw bytes with one copy (the `Sequence` path of `UnsafeRawBufferPointer` goes byte by byte).
    @inline(__always)
    package mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    package mutating func appendUnsafe(upTo maximum: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        append(addingCapacity: maximum) { span in
            span.withUnsafeMutableBufferPointer { buffer, initialized in
                initialized = write(UnsafeMutableRawPointer(buffer.baseAddress!))
            }
        }
    }
}

/// Growable scratch memory for the encoders, written through a raw pointer: each append is a
/// bounds check and a store, without the uniqueness check and call of `ContiguousArray.append`.
///
/// The memory belongs to a `ByteStorage`; owners keep it unique (copy on write) before writing.
struct ByteWriter: ByteOutput {
    /// The memory, kept alive and freed by its owner.
    let storage: ByteStorage
    /// The start of the memory.
    private(set) var base: UnsafeMutableRawPointer
    /// How many bytes fit.
    private(set) var capacity: Int
    /// How many bytes are written.
    var count: Int

    /// Writes into `storage` from its start.
    init(_ storage: ByteStorage) {
        self.storage = storage
        self.base = storage.base
        self.capacity = storage.capacity
        self.count = 0
    }

    /// The bytes of `range`.
    @inline(__always)
    subscript(range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    @inline(__always)
    mutating func appendBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(to: count + bytes.count) }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// Makes room for `extra` more bytes, so that pointers into the written bytes stay valid while they are
    /// appended. Code that appends bytes read from this same memory must reserve for all of them first.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    @inline(__always)
    mutating func appendUnsafe(upTo maximum: Int, _ write: (UnsafeMutableRawPointer) -> Int) {
        reserve(maximum)
        count &+= write(base + count)
    }

    /// The first sixteen bytes of `range` as two big-endian words, zero past its end. May move the
    /// memory (it reserves room to load sixteen bytes), so callers keep offsets, not pointers.
    @inline(__always)
    mutating func head(of range: Range<Int>) -> (UInt64, UInt64) {
        if range.upperBound + 16 > capacity { grow(to: range.upperBound + 16) }
        let start = base + range.lowerBound
        let first = UInt64(bigEndian: start.loadUnaligned(as: UInt64.self))
        let second = UInt64(bigEndian: start.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let length = range.count
        // Keep the key's bytes: the high `8 * length` bits of each word, up to all of them.
        let firstKept = length >= 8 ? ~0 : ~(~0 as UInt64 >> (8 * length))
        let secondKept = length >= 16 ? ~0 : length <= 8 ? 0 : ~(~0 as UInt64 >> (8 * (length - 8)))
        return (first & firstKept, second & secondKept)
    }

    /// Moves to memory of at least `minimum` bytes (at least doubling), keeping what is written.
    @inline(never)
    private mutating func grow(to minimum: Int) {
        storage.resize(to: max(minimum, capacity * 2), keeping: count)
        base = storage.base
        capacity = storage.capacity
    }
}

/// The memory behind a `ByteWriter`.
final class ByteStorage: @unchecked Sendable {
    /// The start of the memory.
    private(set) var base: UnsafeMutableRawPointer
    /// Its size in bytes.
    private(set) var capacity: Int

    /// Allocates `capacity` bytes.
    init(capacity: Int = 4096) {
        self.base = .allocate(byteCount: capacity, alignment: 8)
        self.capacity = capacity
    }

    deinit { base.deallocate() }

    /// Moves to `capacity` bytes, copying the first `keeping` bytes.
    func resize(to capacity: Int, keeping: Int) {
        let new = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        new.copyMemory(from: base, byteCount: keeping)
        base.deallocate()
        base = new
        self.capacity = capacity
    }

    /// A new storage of the same size (for copy on write; the contents are scratch and not copied).
    func copy() -> ByteStorage { ByteStorage(capacity: capacity) }
}

/// Finds the next byte that needs attention in text, eight bytes at a time (SWAR on `UInt64`).
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

    /// Scans eight bytes at a time until `flags` marks a byte (exactly, for the lowest one).
    @inline(__always)
    private static func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, flags: (UInt64) -> UInt64) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var index = start
        while index &+ 8 <= bytes.count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let flagged = flags(word)
            if flagged != 0 {
                // The tests are exact for the lowest flagged byte.
                return index &+ flagged.trailingZeroBitCount &>> 3
            }
            index &+= 8
        }
        let remaining = bytes.count &- index
        if remaining == 0 { return index }
        let flagged = flags(lastWord(bytes, from: index)) & lowBytes(remaining)
        return flagged == 0 ? bytes.count : index &+ flagged.trailingZeroBitCount &>> 3
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

    /// A mask of the low `count` bytes of a word, for `count` from 1 to 8.
    @inline(__always)
    static func lowBytes(_ count: Int) -> UInt64 {
        ~0 &>> (64 &- 8 &* count)
    }

    /// Bytes that Go's `encoding/json` escapes: controls, `"`, `\`, `<`, `>`, `&`; and E2, which starts U+2028 and U+2029.
    @inline(__always)
    static func jsonFlags(_ word: UInt64) -> UInt64 {
        below(word, 0x20) | equal(word, 0x22) | equal(word, 0x5C) | equal(word, 0x3C) | equal(word, 0x3E)
            | equal(word, 0x26) | equal(word, 0xE2)
    }

    /// Bytes that make go-logfmt quote a value or drop a key rune: space and below, `=`, `"`, DEL;
    /// and EF, which starts U+FFFD.
    @inline(__always)
    static func logfmtFlags(_ word: UInt64) -> UInt64 {
        below(word, 0x21) | equal(word, 0x3D) | equal(word, 0x22) | equal(word, 0x7F) | equal(word, 0xEF)
    }

    /// The index of the first byte at or after `start` that `logfmtFlags` marks, or `bytes.count`.
    static func logfmtSpecial(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        scan(bytes, from: start, flags: logfmtFlags)
    }

    /// Bytes that go-logfmt escapes inside a quoted value: controls, `"` and `\`.
    @inline(__always)
    static func logfmtQuotedFlags(_ word: UInt64) -> UInt64 {
        below(word, 0x20) | equal(word, 0x22) | equal(word, 0x5C)
    }

    /// Whether U+FFFD (EF BF BD) starts at `index`.
    @inline(__always)
    static func isReplacementCharacter(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        index + 2 < bytes.count && bytes[index] == 0xEF && bytes[index + 1] == 0xBF && bytes[index + 2] == 0xBD
    }
}
