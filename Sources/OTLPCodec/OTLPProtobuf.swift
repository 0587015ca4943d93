public import ProtobufWire

// The public protobuf entry points of the three signals.

extension OTLPTracesData {
    /// Decodes an `ExportTraceServiceRequest` (or `TracesData`) from protobuf, skipping unknown fields.
    public init(protobuf bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        var reader = ProtobufReader(bytes, maxDepth: maxDepth)
        var strings = OTLPStringTable()
        try self.init(protobuf: &reader, strings: &strings)
    }

    /// Appends the protobuf `ExportTraceServiceRequest` to `buffer`.
    public func encodeProtobuf(into buffer: inout ContiguousArray<UInt8>) {
        ProtobufWriter.append(to: &buffer) { encode(to: &$0) }
    }
}

extension OTLPLogsData {
    /// Decodes an `ExportLogsServiceRequest` (or `LogsData`) from protobuf, skipping unknown fields.
    public init(protobuf bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        var reader = ProtobufReader(bytes, maxDepth: maxDepth)
        var strings = OTLPStringTable()
        try self.init(protobuf: &reader, strings: &strings)
    }

    /// Appends the protobuf `ExportLogsServiceRequest` to `buffer`.
    public func encodeProtobuf(into buffer: inout ContiguousArray<UInt8>) {
        ProtobufWriter.append(to: &buffer) { encode(to: &$0) }
    }
}

extension OTLPMetricsData {
    /// Decodes an `ExportMetricsServiceRequest` (or `MetricsData`) from protobuf, skipping unknown fields.
    public init(protobuf bytes: UnsafeRawBufferPointer, maxDepth: Int = ProtobufReader.defaultMaxDepth) throws(OTLPDecodingError) {
        var reader = ProtobufReader(bytes, maxDepth: maxDepth)
        var strings = OTLPStringTable()
        try self.init(protobuf: &reader, strings: &strings)
    }

    /// Appends the protobuf `ExportMetricsServiceRequest` to `buffer`.
    public func encodeProtobuf(into buffer: inout ContiguousArray<UInt8>) {
        ProtobufWriter.append(to: &buffer) { encode(to: &$0) }
    }
}
