// libFuzzer target for LokiPushCodec. Built by scripts/fuzz in one swiftc invocation with all of
// Sources/LokiPushCodec (over ProtobufWire, Snappy and the system's zlib), so internal API is
// reachable without @testable.
//
// Every input is used three ways. Checked (a violation calls fatalError, which libFuzzer reports
// as a crash with the input saved):
//   - as a label string: parsing never crashes; a parsed set renders to its canonical form,
//     which parses back to the same set and renders the same;
//   - as an uncompressed `PushRequest`, decoded into a batch that already holds an entry: a
//     failed decode leaves the batch as it was; a successful one encodes (protobuf, Snappy body,
//     JSON, gzip) and decodes back to the same streams;
//   - as a Snappy body, decoded under a 64 KiB limit: never crashes.

private func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

nonisolated(unsafe) private var encoder = LokiPushEncoder()

/// A batch with one entry, to decode into.
private func seededBatch() -> LokiBatch {
    var batch = LokiBatch()
    let stream = batch.stream(try! LokiLabels(["app": "fuzz"]))
    try! batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: 1, nanoseconds: 2), line: "seed"), to: stream)
    return batch
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)

    if let labels = try? LokiLabels(parsing: raw) {
        let again = labels.canonicalBytes.withUnsafeBytes { try? LokiLabels(parsing: $0) }
        check(again == labels, "\(labels.rendered) does not parse back to itself")
        check(again?.canonicalBytes == labels.canonicalBytes, "\(labels.rendered) renders differently once parsed")
    }

    let seed = seededBatch()
    var batch = seed
    let decoded = Result { () throws(LokiPushDecodingError) in try LokiPushRequestDecoder.decodePushRequest(raw, into: &batch) }
    switch decoded {
    case .failure:
        check(batch.streams == seed.streams && batch.byteCount == seed.byteCount, "a failed decode changed the batch")
    case .success:
        var request = ContiguousArray<UInt8>()
        encoder.encodePushRequest(batch, into: &request)
        var again = LokiBatch()
        let reread = request.withUnsafeBytes { bytes in
            Result { () throws(LokiPushDecodingError) in try LokiPushRequestDecoder.decodePushRequest(bytes, into: &again) }
        }
        check((try? reread.get()) != nil, "our own request does not decode: \(reread)")
        check(again.streams == batch.streams, "the request does not decode to the batch")
        var body = ContiguousArray<UInt8>()
        encoder.encodeProtobufBody(batch, into: &body)
        var fromBody = LokiBatch()
        let unpacked = body.withUnsafeBytes { bytes in
            Result { () throws(LokiPushDecodingError) in
                try LokiPushRequestDecoder.decodeProtobufBody(bytes, maximumLength: request.count, into: &fromBody)
            }
        }
        check((try? unpacked.get()) != nil, "our own body does not decode: \(unpacked)")
        check(fromBody.streams == batch.streams, "the body does not decode to the batch")
        var json = ContiguousArray<UInt8>()
        encoder.encodeJSONBody(batch, gzip: true, into: &json)
        check(json.starts(with: [0x1F, 0x8B]), "the gzip body has no gzip header")
    }

    var fromSnappy = LokiBatch()
    _ = Result { () throws(LokiPushDecodingError) in
        try LokiPushRequestDecoder.decodeProtobufBody(raw, maximumLength: 1 << 16, into: &fromSnappy)
    }
    return 0
}
