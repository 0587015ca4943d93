public import ProtobufWire

/// The three OTLP signals, for the transcoding entry points.
public enum OTLPSignal: Sendable, Hashable, CaseIterable {
    /// Spans: `ExportTraceServiceRequest`, `{"resourceSpans": […]}`.
    case traces
    /// Log records: `ExportLogsServiceRequest`, `{"resourceLogs": […]}`.
    case logs
    /// Metrics: `ExportMetricsServiceRequest`, `{"resourceMetrics": […]}`.
    case metrics

    /// The top-level message of the signal.
    var message: OTLPMessage {
        switch self {
        case .traces: return .tracesData
        case .logs: return .logsData
        case .metrics: return .metricsData
        }
    }
}

/// OTLP/JSON, as the OTLP specification defines it, to and from protobuf, without building messages.
///
/// ```swift
/// var protobuf = ContiguousArray<UInt8>()
/// try payload.traces?.withUnsafeBytes { json in
///     try OTLPJSON.transcodeToProtobuf(json, signal: .traces, into: &protobuf)
/// }
/// ```
public enum OTLPJSON {
    /// Reads OTLP/JSON of `signal` and appends the protobuf request to `buffer`. On error, `buffer`
    /// is left as it was.
    public static func transcodeToProtobuf(
        _ json: UnsafeRawBufferPointer, signal: OTLPSignal, into buffer: inout ContiguousArray<UInt8>,
        maxDepth: Int = ProtobufReader.defaultMaxDepth
    ) throws(OTLPDecodingError) {
        let start = buffer.count
        do throws(OTLPDecodingError) {
            try ProtobufWriter.append(to: &buffer) { (writer: inout ProtobufWriter) throws(OTLPDecodingError) in
                var reader = OTLPJSONReader(json, maxDepth: maxDepth)
                try reader.readDocument(signal.message, into: &writer)
            }
        } catch {
            buffer.removeSubrange(start...)
            throw error
        }
    }

    /// Reads a protobuf request of `signal` and appends its OTLP/JSON to `buffer`. On error, `buffer`
    /// is left as it was.
    public static func transcodeToJSON(
        _ protobuf: UnsafeRawBufferPointer, signal: OTLPSignal, into buffer: inout ContiguousArray<UInt8>,
        maxDepth: Int = ProtobufReader.defaultMaxDepth
    ) throws(OTLPDecodingError) {
        let start = buffer.count
        do throws(OTLPDecodingError) {
            try OTLPJSONWriter.writeMessage(signal.message, ProtobufReader(protobuf, maxDepth: maxDepth), to: &buffer)
        } catch {
            buffer.removeSubrange(start...)
            throw error
        }
    }
}
