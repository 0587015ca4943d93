// libFuzzer target for OTLPCodec's OTLP/JSON reader. Built by scripts/fuzz with all of
// Sources/OTLPCodec in one module (module OTLPCodec), over separately built FaroModel and
// ProtobufWire modules.
//
// Each input is read as OTLP/JSON of traces, logs and metrics, and these invariants are checked;
// a violation calls fatalError, which libFuzzer reports as a crash with the input saved:
//   - reading never crashes; a thrown error has 0 <= offset <= size, and leaves the buffer as it was;
//   - on success, the protobuf it wrote decodes, and the JSON we write for that message reads back
//     to a message whose JSON is the same again.

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

/// Checks one signal: `decode` makes the message of protobuf bytes, `encode` writes it.
private func checkSignal<Message>(
    _ signal: OTLPSignal, _ input: UnsafeRawBufferPointer,
    decode: (UnsafeRawBufferPointer) throws(OTLPDecodingError) -> Message,
    encode: (Message, inout ContiguousArray<UInt8>) -> Void
) {
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
    var json = ContiguousArray<UInt8>()
    var again = ContiguousArray<UInt8>()
    var jsonAgain = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        let message = try ContiguousArray(protobuf.dropFirst(prefix.count)).withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in try decode(bytes) })
        encode(message, &encoded)
        try encoded.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &json, maxDepth: .max)
        })
        var reread = ContiguousArray<UInt8>()
        try json.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToProtobuf(bytes, signal: signal, into: &reread, maxDepth: .max)
        })
        let message2 = try reread.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in try decode(bytes) })
        encode(message2, &again)
        try again.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &jsonAgain, maxDepth: .max)
        })
    } catch {
        fatalError("fuzz invariant violated: \(signal): read, but \(error); JSON: \(String(decoding: json, as: UTF8.self))")
    }
    check(jsonAgain == json, "\(signal): the message changed through our JSON: \(String(decoding: json, as: UTF8.self))")
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
