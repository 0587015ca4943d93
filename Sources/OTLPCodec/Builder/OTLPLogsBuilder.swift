public import ProtobufWire

/// Builds an OTLP `ExportLogsServiceRequest` straight into a buffer, record by record, with no
/// intermediate objects. Into a reused buffer it allocates nothing.
///
/// ```swift
/// OTLPLogsBuilder.append(to: &buffer) { logs in
///     logs.resourceLogs(resource: { $0.attribute("service.name", "checkout") }) { resource in
///         resource.scopeLogs(name: "swift-rum") { scope in
///             scope.logRecord(timeUnixNano: now, severityNumber: .info, severityText: "INFO", body: .string("hello")) {
///                 $0.attribute("user.id", "u-1")
///             }
///         }
///     }
/// }
/// ```
public struct OTLPLogsBuilder: OTLPMessageWriting {
    /// The writer of the request.
    public var writer: ProtobufWriter

    /// A builder that appends to `writer`'s buffer.
    public init(writer: ProtobufWriter = ProtobufWriter()) {
        self.writer = writer
    }

    /// Runs `body` with a builder that appends a request to `buffer`, without copying the buffer.
    public static func append(to buffer: inout ContiguousArray<UInt8>, _ body: (inout OTLPLogsBuilder) -> Void) {
        ProtobufWriter.append(to: &buffer) { $0.with(OTLPLogsBuilder.self, body) }
    }

    /// Appends the records of one resource (`ResourceLogs`): `resource` writes the resource's
    /// attributes, `body` its scopes.
    public mutating func resourceLogs(
        schemaURL: String = "", resource: (inout OTLPResourceWriter) -> Void, _ body: (inout OTLPResourceLogsWriter) -> Void
    ) {
        writer.writeMessage(field: 1) { resourceLogs in
            resourceLogs.writeMessage(field: 1) { $0.with(OTLPResourceWriter.self, resource) }
            resourceLogs.with(OTLPResourceLogsWriter.self, body)
            resourceLogs.writeStringUnlessEmpty(field: 3, schemaURL)
        }
    }
}

/// Writes the scopes of a `ResourceLogs`.
public struct OTLPResourceLogsWriter: OTLPMessageWriting {
    /// The writer of the resource's records.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends the records of one instrumentation scope (`ScopeLogs`).
    public mutating func scopeLogs(
        name: String, version: String = "", schemaURL: String = "", _ body: (inout OTLPScopeLogsWriter) -> Void
    ) {
        writer.writeMessage(field: 2) { scopeLogs in
            scopeLogs.writeMessage(field: 1) { scope in
                scope.writeStringUnlessEmpty(field: 1, name)
                scope.writeStringUnlessEmpty(field: 2, version)
            }
            scopeLogs.with(OTLPScopeLogsWriter.self, body)
            scopeLogs.writeStringUnlessEmpty(field: 3, schemaURL)
        }
    }
}

/// Writes the log records of a `ScopeLogs`.
public struct OTLPScopeLogsWriter: OTLPMessageWriting {
    /// The writer of the scope's records.
    public var writer: ProtobufWriter
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }

    /// Appends a log record; `body` writes its attributes.
    public mutating func logRecord(
        timeUnixNano: UInt64 = 0, observedTimeUnixNano: UInt64 = 0, severityNumber: OTLPLogRecord.Severity = .unspecified,
        severityText: String = "", body: OTLPAnyValue? = nil, flags: UInt32 = 0, traceID: OTLPTraceID? = nil,
        spanID: OTLPSpanID? = nil, eventName: String = "", droppedAttributesCount: UInt32 = 0,
        _ attributes: (inout OTLPLogRecordWriter) -> Void = { _ in }
    ) {
        writer.writeMessage(field: 2) { record in
            record.writeFixed64UnlessZero(field: 1, timeUnixNano)
            record.writeInt32UnlessZero(field: 2, severityNumber.rawValue)
            record.writeStringUnlessEmpty(field: 3, severityText)
            if let body { record.writeMessage(field: 5, body) }
            record.with(OTLPLogRecordWriter.self, attributes)
            record.writeVarintUnlessZero(field: 7, UInt64(droppedAttributesCount))
            record.writeFixed32UnlessZero(field: 8, flags)
            record.writeTraceID(field: 9, traceID)
            record.writeSpanID(field: 10, spanID)
            record.writeFixed64UnlessZero(field: 11, observedTimeUnixNano)
            record.writeStringUnlessEmpty(field: 12, eventName)
        }
    }

    /// Appends `record`.
    public mutating func logRecord(_ record: OTLPLogRecord) {
        logRecord(
            timeUnixNano: record.timeUnixNano, observedTimeUnixNano: record.observedTimeUnixNano,
            severityNumber: record.severityNumber, severityText: record.severityText, body: record.body, flags: record.flags,
            traceID: record.traceID, spanID: record.spanID, eventName: record.eventName,
            droppedAttributesCount: record.droppedAttributesCount
        ) { $0.attributes(record.attributes) }
    }
}

/// Writes the attributes of a `LogRecord`.
public struct OTLPLogRecordWriter: OTLPMessageWriting, OTLPAttributeWriting {
    /// The writer of the record.
    public var writer: ProtobufWriter
    /// `LogRecord.attributes`.
    public static var attributesField: Int { 6 }
    /// Wraps `writer`.
    public init(writer: ProtobufWriter) { self.writer = writer }
}
