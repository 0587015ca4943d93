// libFuzzer target for OTLPCodec's protobuf decoding. Built by scripts/fuzz with all of
// Sources/OTLPCodec in one module (module OTLPCodec), over separately built FaroModel and
// ProtobufWire modules, so OTLPCodec's internal API is reachable.
//
// Each input is decoded as a traces, logs and metrics request, and these invariants are checked;
// a violation calls fatalError, which libFuzzer reports as a crash with the input saved:
//   - decoding never crashes; a thrown error has 0 <= offset <= size;
//   - on success, our encoding of the message decodes to a message that encodes to the same
//     bytes (encoding is a function of the message, and decoding inverts it);
//   - the protobuf-to-JSON transcoding succeeds on the same input; the JSON of our encoding of the
//     message transcodes back to protobuf whose JSON is the same again (JSON, where every NaN is
//     "NaN", being the one form in which a message with NaN payload bits compares equal).

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

/// Checks one signal: `decode` makes the message of protobuf bytes, `encode` writes it.
private func checkSignal<Message>(
    _ signal: OTLPSignal, _ input: UnsafeRawBufferPointer,
    decode: (UnsafeRawBufferPointer) throws(OTLPDecodingError) -> Message,
    encode: (Message, inout ContiguousArray<UInt8>) -> Void
) {
    let message: Message
    do throws(OTLPDecodingError) {
        message = try decode(input)
    } catch {
        check((0...input.count).contains(error.offset), "\(signal): offset of \(error) outside 0...\(input.count)")
        check(!error.description.isEmpty, "empty description")
        return
    }
    var encoded = ContiguousArray<UInt8>()
    encode(message, &encoded)
    var again = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        let decoded = try encoded.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in try decode(bytes) })
        encode(decoded, &again)
    } catch {
        fatalError("fuzz invariant violated: \(signal): our encoding does not decode: \(error)")
    }
    check(again == encoded, "\(signal): encode(decode(encode(m))) differs from encode(m)")

    var inputJSON = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        try OTLPJSON.transcodeToJSON(input, signal: signal, into: &inputJSON)
    } catch {
        fatalError("fuzz invariant violated: \(signal): decodes, but does not transcode to JSON: \(error)")
    }
    // Through JSON and back, from our encoding of the message (where an empty attribute value is
    // absent, as it may not be in the input), the JSON stays the same.
    var json = ContiguousArray<UInt8>()
    var fromJSON = ContiguousArray<UInt8>()
    var viaJSON = ContiguousArray<UInt8>()
    var jsonAgain = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        try encoded.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &json, maxDepth: .max)
        })
        try json.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToProtobuf(bytes, signal: signal, into: &fromJSON, maxDepth: .max)
        })
        let decoded = try fromJSON.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in try decode(bytes) })
        encode(decoded, &viaJSON)
        try viaJSON.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &jsonAgain, maxDepth: .max)
        })
    } catch {
        fatalError("fuzz invariant violated: \(signal): our JSON does not read back: \(error); JSON: \(String(decoding: json, as: UTF8.self))")
    }
    // Compared as JSON: a NaN's payload bits do not survive JSON, where every NaN is "NaN".
    check(jsonAgain == json, "\(signal): the message changed through JSON: \(String(decoding: json, as: UTF8.self))")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    checkSignal(.traces, input, decode: { (bytes) throws(OTLPDecodingError) in try OTLPTracesData(protobuf: bytes) }) {
        $0.encodeProtobuf(into: &$1)
    }
    checkSignal(.logs, input, decode: { (bytes) throws(OTLPDecodingError) in try OTLPLogsData(protobuf: bytes) }) {
        $0.encodeProtobuf(into: &$1)
    }
    checkSignal(.metrics, input, decode: { (bytes) throws(OTLPDecodingError) in try OTLPMetricsData(protobuf: bytes) }) {
        $0.encodeProtobuf(into: &$1)
    }
    return 0
}
