public import ProtobufWire

/// Builds an OTLP `ExportTraceServiceRequest` straight into a buffer, span by span, with no
/// intermediate objects: the hot path of exporters. Into a reused buffer it allocates nothing.
///
/// ```swift
/// var buffer = ContiguousArray<UInt8>()
/// OTLPTracesBuilder.append(to: &buffer) { traces in
///     traces.resourceSpans(resource: { $0.attribute("service.name", "checkout") }) { resource in
///         resource.scopeSpans(name: "swift-rum", version: "1.0") { scope in
///             scope.span(traceID: traceID, spanID: spanID, name: "GET /cart", kind: .server,
///                        startTimeUnixNano: start, endTimeUnixNano: end) { span in
///                 span.attribute("http.response.status_code", 200)
///                 span.event(timeUnixNano: start + 1_000, name: "cache.miss")
///             }
///         }
///     }
/// }
/// ```
public struct OTLPTracesBuilder: OTLPMessageWriting {
    /// The writer of the request.
    public var writer: ProtobufWriter

    /// A builder that appends to `writer`'s buffer.
    public init(writer: ProtobufWriter = ProtobufWriter()) {
        self.writer = writer
    }

    /// Runs `body` with a builder that appends a request to `buffer`, without copying the buffer.
    public static func append(to buffer: inout ContiguousArray<UInt8>, _ body: (inout OTLPTracesBuilder) -> Void) {
        ProtobufWriter.append(to: &buffer) { $0.with(OTLPTracesBuilder.self, body) }
    }

    /// Appends the spans of one resource (`ResourceSpans`): `resource` writes the resource's
    /// attributes, `body` its scopes.
    public mutating func resourceSpans(
        schemaURL: String = "", resource: (inout OTLPResourceWriter) -> Void, _ body: (inout OTLPResourceSpansWriter) -> Void
    ) {
        writer.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeMessage(field: 1) { $0.with(OTLPResourceWriter.self, resource) }
            resourceSpans.with(OTLPResourceSpansWriter.self, body)
            resourceSpans.writeStringUnlessEmpty(field: 3, schemaURL)
        }
    }
}

/// Writes the attributes of a `Resource`.
public struct OTLPResourceWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the resource.
    public var writer: ProtobufWriter
    /// `Resource.attributes`.
    public static var attributesField: Int { 1 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}

/// Writes the scopes of a `ResourceSpans`.
public struct OTLPResourceSpansWriter: OTLPMessageWriting {
    /// The writer of the resource's spans.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends the spans of one instrumentation scope (`ScopeSpans`).
    public mutating func scopeSpans(
        name: String, version: String = "", schemaURL: String = "", _ body: (inout OTLPScopeSpansWriter) -> Void
    ) {
        writer.writeMessage(field: 2) { scopeSpans in
            scopeSpans.writeMessage(field: 1) { scope in
                scope.writeStringUnlessEmpty(field: 1, name)
                scope.writeStringUnlessEmpty(field: 2, version)
            }
            scopeSpans.with(OTLPScopeSpansWriter.self, body)
            scopeSpans.writeStringUnlessEmpty(field: 3, schemaURL)
        }
    }
}

/// Writes the spans of a `ScopeSpans`.
public struct OTLPScopeSpansWriter: OTLPMessageWriting {
    /// The writer of the scope's spans.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends a span; `body` writes its attributes, events and links.
    public mutating func span(
        traceID: OTLPTraceID?, spanID: OTLPSpanID?, traceState: String = "", parentSpanID: OTLPSpanID? = nil,
        flags: UInt32 = 0, name: String, kind: OTLPSpan.Kind = .unspecified, startTimeUnixNano: UInt64,
        endTimeUnixNano: UInt64, status: OTLPStatus? = nil, droppedAttributesCount: UInt32 = 0,
        droppedEventsCount: UInt32 = 0, droppedLinksCount: UInt32 = 0, _ body: (inout OTLPSpanWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 2) { span in
            span.writeTraceID(field: 1, traceID)
            span.writeSpanID(field: 2, spanID)
            span.writeStringUnlessEmpty(field: 3, traceState)
            span.writeSpanID(field: 4, parentSpanID)
            span.writeStringUnlessEmpty(field: 5, name)
            span.writeInt32UnlessZero(field: 6, kind.rawValue)
            span.writeFixed64UnlessZero(field: 7, startTimeUnixNano)
            span.writeFixed64UnlessZero(field: 8, endTimeUnixNano)
            span.with(OTLPSpanWriter.self, body)
            span.writeVarintUnlessZero(field: 10, UInt64(droppedAttributesCount))
            span.writeVarintUnlessZero(field: 12, UInt64(droppedEventsCount))
            span.writeVarintUnlessZero(field: 14, UInt64(droppedLinksCount))
            if let status { span.writeMessage(field: 15, status) }
            span.writeFixed32UnlessZero(field: 16, flags)
        }
    }
}

/// Writes the attributes, events and links of a `Span`.
public struct OTLPSpanWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the span.
    public var writer: ProtobufWriter
    /// `Span.attributes`.
    public static var attributesField: Int { 9 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends an event; `body` writes its attributes.
    public mutating func event(
        timeUnixNano: UInt64, name: String, droppedAttributesCount: UInt32 = 0,
        _ body: (inout OTLPSpanEventWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 11) { event in
            event.writeFixed64UnlessZero(field: 1, timeUnixNano)
            event.writeStringUnlessEmpty(field: 2, name)
            event.with(OTLPSpanEventWriter.self, body)
            event.writeVarintUnlessZero(field: 4, UInt64(droppedAttributesCount))
        }
    }

    /// Appends a link; `body` writes its attributes.
    public mutating func link(
        traceID: OTLPTraceID?, spanID: OTLPSpanID?, traceState: String = "", flags: UInt32 = 0,
        droppedAttributesCount: UInt32 = 0, _ body: (inout OTLPSpanLinkWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 13) { link in
            link.writeTraceID(field: 1, traceID)
            link.writeSpanID(field: 2, spanID)
            link.writeStringUnlessEmpty(field: 3, traceState)
            link.with(OTLPSpanLinkWriter.self, body)
            link.writeVarintUnlessZero(field: 5, UInt64(droppedAttributesCount))
            link.writeFixed32UnlessZero(field: 6, flags)
        }
    }
}

/// Writes the attributes of a `Span.Event`.
public struct OTLPSpanEventWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the event.
    public var writer: ProtobufWriter
    /// `Span.Event.attributes`.
    public static var attributesField: Int { 3 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}

/// Writes the attributes of a `Span.Link`.
public struct OTLPSpanLinkWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the link.
    public var writer: ProtobufWriter
    /// `Span.Link.attributes`.
    public static var attributesField: Int { 4 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}

extension OTLPScopeSpansWriter {
    /// Appends `span`.
    public mutating func span(_ span: OTLPSpan) {
        self.span(
            traceID: span.traceID, spanID: span.spanID, traceState: span.traceState, parentSpanID: span.parentSpanID,
            flags: span.flags, name: span.name, kind: span.kind, startTimeUnixNano: span.startTimeUnixNano,
            endTimeUnixNano: span.endTimeUnixNano, status: span.status, droppedAttributesCount: span.droppedAttributesCount,
            droppedEventsCount: span.droppedEventsCount, droppedLinksCount: span.droppedLinksCount
        ) { writer in
            writer.attributes(span.attributes)
            for event in span.events {
                writer.event(timeUnixNano: event.timeUnixNano, name: event.name, droppedAttributesCount: event.droppedAttributesCount) {
                    $0.attributes(event.attributes)
                }
            }
            for link in span.links {
                writer.link(
                    traceID: link.traceID, spanID: link.spanID, traceState: link.traceState, flags: link.flags,
                    droppedAttributesCount: link.droppedAttributesCount
                ) { $0.attributes(link.attributes) }
            }
        }
    }
}
