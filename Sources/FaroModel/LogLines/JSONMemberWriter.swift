/// Writes the members of a JSON line (`JSONMemberSink`) and keeps where each lies and its key,
/// for `FaroLogLineEncoder` to copy them into key order: the metadata's members, once per payload,
/// and the members of lines built as `LogLineFields` first (`add(rendering:in:)`).
struct JSONMemberWriter: JSONMemberSink {
    /// A member as written, and its key.
    struct Member: KeyedLineField {
        /// Where the key lies, as it is: inside the member, or after it when the key was escaped.
        var key: Range<Int>
        /// The first sixteen bytes of the key, big-endian, zero-padded.
        var head: (UInt64, UInt64)
        /// Where the member lies in the scratch memory, its leading comma included.
        var bytes: Range<Int>
    }

    /// The members, in line order.
    private(set) var members: [Member] = []
    var hasUnsupportedValue = false
    /// Kept from line to line.
    var clock = FaroTimestamp.ClockText()

    /// Empties the list, keeping its storage.
    mutating func removeAll() {
        members.removeAll(keepingCapacity: true)
        hasUnsupportedValue = false
    }

    @inline(__always)
    mutating func beginMember(_ prefix: StaticString, _ key: String, in scratch: inout ByteWriter) -> JSONMemberKey {
        if key.isEmpty { return Self.writeKey(prefix, UnsafeRawBufferPointer(start: nil, count: 0), in: &scratch) }
        return scratch.withUTF8(of: key) { Self.writeKey(prefix, $1, in: &$0) }
    }

    /// Keeps the member. When escaping changed the key, its bytes as they are follow the member, for sorting.
    @inline(__always)
    mutating func endMember(_ member: JSONMemberKey, _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter) {
        let end = scratch.count
        var keyRange = member.start + 2..<member.end
        // Escapes only lengthen a text: the same length means the same bytes.
        if member.end - member.nameStart != key.utf8.count {
            let rawStart = scratch.count
            scratch.appendStatic(prefix)
            scratch.appendUTF8(key)
            keyRange = rawStart..<scratch.count
        }
        // The strings are written before the member is recorded: their use ends before the list
        // grows (which may free its old storage), so they are not retained around it.
        members.append(Member(key: keyRange, head: scratch.head(of: keyRange), bytes: member.start..<end))
    }

    /// Adds the member of `field`, whose bytes lie in the scratch memory; the caller has reserved
    /// room for it (`LogLineFields.formattedSizeBound`), so that they do not move while it is written.
    mutating func add(rendering field: LogLineFields.Field, in scratch: inout ByteWriter) {
        let start = scratch.count
        let fixedEnd = field.key.lowerBound + field.fixedKeyLength
        scratch.appendStatic(",\"")
        scratch.appendBytes(scratch[field.key.lowerBound..<fixedEnd])
        if fixedEnd < field.key.upperBound {
            scratch.appendEscaping(scratch[fixedEnd..<field.key.upperBound], as: GoJSONString.Escaping.self)
        }
        scratch.appendStatic("\":")
        if field.isNumber {
            if !field.number.isFinite { hasUnsupportedValue = true }
            GoNumberFormat.appendJSON(field.number, to: &scratch)
        } else {
            GoJSONString.append(scratch[field.value], to: &scratch)
        }
        members.append(Member(key: field.key, head: field.head, bytes: start..<scratch.count))
    }
}
