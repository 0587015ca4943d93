/// A batch of spans (`TracesData`, which is on the wire the `ExportTraceServiceRequest` of OTLP/gRPC
/// and OTLP/HTTP): spans grouped by the resource and then the instrumentation scope that produced them.
public struct OTLPTracesData: Sendable, Hashable {
    /// The spans of each resource.
    public var resourceSpans: [OTLPResourceSpans]

    /// Creates a batch.
    public init(resourceSpans: [OTLPResourceSpans] = []) {
        self.resourceSpans = resourceSpans
    }
}

/// The spans of one resource (`ResourceSpans`).
public struct OTLPResourceSpans: Sendable, Hashable {
    /// The resource; `nil` when the field is absent.
    public var resource: OTLPResource?
    /// The spans of each instrumentation scope.
    public var scopeSpans: [OTLPScopeSpans]
    /// The schema URL of the resource's attributes.
    public var schemaURL: String

    /// Creates the spans of a resource.
    public init(resource: OTLPResource? = nil, scopeSpans: [OTLPScopeSpans] = [], schemaURL: String = "") {
        self.resource = resource
        self.scopeSpans = scopeSpans
        self.schemaURL = schemaURL
    }
}

/// The spans of one instrumentation scope (`ScopeSpans`).
public struct OTLPScopeSpans: Sendable, Hashable {
    /// The scope; `nil` when the field is absent.
    public var scope: OTLPInstrumentationScope?
    /// The spans.
    public var spans: [OTLPSpan]
    /// The schema URL of the spans' attributes.
    public var schemaURL: String

    /// Creates the spans of a scope.
    public init(scope: OTLPInstrumentationScope? = nil, spans: [OTLPSpan] = [], schemaURL: String = "") {
        self.scope = scope
        self.spans = spans
        self.schemaURL = schemaURL
    }
}
