import HTTPFieldText

extension B3Propagation {
    /// Parses B3's multiple headers, each given by its value or `nil` when absent; `nil` when none
    /// carries anything.
    ///
    /// As the B3 specification and opentelemetry-go read them:
    /// - `X-B3-TraceId` (16 or 32 lowercase hex digits) and `X-B3-SpanId` (16) come together or not
    ///   at all; `X-B3-ParentSpanId` (16) only with them.
    /// - `X-B3-Sampled` is `1` or `0`, or `true` or `false` in any case, which "a lenient
    ///   implementation may accept"; absent, the decision is deferred.
    /// - `X-B3-Flags: 1` is debug and outweighs `X-B3-Sampled`; any other value is ignored.
    /// - A header present but empty is malformed, as the specification says (opentelemetry-go
    ///   cannot tell it from an absent one). Spaces and tabs around each value are ignored.
    public init?(
        traceIDHeader traceID: String?, spanIDHeader spanID: String?, parentSpanIDHeader parentSpanID: String?,
        sampledHeader sampled: String?, flagsHeader flags: String?
    ) throws(B3Error) {
        var samplingState: B3SamplingState?
        if let sampled {
            samplingState = try B3Propagation.trimmed(sampled) { bytes throws(B3Error) in
                switch bytes.count {
                case 1 where bytes[0] == UInt8(ascii: "0"): return .deny
                case 1 where bytes[0] == UInt8(ascii: "1"): return .accept
                case 4 where bytes.equalsIgnoringASCIICase("true"): return .accept
                case 5 where bytes.equalsIgnoringASCIICase("false"): return .deny
                default: throw .invalidSamplingState(offset: 0)
                }
            }
        }
        if let flags, try B3Propagation.trimmed(flags, { $0.elementsEqual("1".utf8) }) {
            samplingState = .debug
        }
        switch (traceID, spanID) {
        case (nil, nil):
            guard parentSpanID == nil else { throw .parentSpanIDWithoutIdentifiers }
            guard let samplingState else { return nil }
            self = .samplingOnly(samplingState)
        case (nil, _?):
            throw .missingTraceID
        case (_?, nil):
            throw .missingSpanID
        case (let traceID?, let spanID?):
            var context = B3Context(
                traceID: try B3Propagation.trimmed(traceID) { bytes throws(B3Error) in
                    try B3Propagation.traceID(bytes, at: 0, count: bytes.count)
                },
                spanID: try B3Propagation.trimmed(spanID) { bytes throws(B3Error) in
                    try B3Propagation.spanID(bytes, at: 0, count: bytes.count)
                },
                samplingState: samplingState)
            if let parentSpanID {
                context.parentSpanID = try B3Propagation.trimmed(parentSpanID) { bytes throws(B3Error) in
                    try B3Propagation.parentSpanID(bytes, at: 0, count: bytes.count)
                }
            }
            self = .context(context)
        }
    }

    /// The multiple headers, with lowercase names as the specification prefers: trace id (32
    /// digits), span id and parent span id, then `x-b3-sampled: 1` or `0`, or `x-b3-flags: 1` alone
    /// for debug, or neither for a deferred decision.
    public var multipleHeaderFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        let samplingState: B3SamplingState?
        switch self {
        case .samplingOnly(let state):
            samplingState = state
        case .context(let context):
            fields.append((TraceHeaderName.b3TraceID.rawValue, context.traceID.description))
            fields.append((TraceHeaderName.b3SpanID.rawValue, context.spanID.description))
            if let parent = context.parentSpanID { fields.append((TraceHeaderName.b3ParentSpanID.rawValue, parent.description)) }
            samplingState = context.samplingState
        }
        switch samplingState {
        case .deny: fields.append((TraceHeaderName.b3Sampled.rawValue, "0"))
        case .accept: fields.append((TraceHeaderName.b3Sampled.rawValue, "1"))
        case .debug: fields.append((TraceHeaderName.b3Flags.rawValue, "1"))
        case nil: break
        }
        return fields
    }

    /// `body` applied to the bytes of `value` without the spaces and tabs around them.
    private static func trimmed<T>(
        _ value: String, _ body: (UnsafeRawBufferPointer) throws(B3Error) -> T
    ) throws(B3Error) -> T {
        var text = value
        return try text.withUTF8 { utf8 in
            Result { () throws(B3Error) in try body(HeaderValue.trimmingWhitespace(UnsafeRawBufferPointer(utf8))) }
        }.get()
    }
}
