/// The trace context that a request's header fields carry, in whichever format.
///
/// Field names are matched ASCII case-insensitively. The formats are read in this order, and the
/// first that yields a valid context wins:
/// 1. W3C `traceparent`, with `tracestate`. A `traceparent` sent more than once is invalid (the W3C
///    test suite expects a restart then). Several `tracestate` fields are joined with commas; an
///    invalid `tracestate` is discarded and the context kept, and `tracestate` is not read at all
///    when `traceparent` is invalid or absent, as the specification says.
/// 2. B3's single header `b3`.
/// 3. B3's multiple headers `x-b3-*`.
/// 4. Jaeger's `uber-trace-id`.
///
/// Of `b3`, each `x-b3-` header and `uber-trace-id`, the first field counts and any others are
/// ignored, as the B3 specification says of its headers ("the first value wins") and as
/// OpenTelemetry's carriers read a header. A B3 sampling state sent without identifiers
/// (`b3: 0`, or `X-B3-Sampled` alone) yields no context: it is the result only when no format
/// yields one.
///
/// ```swift
/// let extraction = TraceHeaderExtraction(request.headers)   // SwiftNIO's HTTPHeaders, or any
///                                                           // sequence of (name:, value:)
/// switch extraction.found {
/// case .context(let context, let format): continueTrace(context, from: format)
/// case .samplingDecision(let decision): startTrace(sampled: decision != .deny)
/// case .none: startTrace()
/// }
/// ```
public struct TraceHeaderExtraction: Hashable, Sendable {
    /// What the fields yield.
    public enum Found: Hashable, Sendable {
        /// A valid context, and the format that carried it.
        case context(TraceContext, format: TraceHeaderFormat)
        /// No context, only a B3 sampling decision sent without identifiers.
        case samplingDecision(B3SamplingState)
        /// Neither.
        case none
    }

    /// What the fields yield.
    public var found: Found
    /// Why fields were rejected, in the order the formats were read: those read before the format
    /// that yielded the context (and its invalid `tracestate`), or all of them when none did.
    public var errors: [TraceHeaderError]

    /// The context the fields carry, or `nil`.
    public var context: TraceContext? {
        guard case .context(let context, _) = found else { return nil }
        return context
    }

    /// Reads the trace context of a request's header fields.
    public init(
        _ fields: some Sequence<(name: String, value: String)>,
        traceStateOptions: TraceState.ParsingOptions = TraceState.ParsingOptions()
    ) {
        var collected = TraceHeaderFields()
        for field in fields {
            if let name = TraceHeaderName(fieldName: field.name) { collected.add(name, value: field.value) }
        }
        self = collected.extraction(traceStateOptions: traceStateOptions)
    }

    init(found: Found, errors: [TraceHeaderError]) {
        self.found = found
        self.errors = errors
    }
}

/// The trace header fields of one request, gathered in one pass over its fields.
struct TraceHeaderFields {
    private var traceparentCount = 0
    private var tracestates: [String] = []
    /// The first value of each other header.
    private var values: [TraceHeaderName: String] = [:]

    mutating func add(_ name: TraceHeaderName, value: String) {
        switch name {
        case .tracestate:
            tracestates.append(value)
        case .traceparent:
            traceparentCount += 1
            fallthrough
        default:
            if values[name] == nil { values[name] = value }
        }
    }

    func extraction(traceStateOptions: TraceState.ParsingOptions) -> TraceHeaderExtraction {
        var errors: [TraceHeaderError] = []
        func found(_ context: TraceContext, _ format: TraceHeaderFormat) -> TraceHeaderExtraction {
            TraceHeaderExtraction(found: .context(context, format: format), errors: errors)
        }

        if traceparentCount > 1 {
            errors.append(.duplicateTraceparent(traceparentCount))
        } else if let traceparent = values[.traceparent] {
            do {
                let parent = try Traceparent(parsing: traceparent)
                var state = TraceState()
                do {
                    state = try TraceState(parsingFields: tracestates, options: traceStateOptions)
                } catch {
                    errors.append(.tracestate(error))
                }
                return found(TraceContext(traceparent: parent, traceState: state), .w3c)
            } catch {
                errors.append(.traceparent(error))
            }
        }

        var samplingDecision: B3SamplingState?
        if let b3 = values[.b3] {
            do {
                switch try B3Propagation(parsingSingle: b3) {
                case .context(let ids): return found(TraceContext(b3: ids), .b3Single)
                case .samplingOnly(let state): samplingDecision = state
                }
            } catch {
                errors.append(.b3Single(error))
            }
        }
        do {
            switch try B3Propagation(
                traceIDHeader: values[.b3TraceID], spanIDHeader: values[.b3SpanID],
                parentSpanIDHeader: values[.b3ParentSpanID], sampledHeader: values[.b3Sampled],
                flagsHeader: values[.b3Flags])
            {
            case .context(let ids)?: return found(TraceContext(b3: ids), .b3Multiple)
            case .samplingOnly(let state)?: samplingDecision = samplingDecision ?? state
            case nil: break
            }
        } catch {
            errors.append(.b3Multiple(error))
        }

        if let uberTraceID = values[.uberTraceID] {
            do {
                return found(TraceContext(uberTraceID: try UberTraceID(parsing: uberTraceID)), .jaeger)
            } catch {
                errors.append(.uberTraceID(error))
            }
        }
        return TraceHeaderExtraction(found: samplingDecision.map { .samplingDecision($0) } ?? .none, errors: errors)
    }
}
