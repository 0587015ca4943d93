import HTTPFieldText

/// Jaeger's `uber-trace-id` header: `{trace-id}:{span-id}:{parent-span-id}:{flags}`.
///
/// Parsing follows OpenTelemetry's Jaeger propagators, and Jaeger's own clients where those
/// propagators leave a case open:
/// - The trace id is 1 to 32 hex digits and the span id 1 to 16, read as if padded with leading
///   zeros (opentelemetry-go pads both); neither may be zero.
/// - Hex digits may be uppercase, as opentelemetry-python and Jaeger's clients read them
///   (opentelemetry-go takes lowercase only); formatting writes lowercase.
/// - The parent span id is deprecated: `0` means none. It is kept when it is 1 to 16 hex digits
///   and otherwise ignored, as both OpenTelemetry propagators ignore the whole field (Jaeger's
///   clients reject the value).
/// - The flags are 1 to 16 hex digits, of which the low byte is kept, as opentelemetry-go and
///   -python read them (hex) and Jaeger's Java client does (the low byte). Jaeger's Go client
///   reads them as decimal, which agrees for the values 0 to 9 that carry `sampled`, `debug` and
///   `firehose`. An empty field is rejected, as opentelemetry-python and Jaeger's clients do
///   (opentelemetry-go reads it as zero).
/// - `%3A` (or `%3a`) separates fields as `:` does, since Jaeger's clients URL-decode the value
///   of HTTP headers; any other `%` is an invalid byte, as no other escaped byte can be valid.
/// - Spaces and tabs around the value are ignored, as HTTP allows.
///
/// ```swift
/// let id = try UberTraceID(parsing: "a3ce929d0e0e4736:00f067aa0ba902b7:0:3")
/// id.traceID.high                    // 0: a 64-bit trace id
/// TraceContext(uberTraceID: id).isDebug   // true
/// id.headerValue   // "0000000000000000a3ce929d0e0e4736:00f067aa0ba902b7:0:3"
/// ```
public struct UberTraceID: Hashable, Sendable, CustomStringConvertible {
    /// The longest value read, spaces around it included: well above the 89 bytes of the longest
    /// valid value with `%3A` separators.
    public static let maximumLength = 256

    /// The trace id; a 64-bit trace id has a `high` half of zero.
    public var traceID: TraceID
    /// The caller's span.
    public var spanID: SpanID
    /// The parent of the caller's span, or `nil` (sent as `0`).
    public var parentSpanID: SpanID?
    /// The flags.
    public var flags: JaegerFlags

    /// A value from its parts.
    public init(traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, flags: JaegerFlags) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.flags = flags
    }

    /// Parses a header value.
    public init(parsing value: some StringProtocol) throws(UberTraceIDError) {
        var text = String(value)
        self = try text.withUTF8 { utf8 in
            Result { () throws(UberTraceIDError) in try UberTraceID(parsing: UnsafeRawBufferPointer(utf8)) }
        }.get()
    }

    /// Parses a header value given as its bytes.
    public init(parsing value: UnsafeRawBufferPointer) throws(UberTraceIDError) {
        guard value.count <= UberTraceID.maximumLength else { throw .tooLong(value.count) }
        let bytes = HeaderValue.trimmingWhitespace(value)
        let trace = UberTraceID.field(bytes, from: 0)
        guard let spanStart = trace.next else { throw .wrongFieldCount(1) }
        let span = UberTraceID.field(bytes, from: spanStart)
        guard let parentStart = span.next else { throw .wrongFieldCount(2) }
        let parent = UberTraceID.field(bytes, from: parentStart)
        guard let flagsStart = parent.next else { throw .wrongFieldCount(3) }
        let flags = UberTraceID.field(bytes, from: flagsStart)
        if var next = flags.next {
            var count = 5
            while let start = UberTraceID.field(bytes, from: next).next {
                count += 1
                next = start
            }
            throw .wrongFieldCount(count)
        }

        guard (1...32).contains(trace.end) else { throw .invalidTraceIDLength(trace.end) }
        switch Hex.parseTraceID(bytes, at: 0, count: trace.end, anyCase: true) {
        case .success(let id): self.traceID = id
        case .failure(let error): throw .invalidHexDigit(offset: error.offset)
        }
        guard traceID.isValid else { throw .zeroTraceID }

        let spanCount = span.end - spanStart
        guard (1...16).contains(spanCount) else { throw .invalidSpanIDLength(spanCount) }
        switch Hex.parse(bytes, at: spanStart, count: spanCount, anyCase: true) {
        case .success(let id): self.spanID = SpanID(rawValue: id)
        case .failure(let error): throw .invalidHexDigit(offset: error.offset)
        }
        guard spanID.isValid else { throw .zeroSpanID }

        let parentCount = parent.end - parentStart
        if (1...16).contains(parentCount),
            case .success(let id) = Hex.parse(bytes, at: parentStart, count: parentCount, anyCase: true), id != 0
        {
            self.parentSpanID = SpanID(rawValue: id)
        } else {
            self.parentSpanID = nil
        }

        let flagsCount = bytes.count - flagsStart
        guard (1...16).contains(flagsCount) else { throw .invalidFlags(offset: flagsStart) }
        switch Hex.parse(bytes, at: flagsStart, count: flagsCount, anyCase: true) {
        case .success(let value): self.flags = JaegerFlags(rawValue: UInt8(truncatingIfNeeded: value))
        case .failure(let error): throw .invalidFlags(offset: error.offset)
        }
    }

    /// The end of the field that starts at `start`, and where the next field starts (`nil` when
    /// this one is the last): fields end at `:` or at its URL encoding `%3A`.
    private static func field(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (end: Int, next: Int?) {
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ":") { return (index, index + 1) }
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "3"),
                bytes[index + 2] | 0x20 == UInt8(ascii: "a")
            {
                return (index, index + 3)
            }
            index += 1
        }
        return (bytes.count, nil)
    }

    /// The value as OpenTelemetry's propagators write it: a 32-digit trace id, a 16-digit span id,
    /// the parent span id or `0`, and the flags in hex without leading zeros.
    public var headerValue: String {
        "\(traceID):\(spanID):\(parentSpanID?.description ?? "0"):\(String(flags.rawValue, radix: 16))"
    }

    /// `headerValue`.
    public var description: String { headerValue }
}

extension TraceContext {
    /// The context of an `uber-trace-id` value. `sampled` maps to the sampled flag; `debug` makes
    /// the context a debug one only together with `sampled`, as opentelemetry-go reads it;
    /// `firehose` has no counterpart and is dropped.
    public init(uberTraceID: UberTraceID) {
        let sampled = uberTraceID.flags.contains(.sampled)
        self.init(
            traceID: uberTraceID.traceID, spanID: uberTraceID.spanID, flags: sampled ? .sampled : [],
            parentSpanID: uberTraceID.parentSpanID, isDebug: sampled && uberTraceID.flags.contains(.debug))
    }

    /// The `uber-trace-id` that carries this context: flags `3` for a debug context, `1` sampled, `0` not.
    public var uberTraceID: UberTraceID {
        let flags: JaegerFlags = isDebug ? [.sampled, .debug] : isSampled ? .sampled : []
        return UberTraceID(traceID: traceID, spanID: spanID, parentSpanID: parentSpanID, flags: flags)
    }
}
