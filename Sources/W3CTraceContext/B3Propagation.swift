import HTTPFieldText

/// What B3 headers carry (https://github.com/openzipkin/b3-propagation): identifiers with or
/// without a sampling decision, or a sampling decision alone.
///
/// The single header is `b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]`, or only a
/// sampling state (`0`, `1` or `d`). The trace id is 16 or 32 lowercase hex digits and the span
/// ids 16; none may be zero. Spaces and tabs around the value are ignored, as HTTP allows. A
/// sampling state alone (`b3: 0`, as trace reporters send so that proxies do not trace them)
/// is `.samplingOnly`: there is no context to continue, only the decision.
///
/// ```swift
/// let b3 = try B3Propagation(parsingSingle: "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d")
/// if case .context(let ids) = b3 { TraceContext(b3: ids).isDebug }   // true
/// try B3Propagation(parsingSingle: "0")                              // .samplingOnly(.deny)
/// ```
public enum B3Propagation: Hashable, Sendable {
    /// Identifiers, with their sampling state.
    case context(B3Context)
    /// A sampling decision sent without identifiers.
    case samplingOnly(B3SamplingState)

    /// The longest `b3` value read, spaces around it included: well above the 68 bytes of the
    /// longest valid value.
    public static let maximumLength = 256

    /// Parses a `b3` header value.
    public init(parsingSingle value: some StringProtocol) throws(B3Error) {
        var text = String(value)
        self = try text.withUTF8 { utf8 in
            Result { () throws(B3Error) in try B3Propagation(parsingSingle: UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    /// Parses a `b3` header value given as its bytes.
    public init(parsingSingle value: UnsafeRawBufferPointer) throws(B3Error) {
        guard value.count <= B3Propagation.maximumLength else { throw .tooLong(value.count) }
        let bytes = HeaderValue.trimmingWhitespace(value)
        guard !bytes.isEmpty else { throw .empty }
        if bytes.count == 1 {
            self = .samplingOnly(try B3Propagation.samplingState(bytes, at: 0))
            return
        }
        let traceEnd = B3Propagation.fieldEnd(bytes, from: 0)
        let traceID = try B3Propagation.traceID(bytes, at: 0, count: traceEnd)
        guard traceEnd < bytes.count else { throw .missingSpanID }
        let spanStart = traceEnd + 1
        let spanEnd = B3Propagation.fieldEnd(bytes, from: spanStart)
        var context = B3Context(
            traceID: traceID, spanID: try B3Propagation.spanID(bytes, at: spanStart, count: spanEnd - spanStart))
        if spanEnd < bytes.count {
            let samplingStart = spanEnd + 1
            let samplingEnd = B3Propagation.fieldEnd(bytes, from: samplingStart)
            guard samplingEnd - samplingStart == 1 else { throw .invalidSamplingState(offset: samplingStart) }
            context.samplingState = try B3Propagation.samplingState(bytes, at: samplingStart)
            if samplingEnd < bytes.count {
                let parentStart = samplingEnd + 1
                let parentEnd = B3Propagation.fieldEnd(bytes, from: parentStart)
                guard parentEnd == bytes.count else { throw .unexpectedField(offset: parentEnd) }
                context.parentSpanID = try B3Propagation.parentSpanID(bytes, at: parentStart, count: parentEnd - parentStart)
            }
        }
        self = .context(context)
    }

    /// The `b3` value: the 32-digit trace id (a 64-bit one padded with zeros, as OpenTelemetry's
    /// propagators write it), the span id, the sampling state unless deferred, and the parent span
    /// id when there is one and a sampling state to precede it.
    public var singleHeaderValue: String {
        switch self {
        case .samplingOnly(let state):
            return B3Propagation.character(of: state)
        case .context(let context):
            var value = "\(context.traceID)-\(context.spanID)"
            if let state = context.samplingState {
                value += "-" + B3Propagation.character(of: state)
                if let parent = context.parentSpanID { value += "-\(parent)" }
            }
            return value
        }
    }

    private static func character(of state: B3SamplingState) -> String {
        switch state {
        case .deny: "0"
        case .accept: "1"
        case .debug: "d"
        }
    }

    /// Where the field that starts at `start` ends: at the next dash or the end of the value.
    private static func fieldEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index] != UInt8(ascii: "-") { index += 1 }
        return index
    }

    private static func samplingState(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(B3Error) -> B3SamplingState {
        switch bytes[offset] {
        case UInt8(ascii: "0"): .deny
        case UInt8(ascii: "1"): .accept
        case UInt8(ascii: "d"): .debug
        default: throw .invalidSamplingState(offset: offset)
        }
    }

    static func traceID(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) throws(B3Error) -> TraceID {
        guard count == 16 || count == 32 else { throw .invalidTraceIDLength(count) }
        switch Hex.parseTraceID(bytes, at: offset, count: count) {
        case .success(let id):
            guard id.isValid else { throw .zeroTraceID }
            return id
        case .failure(let error):
            throw .invalidTraceID(offset: error.offset)
        }
    }

    static func spanID(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) throws(B3Error) -> SpanID {
        guard count == 16 else { throw .invalidSpanIDLength(count) }
        switch Hex.parse(bytes, at: offset, count: 16) {
        case .success(let id):
            guard id != 0 else { throw .zeroSpanID }
            return SpanID(rawValue: id)
        case .failure(let error):
            throw .invalidSpanID(offset: error.offset)
        }
    }

    static func parentSpanID(_ bytes: UnsafeRawBufferPointer, at offset: Int, count: Int) throws(B3Error) -> SpanID {
        guard count == 16 else { throw .invalidParentSpanIDLength(count) }
        switch Hex.parse(bytes, at: offset, count: 16) {
        case .success(let id):
            guard id != 0 else { throw .zeroParentSpanID }
            return SpanID(rawValue: id)
        case .failure(let error):
            throw .invalidParentSpanID(offset: error.offset)
        }
    }
}
