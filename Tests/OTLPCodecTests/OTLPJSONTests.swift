import FaroModel
import Foundation
import OTLPCodec
import ProtobufWire
import TestSupport
import Testing

/// OTLP/JSON: our writer and reader against the transcription and the oracle, the variants the
/// specification lets receivers accept, Faro's traces against Alloy's export, and bad input.
@Suite struct OTLPJSONTests {
    /// Our OTLP/JSON of the samples is their transcription.
    @Test(arguments: OTLPSignalFixture.all)
    func ourJSONIsTheTranscription(signal: OTLPSignalFixture) throws {
        let json = signal.ourJSON()
        #expect(try OTLPJSONTranscription.canonical(Data(json)) == signal.expectedJSON())
        // And it reads back to the same message.
        #expect(try json.withUnsafeBytes { try signal.decodeJSON($0) } == signal.expectedJSON())
    }

    /// The transcription, read by us and written as protobuf, is the message the oracle decodes.
    @Test(arguments: OTLPSignalFixture.all)
    func oracleDecodesWhatWeTranscode(signal: OTLPSignalFixture) async throws {
        let json = OTLPSignalFixture.oracleInput(try signal.expectedJSON())
        var protobuf = ContiguousArray<UInt8>()
        try Array(json.utf8).withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: signal.signal, into: &protobuf) }
        let decoded = try await OTLPSignalFixture.oracle("otlp_decode.py", ["--otlp-json", signal.name], input: Data(protobuf))
        #expect(try OTLPJSONTranscription.canonical(decoded) == signal.expectedJSON())
    }

    static func traces(_ json: String) throws -> OTLPTracesData {
        try Array(json.utf8).withUnsafeBytes { try OTLPTracesData(json: $0) }
    }

    static func error(_ json: String) -> OTLPDecodingError? {
        do {
            _ = try traces(json)
            return nil
        } catch let error as OTLPDecodingError {
            return error
        } catch {
            return nil
        }
    }

    /// What the specification and the Collector let receivers accept beyond our own output.
    @Test func receiverLeniency() throws {
        let json = """
            {"resource_spans": [{"resource": {"attributes": [{"key": "n", "value": {"int_value": 5}}], "dropped_attributes_count": "2"},
             "scope_spans": [{"scope": null, "spans": [{
               "trace_id": "5B8EFFF798038103D269B633813FC60C", "spanId": "EEE19B7EC3C1B174", "parentSpanId": "",
               "name": "n", "kind": "SPAN_KIND_SERVER", "startTimeUnixNano": 1.5e3, "endTimeUnixNano": "2000",
               "attributes": [
                 {"key": "d", "value": {"doubleValue": "NaN"}}, {"key": "e", "value": {"doubleValue": "1e2"}},
                 {"key": "b", "value": {"bytesValue": "-_8"}}, {"key": "i", "value": {"intValue": "-7"}}],
               "status": {"code": "STATUS_CODE_ERROR", "message": null}, "flags": 1.0, "unknown": {"deep": [1, {"x": null}]},
               "droppedLinksCount": null}]}]}]}
            """
        let data = try Self.traces(json)
        let resource = try #require(data.resourceSpans.first)
        #expect(resource.resource?.attributes == [OTLPKeyValue("n", Int64(5))])
        #expect(resource.resource?.droppedAttributesCount == 2)
        let scopeSpans = try #require(resource.scopeSpans.first)
        #expect(scopeSpans.scope == nil)
        let span = try #require(scopeSpans.spans.first)
        #expect(span.traceID == OTLPTraceID(hex: "5b8efff798038103d269b633813fc60c"))
        #expect(span.spanID == OTLPSpanID(hex: "eee19b7ec3c1b174"))
        #expect(span.parentSpanID == nil)
        #expect(span.kind == .server)
        #expect(span.startTimeUnixNano == 1500 && span.endTimeUnixNano == 2000)
        #expect(span.status == OTLPStatus(code: .error))
        #expect(span.flags == 1)
        #expect(span.attributes.count == 4)
        if case .double(let nan) = span.attributes[0].value { #expect(nan.isNaN) } else { Issue.record("NaN") }
        #expect(span.attributes[1].value == .double(100))
        #expect(span.attributes[2].value == .bytes([0xFB, 0xFF]))
        #expect(span.attributes[3].value == .int(-7))
    }

    /// Older Faro SDKs send OTLP/JSON from before 0.19: `instrumentationLibrarySpans` and
    /// `instrumentationLibrary`. Alloy's OTLP library drops those spans; we keep them.
    @Test func legacyKeysKeepTheirSpans() throws {
        for (name, spans) in [("payload.json", ["testSpan", "testSpan2"]), ("payload_2.json", ["documentFetch"])] {
            let payload = try FaroPayloadDecoder().decode(ContiguousArray(try TestEnvironment.sharedFile("vectors/alloy/\(name)")))
            let traces = try #require(payload.traces)
            let data = try traces.withUnsafeBytes { try OTLPTracesData(json: $0) }
            let names = data.resourceSpans.flatMap(\.scopeSpans).flatMap(\.spans).map(\.name)
            #expect(Array(names.prefix(spans.count)) == spans, "\(name)")
            // The resource is the one Alloy exports.
            let alloy = try TestEnvironment.sharedFile("vectors/alloy/expected/\(name.replacingOccurrences(of: ".json", with: "")).traces.otlp.json")
            let alloyData = try alloy.withUnsafeBytes { try OTLPTracesData(json: $0) }
            #expect(data.resourceSpans.map(\.resource) == alloyData.resourceSpans.map(\.resource))
            if name == "payload.json" {
                #expect(data.resourceSpans[0].scopeSpans[0].scope == OTLPInstrumentationScope(name: "name", version: "version"))
            }
        }
    }

    /// `payload_modern.json`'s traces, transcoded straight to protobuf, are the spans Alloy exports.
    @Test func modernPayloadTranscodesToAlloysSpans() async throws {
        let payload = try FaroPayloadDecoder().decode(ContiguousArray(try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json")))
        let traces = try #require(payload.traces)
        var protobuf = ContiguousArray<UInt8>()
        try traces.withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: .traces, into: &protobuf) }
        let alloy = try TestEnvironment.sharedFile("vectors/alloy/expected/payload_modern.traces.otlp.json")
        let expected = try OTLPJSONTranscription.canonical(alloy)
        // As the official package reads our protobuf.
        let oracle = try await OTLPSignalFixture.oracle("otlp_decode.py", ["--otlp-json", "traces"], input: Data(protobuf))
        #expect(try OTLPJSONTranscription.canonical(oracle) == expected)
        // As we write it back as OTLP/JSON.
        var json = ContiguousArray<UInt8>()
        try protobuf.withUnsafeBytes { try OTLPJSON.transcodeToJSON($0, signal: .traces, into: &json) }
        #expect(try OTLPJSONTranscription.canonical(Data(json)) == expected)
    }

    @Test func badInput() throws {
        func reason(_ json: String) -> OTLPDecodingError.Reason? { Self.error(json)?.reason }
        #expect(reason("") == .invalidJSON(.unexpectedEndOfInput))
        #expect(reason("[]") == .invalidJSON(.typeMismatch(expected: .object, found: .array)))
        #expect(reason("{} x") == .invalidJSON(.trailingData))
        #expect(reason(#"{"resourceSpans": {}}"#) == .invalidJSON(.typeMismatch(expected: .array, found: .object)))
        #expect(reason(#"{"resourceSpans": [null]}"#) == .invalidJSON(.typeMismatch(expected: .object, found: .null)))
        let spans = #"{"resourceSpans": [{"scopeSpans": [{"spans": [%@]}]}]}"#
        func span(_ body: String) -> String { spans.replacingOccurrences(of: "%@", with: body) }
        let shortID = try #require(Self.error(span(#"{"traceId": "abcd"}"#)))
        #expect(shortID.reason == .invalidIDLength(expected: 16, found: 2))
        #expect(shortID.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].traceId")
        #expect(shortID.offset == 58)
        #expect(reason(span(#"{"spanId": "zzzzzzzzzzzzzzzz"}"#)) == .invalidHexID)
        #expect(reason(span(#"{"spanId": 5}"#)) == .invalidJSON(.typeMismatch(expected: .string, found: .number)))
        #expect(reason(span(#"{"kind": "SPAN_KIND_SIDEWAYS"}"#)) == .unknownEnumName("SPAN_KIND_SIDEWAYS"))
        #expect(reason(span(#"{"kind": 2147483648}"#)) == .invalidJSON(.numberOutOfRange))
        #expect(reason(span(#"{"startTimeUnixNano": "-1"}"#)) == .invalidJSON(.numberOutOfRange))
        #expect(reason(span(#"{"startTimeUnixNano": "18446744073709551616"}"#)) == .invalidJSON(.numberOutOfRange))
        #expect(reason(span(#"{"startTimeUnixNano": 1.5}"#)) == .invalidJSON(.numberOutOfRange))
        #expect(reason(span(#"{"startTimeUnixNano": "12abc"}"#)) == .invalidJSON(.typeMismatch(expected: .number, found: .string)))
        #expect(reason(span(#"{"droppedAttributesCount": 4294967296}"#)) == .invalidJSON(.numberOutOfRange))
        #expect(reason(span(#"{"name": 5}"#)) == .invalidJSON(.typeMismatch(expected: .string, found: .number)))
        #expect(reason(span(#"{"attributes": [{"key": "b", "value": {"bytesValue": "a"}}]}"#)) == .invalidBase64)
        #expect(reason(span(#"{"attributes": [{"key": "b", "value": {"boolValue": "true"}}]}"#)) == .invalidJSON(.typeMismatch(expected: .bool, found: .string)))
        #expect(reason(span(#"{"name": "\ud800"}"#)) == .invalidJSON(.loneSurrogate))
        #expect(reason(span("{\"name\": \"\u{1}\"}")) == .invalidJSON(.controlCharacterInString))
        // Nesting: AnyValue arrays 10,000 deep.
        let deep = String(repeating: #"{"arrayValue": {"values": ["#, count: 10_000) + String(repeating: "]}}", count: 10_000)
        #expect(reason(span(#"{"attributes": [{"key": "k", "value": \#(deep)}]}"#)) == .invalidJSON(.nestingTooDeep(limit: 201)))
        // A failed transcoding leaves the buffer as it was.
        var buffer: ContiguousArray<UInt8> = [1, 2, 3]
        #expect(throws: OTLPDecodingError.self) {
            try Array(span(#"{"name": "ok"}, {"name": 5}"#).utf8).withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: .traces, into: &buffer) }
        }
        #expect(buffer == [1, 2, 3])
    }

    /// Of a oneof whose members the protobuf sets several times, the JSON has the one set last, as
    /// protobuf's parsers keep it.
    @Test func oneofMembersSetTwiceWriteTheLastOne() throws {
        var writer = ProtobufWriter()
        writer.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeMessage(field: 1) { resource in
                resource.writeMessage(field: 1) { keyValue in
                    keyValue.writeString(field: 1, "k")
                    keyValue.writeMessage(field: 2) { value in
                        value.writeString(field: 1, "first")
                        value.writeInt64(field: 3, 5)
                    }
                }
            }
        }
        var json = ContiguousArray<UInt8>()
        try writer.bytes.withUnsafeBytes { try OTLPJSON.transcodeToJSON($0, signal: .traces, into: &json) }
        #expect(String(decoding: json, as: UTF8.self) == #"{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"intValue":"5"}}]}}]}"#)
        let data = try writer.bytes.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
        #expect(data.resourceSpans[0].resource?.attributes == [OTLPKeyValue("k", Int64(5))])
    }

    @Test func everyTruncationIsAnError() async throws {
        let json = OTLPSignalFixture.all[0].ourJSON()
        let bytes = Array(json.prefix(4_000))
        for length in 0..<bytes.count {
            // A long loop: it lets the concurrency pool's two threads serve timing-sensitive tests too.
            await Task.yield()
            let result = bytes[..<length].withUnsafeBytes { raw in
                Result { () throws(OTLPDecodingError) in try OTLPTracesData(json: raw) }
            }
            if case .success = result { Issue.record("a prefix of \(length) bytes decoded") }
        }
    }
}
