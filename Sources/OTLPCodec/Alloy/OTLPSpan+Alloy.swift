public import FaroModel

extension OTLPSpan {
    /// The key-value pairs Alloy's `faro.receiver` makes of a span (`payload.SpanToKeyVal`), in its
    /// order, empty values left out as its `KeyValAdd` does: `timestamp` and `end_timestamp` (Go's
    /// `time.Time.String()` in UTC), `kind=span`, `traceID`, `spanID`, `span_kind`, `name`,
    /// `parent_spanID`, and `attr_` and the name of each attribute.
    ///
    /// `end_timestamp` is, as in Alloy, the start time: Alloy formats `StartTimestamp()` for both.
    /// One thing differs from Alloy's function, which Alloy itself never calls: attribute values are
    /// written as pdata's `Value.AsString()` writes them, where Alloy formats the `pcommon.Value`
    /// with `%v`, which prints the addresses of its fields.
    public var alloyKeyValues: [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        func add(_ key: String, _ value: String) {
            if !value.isEmpty { pairs.append((key, value)) }
        }
        if startTimeUnixNano > 0 { add("timestamp", Self.goTimeString(startTimeUnixNano)) }
        if endTimeUnixNano > 0 { add("end_timestamp", Self.goTimeString(startTimeUnixNano)) }
        add("kind", "span")
        add("traceID", traceID.map { $0.high | $0.low == 0 ? "" : $0.description } ?? "")
        add("spanID", spanID.map { $0.value == 0 ? "" : $0.description } ?? "")
        add("span_kind", kind.pdataName)
        add("name", name)
        add("parent_spanID", parentSpanID.map { $0.value == 0 ? "" : $0.description } ?? "")
        for attribute in attributes { add("attr_" + attribute.key, attribute.value.pdataString) }
        return pairs
    }

    /// Appends the span's log line, as Alloy would write it with its `log_format`; returns `false`,
    /// having appended nothing, when go-logfmt would fail on a key (an attribute whose name is empty
    /// once cleaned is not possible: the `attr_` prefix stays).
    @discardableResult
    public func appendAlloyLogLine(format: FaroLogFormat, to buffer: inout ContiguousArray<UInt8>) -> Bool {
        AlloyKeyValLine.append(alloyKeyValues, format: format, to: &buffer)
    }

    /// Go's `time.Unix(0, int64(nanoseconds)).UTC().String()`.
    static func goTimeString(_ nanoseconds: UInt64) -> String {
        let signed = Int64(bitPattern: nanoseconds)
        let (seconds, remainder) = signed.quotientAndRemainder(dividingBy: 1_000_000_000)
        let timestamp =
            remainder < 0
            ? FaroTimestamp(secondsSince1970: seconds - 1, nanoseconds: Int32(remainder + 1_000_000_000))
            : FaroTimestamp(secondsSince1970: seconds, nanoseconds: Int32(remainder))
        var text = ContiguousArray<UInt8>()
        timestamp.appendGoString(to: &text)
        return String(decoding: text, as: UTF8.self)
    }
}

extension OTLPSpan.Kind {
    /// pdata's `SpanKind.String()`: `Unspecified`, `Internal`, `Server`, `Client`, `Producer`,
    /// `Consumer`, and empty for other values.
    var pdataName: String {
        switch rawValue {
        case 0: return "Unspecified"
        case 1: return "Internal"
        case 2: return "Server"
        case 3: return "Client"
        case 4: return "Producer"
        case 5: return "Consumer"
        default: return ""
        }
    }
}
