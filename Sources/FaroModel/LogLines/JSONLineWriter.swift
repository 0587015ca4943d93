/// Writes the JSON line of an item that adds its fields in key order (`JSONMemberSink`), with the
/// metadata's members merged in as it goes: before each of the item's members, the metadata
/// members whose keys sort before its key are copied from their rendering, as one run. No list of
/// members is kept and nothing is sorted or copied again.
///
/// The metadata's members are read through pointers into its encoder's memory, valid for the one
/// line the writer is made for; its keys do not repeat the item's (`AlloyLogItem.mayRepeatKeys`).
struct JSONLineWriter: JSONMemberSink {
    /// The metadata's members in key order, their keys in the scratch memory.
    private let metaMembers: UnsafeBufferPointer<JSONMemberWriter.Member>
    /// Where each metadata member's rendering starts in the scratch memory, and where the last one's
    /// ends: the renderings lie side by side.
    private let metaStarts: UnsafeBufferPointer<Int>
    /// How many metadata members are written.
    private var metaPosition = 0
    /// Where the line starts in the scratch memory.
    private let lineStart: Int
    var hasUnsupportedValue = false
    /// The last line writer's, handed on.
    var clock: FaroTimestamp.ClockText

    /// A writer of the line that starts at `lineStart`, the metadata members `metaMembers` rendered
    /// at `metaStarts` (one more entry than `metaMembers`: the end), `clock` the last writer's.
    init(
        lineStart: Int, metaMembers: UnsafeBufferPointer<JSONMemberWriter.Member>, metaStarts: UnsafeBufferPointer<Int>,
        clock: FaroTimestamp.ClockText
    ) {
        self.lineStart = lineStart
        self.metaMembers = metaMembers
        self.metaStarts = metaStarts
        self.clock = clock
    }

    @inline(__always)
    mutating func beginMember(_ prefix: StaticString, _ key: String, in scratch: inout ByteWriter) -> JSONMemberKey {
        if key.isEmpty {
            let name = UnsafeRawBufferPointer(start: nil, count: 0)
            writeMeta(before: prefix, name, in: &scratch)
            return Self.writeKey(prefix, name, in: &scratch)
        }
        return scratch.withUTF8(of: key) { scratch, name in
            writeMeta(before: prefix, name, in: &scratch)
            return Self.writeKey(prefix, name, in: &scratch)
        }
    }

    @inline(__always)
    mutating func endMember(_ member: JSONMemberKey, _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter) {}

    // The members that `JSONMemberSink` writes through calls the optimizer cannot see through
    // (closures, generic writers), declared free of releases: this writer only writes bytes, into
    // memory that grows by raw allocation, and copies the metadata's. Without the declaration,
    // callers copied the item around each call (a retain and a release of each of its strings).

    /// `JSONMemberSink.add(_:_:in:writeValue:)`, declared free of releases; `writeValue` writes bytes only.
    @inline(never)
    @_effects(releasenone)
    mutating func add(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) {
        addWrittenMember(prefix, key, in: &scratch, writeValue: writeValue)
    }

    /// `JSONMemberSink.add(_:_:number:in:)`, declared free of releases.
    @inline(never)
    @_effects(releasenone)
    mutating func add(_ prefix: StaticString, _ key: String, number: Double, in scratch: inout ByteWriter) {
        addNumberMember(prefix, key, number, in: &scratch)
    }

    /// `JSONMemberSink.add(_:fixed6:in:)`, declared free of releases.
    @inline(never)
    @_effects(releasenone)
    mutating func add(_ key: String, fixed6 number: Double, in scratch: inout ByteWriter) {
        addFixed6Member(key, number, in: &scratch)
    }

    /// `JSONMemberSink.add(timestamp:in:)`, declared free of releases.
    @inline(never)
    @_effects(releasenone)
    mutating func add(timestamp: FaroTimestamp, in scratch: inout ByteWriter) {
        addTimestampMember(timestamp, in: &scratch)
    }

    /// `JSONMemberSink.add(stacktraceOf:in:)`, declared free of releases.
    @inline(never)
    @_effects(releasenone)
    mutating func add(stacktraceOf exception: FaroException, in scratch: inout ByteWriter) {
        addStacktraceMember(exception, in: &scratch)
    }

    /// Ends the line: the metadata members left, and the braces. Every member was written after a
    /// comma; the first comma becomes the opening brace.
    mutating func finishLine(in scratch: inout ByteWriter) {
        if metaPosition < metaMembers.count { writeMeta(upTo: metaMembers.count, in: &scratch) }
        if scratch.count == lineStart {
            scratch.append(UInt8(ascii: "{"))
        } else {
            (scratch.base + lineStart).storeBytes(of: UInt8(ascii: "{"), as: UInt8.self)
        }
        scratch.append(UInt8(ascii: "}"))
    }

    /// Writes the metadata members not yet written whose keys sort before `prefix` followed by
    /// `name` (its bytes as they are). The key's first eight bytes usually tell that it sorts before
    /// the next member (from the prefix alone when it has eight); the rest of the key is read only
    /// otherwise, and keys are compared beyond the next member's only when some must be written:
    /// by binary search.
    @inline(__always)
    private mutating func writeMeta(before prefix: StaticString, _ name: UnsafeRawBufferPointer, in scratch: inout ByteWriter) {
        guard metaPosition < metaMembers.count else { return }
        if Self.firstEight(prefix, name) < metaMembers[metaPosition].head.0 { return }
        let head = Self.head(prefix, name)
        if Self.precedes(head, prefix, name, metaMembers[metaPosition], in: scratch) { return }
        var low = metaPosition &+ 1
        var high = metaMembers.count
        while low < high {
            let middle = (low &+ high) &>> 1
            if Self.precedes(head, prefix, name, metaMembers[middle], in: scratch) {
                high = middle
            } else {
                low = middle &+ 1
            }
        }
        writeMeta(upTo: low, in: &scratch)
    }

    /// Writes the metadata members from `metaPosition` to `end`, as one run.
    @inline(__always)
    private mutating func writeMeta(upTo end: Int, in scratch: inout ByteWriter) {
        scratch.appendCopy(of: metaStarts[metaPosition]..<metaStarts[end])
        metaPosition = end
    }

    /// Whether `prefix` followed by `name`, whose first sixteen bytes are `head`, sorts before the key of `member`.
    @inline(__always)
    private static func precedes(
        _ head: (UInt64, UInt64), _ prefix: StaticString, _ name: UnsafeRawBufferPointer,
        _ member: JSONMemberWriter.Member, in scratch: ByteWriter
    ) -> Bool {
        if head != member.head { return head < member.head }
        let key = scratch[member.key]
        let prefixBytes = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        let shared = min(prefixBytes.count, key.count)
        let order = prefixBytes.compareBytes(UnsafeRawBufferPointer(rebasing: key[..<shared]))
        if order != 0 { return order < 0 }
        return name.bytesPrecede(UnsafeRawBufferPointer(rebasing: key[shared...]))
    }

    /// The first sixteen bytes of `prefix` followed by `name`, big-endian, zero-padded, as
    /// `JSONMemberWriter.Member.head` holds them.
    @inline(__always)
    private static func head(_ prefix: StaticString, _ name: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let prefixCount = prefix.utf8CodeUnitCount
        var block = firstSixteen(UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefixCount))
        if prefixCount < 16 { block |= firstSixteen(name) &<< (8 &* prefixCount) }
        return (UInt64(truncatingIfNeeded: block).byteSwapped, UInt64(truncatingIfNeeded: block &>> 64).byteSwapped)
    }

    /// The first eight bytes of `prefix` followed by `name`, big-endian, zero-padded: the first word
    /// of `head(_:_:)`.
    @inline(__always)
    private static func firstEight(_ prefix: StaticString, _ name: UnsafeRawBufferPointer) -> UInt64 {
        let prefixBytes = UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        let prefixCount = prefixBytes.count
        if prefixCount >= 8 { return UInt64(littleEndian: prefixBytes.loadUnaligned(as: UInt64.self)).byteSwapped }
        var word = prefixCount > 0 ? ByteScan.lastWord(prefixBytes, from: 0) : 0
        if let nameStart = name.baseAddress, !name.isEmpty {
            let nameWord =
                name.count >= 8 ? UInt64(littleEndian: nameStart.loadUnaligned(as: UInt64.self)) : ByteScan.lastWord(name, from: 0)
            word |= nameWord &<< (8 &* prefixCount)
        }
        return word.byteSwapped
    }

    /// The first sixteen bytes of `bytes` (all of them if fewer) as a little-endian number, zero
    /// above them: read without going past the end.
    @inline(__always)
    private static func firstSixteen(_ bytes: UnsafeRawBufferPointer) -> UInt128 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        if bytes.count >= 16 { return UInt128(littleEndian: base.loadUnaligned(as: UInt128.self)) }
        if bytes.count < 8 { return UInt128(ByteScan.lastWord(bytes, from: 0)) }
        let low = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        let high = bytes.count > 8 ? ByteScan.lastWord(bytes, from: 8) : 0
        return UInt128(high) &<< 64 | UInt128(low)
    }
}
