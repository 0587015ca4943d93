import FaroModel
import OTLPCodec
import TestSupport
import Testing

/// Spans as Alloy's `payload.SpanToKeyVal` renders them for logs.
@Suite struct AlloySpanLineTests {
    static func line(_ span: OTLPSpan, _ format: FaroLogFormat) -> String {
        var buffer = ContiguousArray<UInt8>()
        span.appendAlloyLogLine(format: format, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func payloadModernSpans() throws {
        let payload = try FaroPayloadDecoder().decode(ContiguousArray(try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json")))
        let data = try #require(payload.traces).withUnsafeBytes { try OTLPTracesData(json: $0) }
        let spans = data.resourceSpans.flatMap(\.scopeSpans).flatMap(\.spans)
        #expect(
            Self.line(spans[0], .logfmt)
                == #"timestamp="2025-11-20 08:15:30.5 +0000 UTC" end_timestamp="2025-11-20 08:15:30.5 +0000 UTC" kind=span traceID=4bf92f3577b34da6a3ce929d0e0e4736 spanID=a3ce929d0e0e4736 span_kind=Client name="HTTP GET" parent_spanID=00f067aa0ba902b7 attr_http.method=GET attr_http.url=https://shop.example.com/api/cart attr_http.status_code=200 attr_http.response_content_length=1432 attr_component=fetch attr_session.id=Zq3N8pSx1k"#
        )
        #expect(
            Self.line(spans[1], .logfmt)
                == #"timestamp="2025-11-20 08:15:28 +0000 UTC" end_timestamp="2025-11-20 08:15:28 +0000 UTC" kind=span traceID=4bf92f3577b34da6a3ce929d0e0e4736 spanID=00f067aa0ba902b7 span_kind=Internal name=documentLoad attr_http.url="https://shop.example.com/checkout/payment?step=2" attr_http.user_agent=Chrome attr_cached=false attr_ratio=0.75"#
        )
        #expect(
            Self.line(spans[1], .json)
                == #"{"attr_cached":"false","attr_http.url":"https://shop.example.com/checkout/payment?step=2","attr_http.user_agent":"Chrome","attr_ratio":"0.75","end_timestamp":"2025-11-20 08:15:28 +0000 UTC","kind":"span","name":"documentLoad","spanID":"00f067aa0ba902b7","span_kind":"Internal","timestamp":"2025-11-20 08:15:28 +0000 UTC","traceID":"4bf92f3577b34da6a3ce929d0e0e4736"}"#
        )
    }

    /// Attribute values as pdata's `Value.AsString()` writes them.
    @Test func attributeValuesAsPdataWritesThem() {
        let span = OTLPSpan(
            traceID: OTLPTraceID(high: 0, low: 0), spanID: nil, name: "", kind: OTLPSpan.Kind(rawValue: 9), startTimeUnixNano: 0,
            endTimeUnixNano: 5,
            attributes: [
                OTLPKeyValue("big", 1e21), OTLPKeyValue("small", 1e-7), OTLPKeyValue("micro", 0.000001), OTLPKeyValue("int", Int64(-3)),
                OTLPKeyValue("nan", Double.nan), OTLPKeyValue("inf", -Double.infinity), OTLPKeyValue(key: "bytes", value: .bytes([0, 1, 255])),
                OTLPKeyValue(key: "map", value: .keyValueList([
                    OTLPKeyValue("z", "<&>"), OTLPKeyValue("a", Int64(1)), OTLPKeyValue("a", true),
                    OTLPKeyValue(key: "n", value: .empty), OTLPKeyValue(key: "l", value: .array([.double(0.5), .bytes([7])])),
                ])),
                OTLPKeyValue(key: "bad map", value: .keyValueList([OTLPKeyValue("x", Double.nan)])),
                OTLPKeyValue(key: "empty", value: .empty), OTLPKeyValue("", ""),
            ])
        let pairs = span.alloyKeyValues
        #expect(pairs.map(\.key) == ["end_timestamp", "kind", "attr_big", "attr_small", "attr_micro", "attr_int", "attr_nan", "attr_inf", "attr_bytes", "attr_map"])
        #expect(pairs.map(\.value) == [
            "1970-01-01 00:00:00 +0000 UTC", "span", "1e+21", "1e-7", "0.000001", "-3", "json: unsupported value: NaN",
            "json: unsupported value: -Inf", "AAH/", #"{"a":true,"l":[0.5,"Bw=="],"n":null,"z":"\u003c\u0026\u003e"}"#,
        ])
    }
}
