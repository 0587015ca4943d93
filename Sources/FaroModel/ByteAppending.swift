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

    /// Appends `text` with the bytes that `Escaping` marks rewritten by its `escape`, in one pass:
    /// sixteen bytes (SSE2 on x86-64) or eight (SWAR elsewhere) are copied at a time while none is
    /// marked, with no separate scan and no call per run. If `quoted`, the result is written between
    /// double quotes, in the same reservation of room. Returns `false`, having appended nothing,
    /// if `escape` gives up.
    @inline(__always)
    @discardableResult
    mutating func appendEscaping<Escaping: TextEscaping>(
        _ text: UnsafeRawBufferPointer, as _: Escaping.Type, quoted: Bool = false
    ) -> Bool {
        guard let source = text.baseAddress else {
            if quoted { appendStatic("\"\"") }
            return true
        }
        var completed = true
        // Room for every byte escaped, the quotes, and the sixteen bytes copied past the last written byte.
        appendUnsafe(upTo: Escaping.expansion &* text.count &+ 18) { start in
            var destination = start
            if quoted {
                destination.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
                destination += 1
            }
            var index = 0
            #if arch(x86_64)
            // Sixteen bytes at a time with an exact mask of the marked ones: the block is copied, then
            // each marked byte is escaped in turn and the rest of the block copied again after it.
            while index &+ 16 <= text.count {
                let block = source + index
                let mask = Escaping.mask(ofSixteenAt: block)
                let bytes = block.loadUnaligned(as: UInt128.self)
                destination.storeBytes(of: bytes, as: UInt128.self)
                if mask == 0 {
                    index &+= 16
                    destination += 16
                    continue
                }
                guard
                    let consumed = Self.escapeMarks(
                        of: bytes, mask: mask, count: 16, in: text, at: index, to: &destination, as: Escaping.self)
                else {
                    completed = false
                    return 0
                }
                index &+= consumed
            }
            // The last fewer than sixteen bytes. In a text of sixteen bytes or more, their mask is that of
            // the text's last sixteen shifted down to them, and when none is marked they are copied as
            // two words or one shifted word. Otherwise they are gathered into two words zeroed above
            // them (their mask taken from the words in a shorter text) and escaped as a block.
            let remaining = text.count &- index
            if remaining > 0 {
                var mask: UInt32 = 0
                if text.count >= 16 {
                    mask = Escaping.mask(ofSixteenAt: source + (text.count &- 16)) &>> (16 &- remaining)
                }
                if text.count >= 16 && mask == 0 {
                    let last = source.loadUnaligned(fromByteOffset: text.count &- 8, as: UInt64.self)
                    if remaining > 8 {
                        let first = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        destination.storeBytes(of: first, as: UInt64.self)
                        destination.storeBytes(of: last, toByteOffset: remaining &- 8, as: UInt64.self)
                    } else {
                        destination.storeBytes(of: UInt64(littleEndian: last) &>> (8 &* (8 &- remaining)), as: UInt64.self)
                    }
                    destination += remaining
                } else {
                    let (low, high) = ByteScan.lastBlock(text, from: index)
                    let bytes = UInt128(high) &<< 64 | UInt128(low)
                    if text.count < 16 { mask = Escaping.mask(low: low, high: high) & (1 &<< remaining &- 1) }
                    destination.storeBytes(of: bytes, as: UInt128.self)
                    if mask == 0 {
                        destination += remaining
                    } else if Self.escapeMarks(
                        of: bytes, mask: mask, count: remaining, in: text, at: index, to: &destination, as: Escaping.self)
                        == nil
                    {
                        completed = false
                        return 0
                    }
                }
            }
            #else
            scanning: while true {
                // Find the next marked byte, copying the bytes before it.
                var marked = false
                while index &+ 8 <= text.count {
                    let word = source.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    destination.storeBytes(of: word, as: UInt64.self)
                    let flagged = Escaping.flags(UInt64(littleEndian: word))
                    if flagged != 0 {
                        let clean = flagged.trailingZeroBitCount &>> 3
                        index &+= clean
                        destination += clean
                        marked = true
                        break
                    }
                    index &+= 8
                    destination += 8
                }
                if !marked {
                    let remaining = text.count &- index
                    if remaining == 0 { break scanning }
                    let word = ByteScan.lastWord(text, from: index)
                    destination.storeBytes(of: word.littleEndian, as: UInt64.self)
                    let flagged = Escaping.flags(word) & ByteScan.lowBytes(remaining)
                    if flagged == 0 {
                        destination += remaining
                        break scanning
                    }
                    let clean = flagged.trailingZeroBitCount &>> 3
                    index &+= clean
                    destination += clean
                }
                guard let (consumed, written) = Escaping.escape(text, at: index, to: destination) else {
                    completed = false
                    return 0
                }
                index &+= consumed
                destination += written
            }
            #endif
            if quoted {
                destination.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
                destination += 1
            }
            return destination - start
        }
        return completed
    }

    #if arch(x86_64)
    /// Escapes the bytes that `mask` marks among the `count` (at most sixteen) of `text` from `index`,
    /// which `bytes` holds and which are already stored at `destination`: each marked byte is
    /// escaped in turn and the rest of the block stored again after it. Moves `destination` past
    /// the block's output; returns how many bytes of text it consumed (`count`, or more when the
    /// last escape consumed a sequence past the block), or `nil` if `escape` gives up.
    @inline(__always)
    private static func escapeMarks<Escaping: TextEscaping>(
        of bytes: UInt128, mask: UInt32, count: Int, in text: UnsafeRawBufferPointer, at index: Int,
        to destination: inout UnsafeMutableRawPointer, as _: Escaping.Type
    ) -> Int? {
        var rest = bytes
        var mask = mask
        var done = 0
        repeat {
            let lane = mask.trailingZeroBitCount
            destination += lane &- done
            guard let (consumed, written) = Escaping.escape(text, at: index &+ lane, to: destination) else { return nil }
            destination += written
            let next = lane &+ consumed
            if next >= count { return next }
            rest = rest &>> (8 &* (next &- done))
            done = next
            mask &= 0xFFFF &<< done
            destination.storeBytes(of: rest, as: UInt128.self)
        } while mask != 0
        destination += count &- done
        return count
    }

    #endif

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
        reserve(bytes.count)
        appendReservedBytes(bytes)
    }

    /// Appends a copy of the bytes written at `range`. Room is made first, so that they do not move
    /// while they are copied.
    @inline(__always)
    mutating func appendCopy(of range: Range<Int>) {
        reserve(range.count)
        appendReservedBytes(self[range])
    }

    /// Appends the bytes of a literal into room reserved for them (`reserve`): no check of the room.
    @inline(__always)
    mutating func appendReservedStatic(_ text: StaticString) {
        appendReservedBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `bytes` into room reserved for them (`reserve`): no check of the room.
    @inline(__always)
    private mutating func appendReservedBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        let destination = base + count
        // Keys, separators and short values: two overlapping loads and stores, not a call to memcpy.
        if length >= 8 && length <= 16 {
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: length &- 8, as: UInt64.self)
            destination.storeBytes(of: head, as: UInt64.self)
            destination.storeBytes(of: tail, toByteOffset: length &- 8, as: UInt64.self)
        } else if length >= 4 && length < 8 {
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: length &- 4, as: UInt32.self)
            destination.storeBytes(of: head, as: UInt32.self)
            destination.storeBytes(of: tail, toByteOffset: length &- 4, as: UInt32.self)
        } else if length > 0 && length < 4 {
            destination.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            destination.storeBytes(of: source.load(fromByteOffset: length &>> 1, as: UInt8.self), toByteOffset: length &>> 1, as: UInt8.self)
            destination.storeBytes(of: source.load(fromByteOffset: length &- 1, as: UInt8.self), toByteOffset: length &- 1, as: UInt8.self)
        } else {
            destination.copyMemory(from: source, byteCount: length)
        }
        count &+= length
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

    /// Calls `body` with this writer and the UTF-8 of `text`, read where it lies, or for the rare
    /// string whose UTF-8 is not contiguous (a bridged string), copied out of line first.
    @inline(__always)
    mutating func withUTF8<Result>(
        of text: String, _ body: (inout ByteWriter, UnsafeRawBufferPointer) -> Result
    ) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable({ body(&self, UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return withCopiedUTF8(of: text, body)
    }

    /// `withUTF8(of:_:)` for a string whose UTF-8 is not contiguous: copied into temporary memory.
    /// Out of line and declared free of releases, like the byte writers `body` calls: it makes no
    /// object, and the string is only read (a bridged string may release temporaries of its own
    /// while it is read, never an object its caller holds). Inline, it made every caller retain and
    /// release each string it passes.
    @inline(never)
    @_effects(releasenone)
    private mutating func withCopiedUTF8<Result>(
        of text: String, _ body: (inout ByteWriter, UnsafeRawBufferPointer) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.utf8.count) { copy in
            var count = 0
            for byte in text.utf8 {
                copy[count] = byte
                count += 1
            }
            return body(&self, UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(copy)[..<count]))
        }
    }

    /// Replaces the bytes written from `start` on with what `rewrite` writes from them: an escaped
    /// and quoted form, at most `6 * length + 2` bytes. The bytes are first moved past that room and
    /// the sixteen bytes that escaping may store beyond its end, so that no store reaches a byte not
    /// yet read, and no growth moves them while `rewrite` runs.
    @inline(__always)
    mutating func rewrite(from start: Int, _ rewrite: (inout ByteWriter, UnsafeRawBufferPointer) -> Void) {
        let length = count - start
        let spare = start + 6 * length + 2 + 16
        reserve(spare + length - count)
        let raw = base + spare
        raw.copyMemory(from: base + start, byteCount: length)
        count = start
        rewrite(&self, UnsafeRawBufferPointer(start: raw, count: length))
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
    /// Raw memory is allocated and freed; no object is released, as the writers that call it
    /// declare (see `appendLogfmtValue`).
    @inline(never)
    @_effects(releasenone)
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

/// How a text format rewrites the bytes it marks, for `appendEscaping`.
protocol TextEscaping: SpecialBytes {
    /// The most bytes `escape` writes per byte of text it consumes.
    static var expansion: Int { get }
    /// Writes the form of the marked byte at `index` of `text` (and of the bytes of its sequence) at
    /// `destination`; returns how many bytes of text it consumed and how many it wrote, or `nil` to
    /// give up on the whole text. `flags` must be exact for the lowest byte it marks, as
    /// `ByteScan`'s tests are (the last bytes are tested as a word padded with zeros above them,
    /// whose marks are dropped). A marked byte may need nothing, and is then copied.
    static func escape(
        _ text: UnsafeRawBufferPointer, at index: Int, to destination: UnsafeMutableRawPointer
    ) -> (consumed: Int, written: Int)?
}
