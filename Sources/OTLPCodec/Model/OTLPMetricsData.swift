/// A batch of metrics (`MetricsData`, which is on the wire the `ExportMetricsServiceRequest` of
/// OTLP/gRPC and OTLP/HTTP): metrics grouped by resource and then instrumentation scope.
public struct OTLPMetricsData: Sendable, Hashable {
    /// The metrics of each resource.
    public var resourceMetrics: [OTLPResourceMetrics]

    /// Creates a batch.
    public init(resourceMetrics: [OTLPResourceMetrics] = []) {
        self.resourceMetrics = resourceMetrics
    }
}

/// The metrics of one resource (`ResourceMetrics`).
public struct OTLPResourceMetrics: Sendable, Hashable {
    /// The resource; `nil` when the field is absent.
    public var resource: OTLPResource?
    /// The metrics of each instrumentation scope.
    public var scopeMetrics: [OTLPScopeMetrics]
    /// The schema URL of the resource's attributes.
    public var schemaURL: String

    /// Creates the metrics of a resource.
    public init(resource: OTLPResource? = nil, scopeMetrics: [OTLPScopeMetrics] = [], schemaURL: String = "") {
        self.resource = resource
        self.scopeMetrics = scopeMetrics
        self.schemaURL = schemaURL
    }
}

/// The metrics of one instrumentation scope (`ScopeMetrics`).
public struct OTLPScopeMetrics: Sendable, Hashable {
    /// The scope; `nil` when the field is absent.
    public var scope: OTLPInstrumentationScope?
    /// The metrics.
    public var metrics: [OTLPMetric]
    /// The schema URL of the metrics' attributes.
    public var schemaURL: String

    /// Creates the metrics of a scope.
    public init(scope: OTLPInstrumentationScope? = nil, metrics: [OTLPMetric] = [], schemaURL: String = "") {
        self.scope = scope
        self.metrics = metrics
        self.schemaURL = schemaURL
    }
}
