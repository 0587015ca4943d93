public import ProtobufWire

/// OTLP protobuf requests, checked without building messages.
///
/// ```swift
/// try body.withUnsafeBytes { try OTLPProtobuf.validate($0, signal: .traces) }
/// ```
public enum OTLPProtobuf {
    /// Reads a protobuf request of `signal` as `OTLPJSON.transcodeToJSON` reads it, without writing
    /// anything: it throws exactly when transcoding would, the same error.
    public static func validate(
        _ protobuf: UnsafeRawBufferPointer, signal: OTLPSignal, maxDepth: Int = ProtobufReader.defaultMaxDepth
    ) throws(OTLPDecodingError) {
        var visitor = OTLPValidationVisitor()
        try OTLPSchemaWalk.walkMessage(signal.message, ProtobufReader(protobuf, maxDepth: maxDepth), visitor: &visitor)
    }
}
