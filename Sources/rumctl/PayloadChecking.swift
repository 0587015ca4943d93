import FaroModel
import OTLPCodec

/// Why faro-collector (and Alloy) would refuse a payload: it does not decode, or its `traces` are
/// not OTLP.
struct PayloadError: Error, CustomStringConvertible {
    /// The byte offset of the error in the file; in the `traces` object when `inTraces` (its
    /// bytes rewritten, ill-formed UTF-8 replaced, so that the file's offsets no longer apply).
    let offset: Int
    /// Whether `offset` counts from the start of the `traces` object.
    let inTraces: Bool
    /// The JSON path of the member that is wrong: `$.logs[0].timestamp`, `$.traces.resourceSpans[0]`.
    let path: String
    /// What is wrong.
    let reason: String

    /// The offset as it is printed: `12` or `12 in $.traces`.
    var offsetDescription: String { inTraces ? "\(offset) in $.traces" : "\(offset)" }

    /// `offset 36 at $.logs[0].timestamp: invalid RFC 3339 timestamp`, as `FaroDecodingError` prints.
    var description: String { "offset \(offsetDescription) at \(path): \(reason)" }
}

/// Decodes `input` and checks its `traces` as OTLP, as faro-collector does whether or not it
/// exports traces, and as Alloy, which decodes them with the rest of the payload.
func decodePayload(_ input: ContiguousArray<UInt8>, with decoder: FaroPayloadDecoder) throws(PayloadError) -> FaroPayload {
    let payload: FaroPayload
    do {
        payload = try decoder.decode(input)
    } catch {
        throw PayloadError(offset: error.offset, inTraces: false, path: error.pathDescription, reason: "\(error.reason)")
    }
    guard let traces = payload.traces else { return payload }
    var protobuf = ContiguousArray<UInt8>()
    let transcoded = traces.withUnsafeBytes { json in
        Result { () throws(OTLPDecodingError) in try OTLPJSON.transcodeToProtobuf(json, signal: .traces, into: &protobuf) }
    }
    if case .failure(let error) = transcoded {
        // The decoder keeps the file's bytes for `traces` unless it rewrote them.
        let inFile = traces.storage.withUnsafeBufferPointer { $0.baseAddress } == input.withUnsafeBufferPointer { $0.baseAddress }
        throw PayloadError(
            offset: inFile ? traces.range.lowerBound + error.offset : error.offset, inTraces: !inFile,
            path: error.pathDescription.isEmpty ? "$.traces" : "$.traces.\(error.pathDescription)", reason: "\(error.reason)")
    }
    return payload
}
