// libFuzzer target for OTLPCodec's protobuf decoding. Built by scripts/fuzz with all of
// Sources/OTLPCodec and Fuzz/OTLPShared in one module (module OTLPCodec), over separately built
// FaroModel and ProtobufWire modules, so OTLPCodec's internal API is reachable.
//
// Each input is decoded as a traces, logs and metrics request, and these invariants are checked;
// a violation calls fatalError, which libFuzzer reports as a crash with the input saved:
//   - decoding never crashes; a thrown error has 0 <= offset <= size;
//   - on success, our encoding of the message decodes to a message that encodes to the same
//     bytes (encoding is a function of the message, and decoding inverts it);
//   - the protobuf-to-JSON transcoding succeeds on the same input; the JSON of our encoding of the
//     message reads back to a message whose JSON is the same again (`checkJSONRoundTrip`);
//   - `OTLPProtobuf.validate` accepts the input exactly when transcoding to JSON does, with the
//     same error.

import ProtobufWire

/// Checks the input as a request of type `Request`.
private func checkSignal<Request: FuzzedRequest>(_: Request.Type, _ signal: OTLPSignal, _ input: UnsafeRawBufferPointer) {
    var transcoded = ContiguousArray<UInt8>()
    let transcoding = Result { () throws(OTLPDecodingError) in try OTLPJSON.transcodeToJSON(input, signal: signal, into: &transcoded) }
    let validation = Result { () throws(OTLPDecodingError) in try OTLPProtobuf.validate(input, signal: signal) }
    switch (transcoding, validation) {
    case (.success, .success): break
    case (.failure(let a), .failure(let b)): check(a == b, "\(signal): validate threw \(b), transcoding \(a)")
    default: fatalError("fuzz invariant violated: \(signal): validate and transcoding disagree: \(transcoding), \(validation)")
    }
    let message: Request
    do throws(OTLPDecodingError) {
        message = try OTLPRequestCoding.decodeProtobuf(input, maxDepth: ProtobufReader.defaultMaxDepth)
    } catch {
        check((0...input.count).contains(error.offset), "\(signal): offset of \(error) outside 0...\(input.count)")
        check(!error.description.isEmpty, "empty description")
        return
    }
    var encoded = ContiguousArray<UInt8>()
    OTLPRequestCoding.encodeProtobuf(message, into: &encoded)
    var again = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        let decoded: Request = try encoded.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPRequestCoding.decodeProtobuf(bytes, maxDepth: ProtobufReader.defaultMaxDepth)
        })
        OTLPRequestCoding.encodeProtobuf(decoded, into: &again)
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
    // From our encoding, where an empty attribute value is absent, as it may not be in the input.
    checkJSONRoundTrip(Request.self, signal, encoded: encoded)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    forEachSignal { request, signal in checkSignal(request, signal, input) }
    return 0
}
