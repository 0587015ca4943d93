// What the OTLP fuzz targets share. Compiled into module OTLPCodec with each target by scripts/fuzz.

/// Stops the run with `message` when `condition` fails: libFuzzer reports it as a crash and saves the input.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}

/// A request type of one signal, decoded and encoded through the internal protocols.
typealias FuzzedRequest = ProtobufDecodable & ProtobufEncodable

/// Runs `body` for the request type of each signal.
func forEachSignal(_ body: (any FuzzedRequest.Type, OTLPSignal) -> Void) {
    body(OTLPTracesData.self, .traces)
    body(OTLPLogsData.self, .logs)
    body(OTLPMetricsData.self, .metrics)
}

/// Checks that the JSON we write for our protobuf `encoded` of a `Request` reads back, through
/// protobuf and the model, to a message whose JSON is the same again (compared as JSON: a NaN's
/// payload bits do not survive JSON, where every NaN is "NaN").
func checkJSONRoundTrip<Request: FuzzedRequest>(_: Request.Type, _ signal: OTLPSignal, encoded: ContiguousArray<UInt8>) {
    var json = ContiguousArray<UInt8>()
    var jsonAgain = ContiguousArray<UInt8>()
    do throws(OTLPDecodingError) {
        try encoded.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &json, maxDepth: .max)
        })
        let message: Request = try json.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPRequestCoding.decodeJSON(bytes, signal: signal, maxDepth: .max)
        })
        var again = ContiguousArray<UInt8>()
        OTLPRequestCoding.encodeProtobuf(message, into: &again)
        try again.withTypedUnsafeBytes({ (bytes) throws(OTLPDecodingError) in
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &jsonAgain, maxDepth: .max)
        })
    } catch {
        fatalError("fuzz invariant violated: \(signal): our JSON does not read back: \(error); JSON: \(String(decoding: json, as: UTF8.self))")
    }
    check(jsonAgain == json, "\(signal): the message changed through JSON: \(String(decoding: json, as: UTF8.self))")
}
