// libFuzzer target for OTLPCodec's OTLP/JSON reader. Built by scripts/fuzz with all of
// Sources/OTLPCodec and Fuzz/OTLPShared in one module (module OTLPCodec), over separately built
// FaroModel and ProtobufWire modules.
//
// Each input is read as OTLP/JSON of traces, logs and metrics, and these invariants are checked;
// a violation calls fatalError, which libFuzzer reports as a crash with the input saved:
//   - reading never crashes; a thrown error has 0 <= offset <= size, and leaves the buffer as it was;
//   - on success, the protobuf it wrote decodes, and the JSON we write for that message reads back
//     to a message whose JSON is the same again (`checkJSONRoundTrip`).

/// Checks the input as OTLP/JSON of a request of type `Request`.
private func checkSignal<Request: FuzzedRequest>(_: Request.Type, _ signal: OTLPSignal, _ input: UnsafeRawBufferPointer) {
    let prefix: ContiguousArray<UInt8> = [0xAB, 0xCD]
    var protobuf = prefix
    do throws(OTLPDecodingError) {
        try OTLPJSON.transcodeToProtobuf(input, signal: signal, into: &protobuf)
    } catch {
        check((0...input.count).contains(error.offset), "\(signal): offset of \(error) outside 0...\(input.count)")
        check(protobuf == prefix, "\(signal): a failed read changed the buffer")
        return
    }
    check(protobuf.starts(with: prefix), "\(signal): the reader changed bytes before its output")
    var encoded = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        let message: Request = try ContiguousArray(protobuf.dropFirst(prefix.count)).withTypedUnsafeBytes({
            (bytes) throws(OTLPDecodingError) in try OTLPRequestCoding.decodeProtobuf(bytes, maxDepth: .max)
        })
        OTLPRequestCoding.encodeProtobuf(message, into: &encoded)
    } catch {
        fatalError("fuzz invariant violated: \(signal): read, but its protobuf does not decode: \(error)")
    }
    checkJSONRoundTrip(Request.self, signal, encoded: encoded)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    forEachSignal { request, signal in checkSignal(request, signal, input) }
    return 0
}
