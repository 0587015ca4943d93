/// Writes the key-value pairs of an Alloy log line as `encoding/json` object members while they
/// are produced, each with its leading comma (`,"key":value`) and escaped straight from the
/// model's strings. A JSON line is its members in key order (Go marshals a map with sorted keys):
/// `JSONMemberWriter` keeps where each member lies, for `FaroLogLineEncoder` to copy them into
/// place; `JSONLineWriter` writes a line whose members come in key order as it goes.
///
/// Like Alloy's `KeyValAdd`, empty text values add no member.
protocol JSONMemberSink: LineFieldSink {
    /// Whether a number member is NaN or infinite, on which `json.Marshal` fails (and Alloy drops the line).
    var hasUnsupportedValue: Bool { get set }
    /// The date and time of day of the last timestamp written, for the next of the same second.
    var clock: FaroTimestamp.ClockText { get set }
    /// Writes `,"prefixkey":`; the member's value comes next.
    mutating func beginMember(_ prefix: StaticString, _ key: String, in scratch: inout ByteWriter) -> JSONMemberKey
    /// Ends the member that `beginMember` began, once its value is written.
    mutating func endMember(_ member: JSONMemberKey, _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter)
}

/// Where the parts of a member begin, as `JSONMemberSink.writeKey` wrote them.
struct JSONMemberKey {
    /// The member's leading comma.
    var start: Int
    /// The name after the prefix, escaped.
    var nameStart: Int
    /// The key's closing quote.
    var end: Int
}

extension JSONMemberSink {
    /// Writes `,"prefixname":`, `name` escaped.
    @inline(__always)
    static func writeKey(_ prefix: StaticString, _ name: UnsafeRawBufferPointer, in scratch: inout ByteWriter) -> JSONMemberKey {
        let start = scratch.count
        // One reservation for the parts around the name, or for all when there is none.
        scratch.reserve(prefix.utf8CodeUnitCount &+ 4)
        scratch.appendReservedStatic(",\"")
        scratch.appendReservedStatic(prefix)
        let nameStart = scratch.count
        if !name.isEmpty {
            scratch.appendJSONStringContent(name)
            scratch.reserve(2)
        }
        let end = scratch.count
        scratch.appendReservedStatic("\":")
        return JSONMemberKey(start: start, nameStart: nameStart, end: end)
    }

    mutating func add(_ prefix: StaticString, _ key: String, value: String, in scratch: inout ByteWriter) {
        if value.isEmpty { return }
        let member = beginMember(prefix, key, in: &scratch)
        scratch.withUTF8(of: value) { $0.appendJSONString($1) }
        endMember(member, prefix, key, in: &scratch)
    }

    mutating func add(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) {
        addWrittenMember(prefix, key, in: &scratch, writeValue: writeValue)
    }

    /// The member of `add(_:_:in:writeValue:)`.
    @inline(__always)
    mutating func addWrittenMember(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) {
        let member = beginMember(prefix, key, in: &scratch)
        let valueStart = scratch.count
        writeValue(&scratch)
        if scratch.count == valueStart {
            // No member (what a line writer wrote before it stays).
            scratch.count = member.start
            return
        }
        scratch.rewrite(from: valueStart) { $0.appendJSONString($1) }
        endMember(member, prefix, key, in: &scratch)
    }

    mutating func add(_ prefix: StaticString, _ key: String, number: Double, in scratch: inout ByteWriter) {
        addNumberMember(prefix, key, number, in: &scratch)
    }

    /// The member of `add(_:_:number:in:)`.
    @inline(__always)
    mutating func addNumberMember(_ prefix: StaticString, _ key: String, _ number: Double, in scratch: inout ByteWriter) {
        if !number.isFinite { hasUnsupportedValue = true }
        let member = beginMember(prefix, key, in: &scratch)
        GoNumberFormat.appendJSON(number, to: &scratch)
        endMember(member, prefix, key, in: &scratch)
    }

    /// Writes `,"key":"…"` with the `%f` text, which JSON never escapes: no rewrite of the value.
    mutating func add(_ key: String, fixed6 number: Double, in scratch: inout ByteWriter) {
        addFixed6Member(key, number, in: &scratch)
    }

    /// The member of `add(_:fixed6:in:)`.
    @inline(__always)
    mutating func addFixed6Member(_ key: String, _ number: Double, in scratch: inout ByteWriter) {
        let member = beginMember("", key, in: &scratch)
        scratch.append(UInt8(ascii: "\""))
        GoNumberFormat.appendFixed6(number, to: &scratch)
        scratch.append(UInt8(ascii: "\""))
        endMember(member, "", key, in: &scratch)
    }

    /// Writes `,"timestamp":"…"`: Go's time string holds nothing that JSON escapes.
    mutating func add(timestamp: FaroTimestamp, in scratch: inout ByteWriter) {
        addTimestampMember(timestamp, in: &scratch)
    }

    /// The member of `add(timestamp:in:)`.
    @inline(__always)
    mutating func addTimestampMember(_ timestamp: FaroTimestamp, in scratch: inout ByteWriter) {
        let member = beginMember("timestamp", "", in: &scratch)
        scratch.append(UInt8(ascii: "\""))
        timestamp.appendGoString(to: &scratch, clock: &clock)
        scratch.append(UInt8(ascii: "\""))
        endMember(member, "timestamp", "", in: &scratch)
    }

    /// Writes `,"stacktrace":"…"` (never empty: it holds `Type: Value`), each string of the exception
    /// escaped as it is copied and each frame's line break written escaped, in one pass.
    mutating func add(stacktraceOf exception: FaroException, in scratch: inout ByteWriter) {
        addStacktraceMember(exception, in: &scratch)
    }

    /// The member of `add(stacktraceOf:in:)`.
    @inline(__always)
    mutating func addStacktraceMember(_ exception: FaroException, in scratch: inout ByteWriter) {
        let member = beginMember("stacktrace", "", in: &scratch)
        scratch.append(UInt8(ascii: "\""))
        exception.appendStacktrace(to: &scratch, frameStart: FaroException.escapedFrameStart) { out, text in
            out.withUTF8(of: text) { $0.appendJSONStringContent($1) }
        }
        scratch.append(UInt8(ascii: "\""))
        endMember(member, "stacktrace", "", in: &scratch)
    }

    /// Writes `,"key":"value"`: the literal needs no escape, so no scan of it.
    @inline(__always)
    mutating func add(_ key: StaticString, literal value: StaticString, in scratch: inout ByteWriter) {
        let member = beginMember(key, "", in: &scratch)
        scratch.reserve(value.utf8CodeUnitCount &+ 2)
        scratch.appendReservedStatic("\"")
        scratch.appendReservedStatic(value)
        scratch.appendReservedStatic("\"")
        endMember(member, key, "", in: &scratch)
    }

    mutating func add(_ prefix: StaticString, attributes: FaroAttributes, in scratch: inout ByteWriter) {
        // Read in place through a span: iterating the array would copy (retain and release) each string.
        let elements = attributes.elements.span
        for index in elements.indices where !elements[index].value.isEmpty {
            let member = beginMember(prefix, elements[index].key, in: &scratch)
            scratch.withUTF8(of: elements[index].value) { $0.appendJSONString($1) }
            endMember(member, prefix, elements[index].key, in: &scratch)
        }
    }
}
