import HTTPFieldText

/// The header fields this module reads and writes, by their lowercase names.
enum TraceHeaderName: String, CaseIterable {
    case traceparent
    case tracestate
    case b3
    case b3TraceID = "x-b3-traceid"
    case b3SpanID = "x-b3-spanid"
    case b3ParentSpanID = "x-b3-parentspanid"
    case b3Sampled = "x-b3-sampled"
    case b3Flags = "x-b3-flags"
    case uberTraceID = "uber-trace-id"

    /// The length of the longest name, past which a field name is not looked at.
    private static let maximumLength = allCases.map(\.rawValue.utf8.count).max()!

    /// The header of a field name, matched ASCII case-insensitively.
    init?(fieldName: String) {
        guard fieldName.utf8.count <= TraceHeaderName.maximumLength else { return nil }
        self.init(rawValue: fieldName.asciiLowercased())
    }
}
