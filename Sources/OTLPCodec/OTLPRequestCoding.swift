public import ProtobufWire

// The public entry points of the three signals: protobuf and OTLP/JSON, each way. They share the
// generic helpers of `OTLPRequestCoding`.

extension OTLPTracesData {
    /// Decodes an `ExportTraceServiceRequest` (or `TracesData`) from protobuf, skipping unknown fields.
    public init(protobuf bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        self = try OTLPRequestCoding.decodeProtobuf(bytes, maxDepth: maxDepth)
    }

    /// Decodes OTLP/JSON `{"resourceSpans": […]}`.
    public init(json: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        self = try OTLPRequestCoding.decodeJSON(json, signal: .traces, maxDepth: maxDepth)
    }

    /// Appends the protobuf `ExportTraceServiceRequest` to `buffer`.
    public func encodeProtobuf(into buffer: inout ContiguousArray<UInt8>) {
        OTLPRequestCoding.encodeProtobuf(self, into: &buffer)
    }

    /// Appends the OTLP/JSON of the batch to `buffer`.
    public func encodeJSON(into buffer: inout ContiguousArray<UInt8>) {
        OTLPRequestCoding.encodeJSON(self, signal: .traces, into: &buffer)
    }
}

extension OTLPLogsData {
    /// Decodes an `ExportLogsServiceRequest` (or `LogsData`) from protobuf, skipping unknown fields.
    public init(protobuf bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        self = try OTLPRequestCoding.decodeProtobuf(bytes, maxDepth: maxDepth)
    }

    /// Decodes OTLP/JSON `{"resourceLogs": […]}`.
    public init(json: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        self = try OTLPRequestCoding.decodeJSON(json, signal: .logs, maxDepth: maxDepth)
    }

    /// Appends the protobuf `ExportLogsServiceRequest` to `buffer`.
    public func encodeProtobuf(into buffer: inout ContiguousArray<UInt8>) {
        OTLPRequestCoding.encodeProtobuf(self, into: &buffer)
    }

    /// Appends the OTLP/JSON of the batch to `buffer`.
    public func encodeJSON(into buffer: inout ContiguousArray<UInt8>) {
        OTLPRequestCoding.encodeJSON(self, signal: .logs, into: &buffer)
    }
}

extension OTLPMetricsData {
    /// Decodes an `ExportMetricsServiceRequest` (or `MetricsData`) from protobuf, skipping unknown fields.
    public init(protobuf bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        self = try OTLPRequestCoding.decodeProtobuf(bytes, maxDepth: maxDepth)
    }

    /// Decodes OTLP/JSON `{"resourceMetrics": […]}`.
    public init(json: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        self = try OTLPRequestCoding.decodeJSON(json, signal: .metrics, maxDepth: maxDepth)
    }

    /// Appends the protobuf `ExportMetricsServiceRequest` to `buffer`.
    public func encodeProtobuf(into buffer: inout ContiguousArray<UInt8>) {
        OTLPRequestCoding.encodeProtobuf(self, into: &buffer)
    }

    /// Appends the OTLP/JSON of the batch to `buffer`.
    public func encodeJSON(into buffer: inout ContiguousArray<UInt8>) {
        OTLPRequestCoding.encodeJSON(self, signal: .metrics, into: &buffer)
    }
}

/// What the entry points of the three signals share.
enum OTLPRequestCoding {
    /// Decodes a request from protobuf.
    static func decodeProtobuf<Request: ProtobufDecodable>(
        _ bytes: UnsafeRawBufferPointer, maxDepth: Int
    ) throws(OTLPDecodingError) -> Request {
        var reader = ProtobufReader(bytes, maxDepth: maxDepth)
        var strings = OTLPStringTable()
        return try Request(protobuf: &reader, strings: &strings)
    }

    /// Decodes a request from OTLP/JSON, through protobuf.
    static func decodeJSON<Request: ProtobufDecodable>(
        _ json: UnsafeRawBufferPointer, signal: OTLPSignal, maxDepth: Int
    ) throws(OTLPDecodingError) -> Request {
        var protobuf = ContiguousArray<UInt8>()
        try OTLPJSON.transcodeToProtobuf(json, signal: signal, into: &protobuf, maxDepth: maxDepth)
        return try protobuf.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try decodeProtobuf(bytes, maxDepth: maxDepth)
        })
    }

    /// Appends a request as protobuf.
    static func encodeProtobuf(_ request: some ProtobufEncodable, into buffer: inout ContiguousArray<UInt8>) {
        ProtobufWriter.append(to: &buffer) { request.encode(to: &$0) }
    }

    /// Appends a request as OTLP/JSON, through protobuf.
    static func encodeJSON(_ request: some ProtobufEncodable, signal: OTLPSignal, into buffer: inout ContiguousArray<UInt8>) {
        var protobuf = ContiguousArray<UInt8>()
        encodeProtobuf(request, into: &protobuf)
        // Our own encoding always reads back.
        try! protobuf.withUnsafeBytes { try OTLPJSON.transcodeToJSON($0, signal: signal, into: &buffer, maxDepth: .max) }
    }
}
