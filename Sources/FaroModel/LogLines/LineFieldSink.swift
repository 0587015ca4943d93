/// Where the key-value pairs of an Alloy log line go as they are produced: collected as
/// `LogLineFields` (for JSON, for repeated keys and for label look-ups), or written straight
/// as logfmt by `LogfmtLineWriter`.
protocol LineFieldSink {
    /// Adds a text field unless `value` is empty (Alloy's `KeyValAdd`).
    mutating func add(_ prefix: StaticString, _ key: String, value: String, in scratch: inout ByteWriter)
    /// Adds a text field whose value `writeValue` appends; nothing is added if it appends nothing.
    /// `writeValue` only writes bytes: it releases no object (`LogfmtLineWriter` is declared so).
    mutating func add(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void)
    /// Adds a number field, whatever its value (`kv.Set` of a float64).
    mutating func add(_ prefix: StaticString, _ key: String, number: Double, in scratch: inout ByteWriter)
    /// Adds a text field whose value is `number` as Go's `%f` writes it (a measurement value's
    /// `fmt.Sprintf("%f", v)`): never empty.
    mutating func add(_ key: String, fixed6 number: Double, in scratch: inout ByteWriter)
    /// Adds the `timestamp` field in Go's `time.Time.String()` form.
    mutating func add(timestamp: FaroTimestamp, in scratch: inout ByteWriter)
    /// Adds the `stacktrace` field of `exception` (Alloy's `Exception.String()`).
    mutating func add(stacktraceOf exception: FaroException, in scratch: inout ByteWriter)
    /// Adds a field for each non-empty attribute, its key prefixed (`MergeKeyValWithPrefix(KeyValFromMap(m))`).
    mutating func add(_ prefix: StaticString, attributes: FaroAttributes, in scratch: inout ByteWriter)
    /// Adds a text field with a fixed key and a fixed, non-empty value that neither format quotes
    /// or escapes (lowercase letters: a line's `kind`).
    mutating func add(_ key: StaticString, literal value: StaticString, in scratch: inout ByteWriter)
}

extension LineFieldSink {
    /// Adds a text field with a fixed key unless `value` is empty.
    @inline(__always)
    mutating func add(_ key: StaticString, value: String, in scratch: inout ByteWriter) {
        add(key, "", value: value, in: &scratch)
    }

    /// Adds a text field with a fixed key whose value `writeValue` appends.
    @inline(__always)
    mutating func add(_ key: StaticString, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void) {
        add(key, "", in: &scratch, writeValue: writeValue)
    }

    /// Adds the `%f` field as any text field.
    mutating func add(_ key: String, fixed6 number: Double, in scratch: inout ByteWriter) {
        add("", key, in: &scratch) { GoNumberFormat.appendFixed6(number, to: &$0) }
    }

    /// Adds the `timestamp` field as any text field.
    mutating func add(timestamp: FaroTimestamp, in scratch: inout ByteWriter) {
        add("timestamp", in: &scratch) { timestamp.appendGoString(to: &$0) }
    }

    /// Adds the `stacktrace` field as any text field.
    mutating func add(stacktraceOf exception: FaroException, in scratch: inout ByteWriter) {
        add("stacktrace", in: &scratch) { exception.appendStacktrace(to: &$0) }
    }

    /// Adds a field for each non-empty attribute, its key prefixed (`MergeKeyValWithPrefix(KeyValFromMap(m))`).
    mutating func add(_ prefix: StaticString, attributes: FaroAttributes, in scratch: inout ByteWriter) {
        // Read in place through a span: iterating the array would copy (retain and release) each string.
        let elements = attributes.elements.span
        for index in elements.indices { add(prefix, elements[index].key, value: elements[index].value, in: &scratch) }
    }

    /// Adds the literal field as any text field.
    mutating func add(_ key: StaticString, literal value: StaticString, in scratch: inout ByteWriter) {
        add(key, in: &scratch) { $0.appendStatic(value) }
    }
}

/// Writes an Alloy log line as logfmt while its fields are produced, in one pass: each value is
/// copied once and quoted only when go-logfmt would quote it.
struct LogfmtLineWriter: LineFieldSink {
    /// Whether no field is written yet.
    private var isEmpty: Bool
    /// Whether a key came out empty once cleaned, so that go-logfmt (and Alloy) would drop the line.
    private(set) var hasInvalidKey = false
    /// The date and time of day of the last timestamp written, for the next of the same second;
    /// writers of successive lines hand it on.
    var clock: FaroTimestamp.ClockText

    /// A writer for a line's fields; if `continuingLine`, for fields after others, each with a space
    /// before it. `clock` is the last writer's, if any.
    init(continuingLine: Bool = false, clock: FaroTimestamp.ClockText = .init()) {
        isEmpty = !continuingLine
        self.clock = clock
    }

    /// Writes the separator, the key and `=`.
    @inline(__always)
    private mutating func writeKey(_ prefix: StaticString, _ key: String, in scratch: inout ByteWriter) {
        // One reservation for the parts around the name, or for all when there is none.
        scratch.reserve(prefix.utf8CodeUnitCount &+ 2)
        if !isEmpty { scratch.appendReservedStatic(" ") }
        isEmpty = false
        scratch.appendReservedStatic(prefix)
        // Prefixes are valid keys; only the name part needs cleaning.
        var written = false
        if !key.isEmpty {
            written = scratch.withUTF8(of: key) { $0.appendLogfmtKey($1) }
            scratch.reserve(1)
        }
        if !written && prefix.utf8CodeUnitCount == 0 { hasInvalidKey = true }
        scratch.appendReservedStatic("=")
    }

    /// Quotes the raw value written from `start` on, if go-logfmt would.
    @inline(__always)
    private static func finishValue(from start: Int, in scratch: inout ByteWriter) {
        guard Logfmt.needsQuoting(scratch[start..<scratch.count]) else { return }
        quoteValue(from: start, in: &scratch)
    }

    /// Quotes the raw value written from `start` on.
    @inline(__always)
    private static func quoteValue(from start: Int, in scratch: inout ByteWriter) {
        scratch.rewrite(from: start) { $0.appendLogfmtQuoted($1) }
    }

    @inline(__always)
    mutating func add(_ prefix: StaticString, _ key: String, value: String, in scratch: inout ByteWriter) {
        if value.isEmpty { return }
        writeKey(prefix, key, in: &scratch)
        scratch.withUTF8(of: value) { $0.appendLogfmtValue($1) }
    }

    /// Declared free of releases (see `add(_:attributes:in:)`): `writeValue` writes bytes only.
    @_effects(releasenone)
    mutating func add(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) {
        let saved = (self, scratch.count)
        writeKey(prefix, key, in: &scratch)
        let start = scratch.count
        writeValue(&scratch)
        if scratch.count == start {
            (self, scratch.count) = saved
            return
        }
        Self.finishValue(from: start, in: &scratch)
    }

    mutating func add(_ prefix: StaticString, _ key: String, number: Double, in scratch: inout ByteWriter) {
        writeKey(prefix, key, in: &scratch)
        GoNumberFormat.appendShortest(number, to: &scratch)
    }

    /// Writes `key=value`: the literal is never quoted, so no scan for a reason to quote.
    @inline(__always)
    mutating func add(_ key: StaticString, literal value: StaticString, in scratch: inout ByteWriter) {
        writeKey(key, "", in: &scratch)
        scratch.appendStatic(value)
    }

    /// Writes `key=` and the `%f` text, which go-logfmt never quotes (digits, `.`, `-`, `NaN`,
    /// `+Inf`): no scan for a reason to quote.
    mutating func add(_ key: String, fixed6 number: Double, in scratch: inout ByteWriter) {
        writeKey("", key, in: &scratch)
        GoNumberFormat.appendFixed6(number, to: &scratch)
    }

    /// Writes a field for each non-empty attribute, its key prefixed. Declared free of releases like
    /// the writers it calls (see `ByteWriter.appendLogfmtValue`), so that callers do not retain
    /// the map around the call.
    @inline(never)
    @_effects(releasenone)
    mutating func add(_ prefix: StaticString, attributes: FaroAttributes, in scratch: inout ByteWriter) {
        // Read in place through a span: iterating the array would copy (retain and release) each string.
        let elements = attributes.elements.span
        for index in elements.indices { add(prefix, elements[index].key, value: elements[index].value, in: &scratch) }
    }

    /// Writes `timestamp="…"`: Go's form always has spaces, so go-logfmt quotes it, and never
    /// anything to escape. Writes bytes only, and is declared so (see `add(_:attributes:in:)`).
    @inline(never)
    @_effects(releasenone)
    mutating func add(timestamp: FaroTimestamp, in scratch: inout ByteWriter) {
        writeKey("timestamp", "", in: &scratch)
        scratch.append(UInt8(ascii: "\""))
        timestamp.appendGoString(to: &scratch, clock: &clock)
        scratch.append(UInt8(ascii: "\""))
    }

    /// Writes `stacktrace="…"`: the text always holds a space (`Type: Value`), so go-logfmt always
    /// quotes it, and no scan for a reason to quote is needed. Each string of the exception is
    /// escaped as it is copied, and each frame's line break written escaped, in one pass. Writes
    /// bytes only, and is declared so.
    @inline(never)
    @_effects(releasenone)
    mutating func add(stacktraceOf exception: FaroException, in scratch: inout ByteWriter) {
        writeKey("stacktrace", "", in: &scratch)
        scratch.append(UInt8(ascii: "\""))
        exception.appendStacktrace(to: &scratch, frameStart: FaroException.escapedFrameStart) { scratch, text in
            scratch.withUTF8(of: text) { $0.appendLogfmtQuotedContent($1) }
        }
        scratch.append(UInt8(ascii: "\""))
    }
}
