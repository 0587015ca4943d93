/// Writes the key-value pairs of an Alloy log line as `encoding/json` object members while they
/// are produced, each with its leading comma (`,"key":value`) and escaped straight from the
/// model's strings, and keeps where each lies and its key: a JSON line is its members in key
/// order (Go marshals a map with sorted keys), which `FaroLogLineEncoder` copies into place.
///
/// Like Alloy's `KeyValAdd`, empty text values add no member. Keys are not merged: lines whose
/// keys may repeat are built as `LogLineFields` first and rendered with `add(rendering:in:)`.
struct JSONMemberWriter: LineFieldSink {
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
    /// Whether a number member is NaN or infinite, on which `json.Marshal` fails (and Alloy drops the line).
    private(set) var hasUnsupportedValue = false
    /// The date and time of day of the last timestamp written, for the next of the same second (kept
    /// from line to line).
    private var clock = FaroTimestamp.ClockText()

    /// Empties the list, keeping its storage.
    mutating func removeAll() {
        members.removeAll(keepingCapacity: true)
        hasUnsupportedValue = false
    }

    /// Writes `,"prefixkey":` and the value that `writeValue` writes in its JSON form, and returns
    /// the member. When escaping changed the key, its bytes as they are follow the member, for sorting.
    @inline(__always)
    private static func member(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) -> Member {
        let start = scratch.count
        let nameLength = key.utf8.count
        scratch.appendStatic(",\"")
        scratch.appendStatic(prefix)
        let nameStart = scratch.count
        if nameLength > 0 { scratch.withUTF8(of: key) { $0.appendJSONStringContent($1) } }
        let keyEnd = scratch.count
        scratch.appendStatic("\":")
        writeValue(&scratch)
        let end = scratch.count
        var keyRange = start + 2..<keyEnd
        // Escapes only lengthen a text: the same length means the same bytes.
        if keyEnd - nameStart != nameLength {
            let rawStart = scratch.count
            scratch.appendStatic(prefix)
            scratch.appendUTF8(key)
            keyRange = rawStart..<scratch.count
        }
        return Member(key: keyRange, head: scratch.head(of: keyRange), bytes: start..<end)
    }

    mutating func add(_ prefix: StaticString, _ key: String, value: String, in scratch: inout ByteWriter) {
        if value.isEmpty { return }
        // The strings are written in one statement and the member recorded in the next: their use
        // ends before the list grows (which may free its old storage), so they are not retained around it.
        let member = Self.member(prefix, key, in: &scratch) { $0.withUTF8(of: value) { $0.appendJSONString($1) } }
        members.append(member)
    }

    mutating func add(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) {
        let start = scratch.count
        var isEmpty = false
        let member = Self.member(prefix, key, in: &scratch) { out in
            let valueStart = out.count
            writeValue(&out)
            isEmpty = out.count == valueStart
            out.rewrite(from: valueStart) { $0.appendJSONString($1) }
        }
        if isEmpty {
            scratch.count = start
            return
        }
        members.append(member)
    }

    mutating func add(_ prefix: StaticString, _ key: String, number: Double, in scratch: inout ByteWriter) {
        if !number.isFinite { hasUnsupportedValue = true }
        let member = Self.member(prefix, key, in: &scratch) { GoNumberFormat.appendJSON(number, to: &$0) }
        members.append(member)
    }

    /// Writes `,"key":"…"` with the `%f` text, which JSON never escapes: no rewrite of the value.
    mutating func add(_ key: String, fixed6 number: Double, in scratch: inout ByteWriter) {
        let member = Self.member("", key, in: &scratch) { out in
            out.append(UInt8(ascii: "\""))
            GoNumberFormat.appendFixed6(number, to: &out)
            out.append(UInt8(ascii: "\""))
        }
        members.append(member)
    }

    /// Writes `,"timestamp":"…"`: Go's time string holds nothing that JSON escapes.
    mutating func add(timestamp: FaroTimestamp, in scratch: inout ByteWriter) {
        let member = Self.member("timestamp", "", in: &scratch) { out in
            out.append(UInt8(ascii: "\""))
            timestamp.appendGoString(to: &out, clock: &clock)
            out.append(UInt8(ascii: "\""))
        }
        members.append(member)
    }

    /// Writes `,"stacktrace":"…"` (never empty: it holds `Type: Value`), each string of the exception
    /// escaped as it is copied and each frame's line break written escaped, in one pass.
    mutating func add(stacktraceOf exception: FaroException, in scratch: inout ByteWriter) {
        let member = Self.member("stacktrace", "", in: &scratch) { out in
            out.append(UInt8(ascii: "\""))
            exception.appendStacktrace(to: &out, frameStart: FaroException.escapedFrameStart) { out, text in
                out.withUTF8(of: text) { $0.appendJSONStringContent($1) }
            }
            out.append(UInt8(ascii: "\""))
        }
        members.append(member)
    }

    mutating func add(_ prefix: StaticString, attributes: FaroAttributes, in scratch: inout ByteWriter) {
        // Read in place through a span: iterating the array would copy (retain and release) each string.
        let elements = attributes.elements.span
        for index in elements.indices where !elements[index].value.isEmpty {
            let member = Self.member(prefix, elements[index].key, in: &scratch) {
                $0.withUTF8(of: elements[index].value) { $0.appendJSONString($1) }
            }
            members.append(member)
        }
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
