/// A batch of log records (`LogsData`, which is on the wire the `ExportLogsServiceRequest` of
/// OTLP/gRPC and OTLP/HTTP): records grouped by resource and then instrumentation scope.
public struct OTLPLogsData: Sendable, Hashable {
    /// The records of each resource.
    public var resourceLogs: [OTLPResourceLogs]

    /// Creates a batch.
    public init(resourceLogs: [OTLPResourceLogs] = []) {
        self.resourceLogs = resourceLogs
    }
}

/// The log records of one resource (`ResourceLogs`).
public struct OTLPResourceLogs: Sendable, Hashable {
    /// The resource; `nil` when the field is absent.
    public var resource: OTLPResource?
    /// The records of each instrumentation scope.
    public var scopeLogs: [OTLPScopeLogs]
    /// The schema URL of the resource's attributes.
    public var schemaURL: String

    /// Creates the records of a resource.
    public init(resource: OTLPResource? = nil, scopeLogs: [OTLPScopeLogs] = [], schemaURL: String = "") {
        self.resource = resource
        self.scopeLogs = scopeLogs
        self.schemaURL = schemaURL
    }
}

/// The log records of one instrumentation scope (`ScopeLogs`).
public struct OTLPScopeLogs: Sendable, Hashable {
    /// The scope; `nil` when the field is absent.
    public var scope: OTLPInstrumentationScope?
    /// The records.
    public var logRecords: [OTLPLogRecord]
    /// The schema URL of the records' attributes.
    public var schemaURL: String

    /// Creates the records of a scope.
    public init(scope: OTLPInstrumentationScope? = nil, logRecords: [OTLPLogRecord] = [], schemaURL: String = "") {
        self.scope = scope
        self.logRecords = logRecords
        self.schemaURL = schemaURL
    }
}
