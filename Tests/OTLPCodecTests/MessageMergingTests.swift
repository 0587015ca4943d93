import Foundation
import OTLPCodec
import ProtobufWire
import Testing

/// A singular message field that occurs more than once is merged, as protobuf parses it: its
/// repeated fields concatenated, its scalars set last winning, its messages merged in turn; a oneof
/// member that occurs again merges too, unless another member came between. Checked against
/// `opentelemetry-proto`, for decoding into values and for transcoding to OTLP/JSON.
@Suite struct MessageMergingTests {
    /// An `AnyValue` of a string.
    static func string(_ writer: inout ProtobufWriter, _ text: String) {
        writer.writeString(field: 1, text)
    }

    /// A `KeyValue` whose value `value` writes.
    static func keyValue(_ writer: inout ProtobufWriter, field: Int, _ key: String, _ value: (inout ProtobufWriter) -> Void) {
        writer.writeMessage(field: field) { pair in
            pair.writeString(field: 1, key)
            pair.writeMessage(field: 2, value)
        }
    }

    /// Traces: `resource`, `scope`, `status`, an attribute's `value` and its `kvlistValue` and
    /// `arrayValue` each twice, and an `arrayValue` cleared by a `stringValue` between.
    static let traces: [UInt8] = {
        var writer = ProtobufWriter()
        writer.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeMessage(field: 1) { resource in
                keyValue(&resource, field: 1, "a") { string(&$0, "1") }
                resource.writeVarint(field: 2, 3)
            }
            resourceSpans.writeMessage(field: 2) { scopeSpans in
                scopeSpans.writeMessage(field: 1) { $0.writeString(field: 1, "scope") }
                scopeSpans.writeMessage(field: 2) { span in
                    span.writeBytes(field: 1, [UInt8](repeating: 1, count: 16))
                    span.writeBytes(field: 2, [UInt8](repeating: 2, count: 8))
                    span.writeString(field: 5, "span")
                    span.writeMessage(field: 15) { $0.writeString(field: 2, "message") }
                    keyValue(&span, field: 9, "list") { value in
                        value.writeMessage(field: 6) { list in keyValue(&list, field: 1, "x") { string(&$0, "1") } }
                        value.writeMessage(field: 6) { list in keyValue(&list, field: 1, "y") { string(&$0, "2") } }
                    }
                    keyValue(&span, field: 9, "array") { value in
                        value.writeMessage(field: 5) { array in array.writeMessage(field: 1) { string(&$0, "stale") } }
                        string(&value, "between")
                        value.writeMessage(field: 5) { array in array.writeMessage(field: 1) { string(&$0, "p") } }
                        value.writeMessage(field: 5) { array in array.writeMessage(field: 1) { $0.writeBool(field: 2, true) } }
                    }
                    span.writeMessage(field: 15) { $0.writeInt32(field: 3, 2) }
                    // The attribute's `value` itself twice: an int, then a double replacing it.
                    span.writeMessage(field: 9) { pair in
                        pair.writeString(field: 1, "number")
                        pair.writeMessage(field: 2) { $0.writeInt64(field: 3, -5) }
                        pair.writeMessage(field: 2) { $0.writeDouble(field: 4, 1.5) }
                    }
                }
                scopeSpans.writeMessage(field: 1) { $0.writeString(field: 2, "1.0") }
            }
            resourceSpans.writeMessage(field: 1) { resource in
                keyValue(&resource, field: 1, "b") { string(&$0, "2") }
            }
        }
        return Array(writer.bytes)
    }()

    /// Logs: `body` twice, a `kvlistValue` each time.
    static let logs: [UInt8] = {
        var writer = ProtobufWriter()
        writer.writeMessage(field: 1) { resourceLogs in
            resourceLogs.writeMessage(field: 2) { scopeLogs in
                scopeLogs.writeMessage(field: 2) { record in
                    record.writeMessage(field: 5) { body in
                        body.writeMessage(field: 6) { list in keyValue(&list, field: 1, "a") { string(&$0, "1") } }
                    }
                    record.writeString(field: 3, "INFO")
                    record.writeMessage(field: 5) { body in
                        body.writeMessage(field: 6) { list in keyValue(&list, field: 1, "b") { string(&$0, "2") } }
                    }
                }
            }
        }
        return Array(writer.bytes)
    }()

    /// Metrics: `sum` twice (its points concatenated, its temporality kept), an exponential
    /// histogram point's `positive` buckets twice, and a `gauge` that a `summary` replaces.
    static let metrics: [UInt8] = {
        var writer = ProtobufWriter()
        writer.writeMessage(field: 1) { resourceMetrics in
            resourceMetrics.writeMessage(field: 2) { scopeMetrics in
                scopeMetrics.writeMessage(field: 2) { metric in
                    metric.writeString(field: 1, "requests")
                    metric.writeMessage(field: 7) { sum in
                        sum.writeMessage(field: 1) { $0.writeSFixed64(field: 6, 1) }
                        sum.writeInt32(field: 2, 2)
                    }
                    metric.writeMessage(field: 7) { sum in
                        sum.writeMessage(field: 1) { $0.writeDouble(field: 4, 2.5) }
                        sum.writeBool(field: 3, true)
                    }
                }
                scopeMetrics.writeMessage(field: 2) { metric in
                    metric.writeString(field: 1, "latency")
                    metric.writeMessage(field: 10) { histogram in
                        histogram.writeMessage(field: 1) { point in
                            point.writeFixed64(field: 4, 3)
                            point.writeMessage(field: 8) { buckets in
                                buckets.writeSInt32(field: 1, -2)
                                buckets.writePackedVarints(field: 2, [1])
                            }
                            point.writeMessage(field: 8) { $0.writePackedVarints(field: 2, [2]) }
                        }
                    }
                }
                scopeMetrics.writeMessage(field: 2) { metric in
                    metric.writeString(field: 1, "replaced")
                    metric.writeMessage(field: 5) { $0.writeMessage(field: 1) { $0.writeSFixed64(field: 6, 7) } }
                    metric.writeMessage(field: 11) { $0.writeMessage(field: 1) { $0.writeFixed64(field: 4, 1) } }
                }
            }
        }
        return Array(writer.bytes)
    }()

    static let cases: [(signal: String, bytes: [UInt8])] = [("traces", traces), ("logs", logs), ("metrics", metrics)]

    /// Decoded into values, the message is the one `opentelemetry-proto` decodes.
    @Test(arguments: cases)
    func decodingMerges(signal: String, bytes: [UInt8]) async throws {
        let fixture = try #require(OTLPSignalFixture.all.first { $0.name == signal })
        let expected = try await OTLPJSONTranscription.canonical(
            OTLPSignalFixture.oracle("otlp_decode.py", ["--otlp-json", signal], input: Data(bytes)))
        let (json, _) = try bytes.withUnsafeBytes { try fixture.roundTrip($0) }
        #expect(json == expected)
    }

    /// Transcoded to OTLP/JSON, the message is the one `opentelemetry-proto` decodes; validation
    /// takes it.
    @Test(arguments: cases)
    func transcodingMerges(signal: String, bytes: [UInt8]) async throws {
        let fixture = try #require(OTLPSignalFixture.all.first { $0.name == signal })
        let expected = try await OTLPJSONTranscription.canonical(
            OTLPSignalFixture.oracle("otlp_decode.py", ["--otlp-json", signal], input: Data(bytes)))
        var json = ContiguousArray<UInt8>()
        try bytes.withUnsafeBytes { try OTLPJSON.transcodeToJSON($0, signal: fixture.signal, into: &json) }
        let ours = try OTLPJSONTranscription.canonical(Data(json))
        #expect(ours == expected)
        try bytes.withUnsafeBytes { try OTLPProtobuf.validate($0, signal: fixture.signal) }
    }

    /// Every occurrence of a singular field is checked, not only the last: an earlier name that is
    /// not UTF-8, or an earlier trace id of the wrong length, is an error as `opentelemetry-proto`
    /// finds it.
    @Test func earlierOccurrencesAreChecked() async throws {
        var badName = ProtobufWriter()
        badName.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeMessage(field: 2) { scopeSpans in
                scopeSpans.writeMessage(field: 2) { span in
                    span.writeBytes(field: 5, [0xFF])
                    span.writeString(field: 5, "span")
                }
            }
        }
        var badID = ProtobufWriter()
        badID.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeMessage(field: 2) { scopeSpans in
                scopeSpans.writeMessage(field: 2) { span in
                    span.writeBytes(field: 1, [1, 2, 3])
                    span.writeBytes(field: 1, [UInt8](repeating: 1, count: 16))
                }
            }
        }
        for (bytes, reason) in [(badName.bytes, OTLPDecodingError.Reason.wire(.invalidUTF8)),
                                (badID.bytes, .invalidIDLength(expected: 16, found: 3))] {
            var json = ContiguousArray<UInt8>()
            let transcoded = bytes.withUnsafeBytes { raw in
                Result { () throws(OTLPDecodingError) in try OTLPJSON.transcodeToJSON(raw, signal: .traces, into: &json) }
            }
            let validated = bytes.withUnsafeBytes { raw in
                Result { () throws(OTLPDecodingError) in try OTLPProtobuf.validate(raw, signal: .traces) }
            }
            let decoded = bytes.withUnsafeBytes { raw in
                Result { () throws(OTLPDecodingError) in try OTLPTracesData(protobuf: raw) }
            }
            for result in [transcoded.map { _ in () }, validated, decoded.map { _ in () }] {
                guard case .failure(let error) = result else {
                    Issue.record("accepted \(Array(bytes))")
                    continue
                }
                #expect(error.reason == reason)
                #expect(error.pathDescription.hasPrefix("resourceSpans[0].scopeSpans[0].spans[0]."))
            }
        }
    }
}
