import Testing

@testable import FaroModel

/// Faro JSON written back from the model, read again to an equal payload.
@Suite struct PayloadEncoderTests {
    static let everyField = FaroPayload(
        logs: [
            FaroLog(
                message: "quote \" backslash \\ tab \t <html> & \u{2028} é 😀", level: .warn,
                context: ["b": "2", "a": "1", "": "empty key"],
                timestamp: FaroTimestamp(rfc3339: "2026-11-20T08:15:30.123456789+05:30")!,
                trace: FaroTraceContext(traceID: "4bf92f3577b34da6a3ce929d0e0e4736", spanID: "00f067aa0ba902b7"))
        ],
        exceptions: [
            FaroException(
                type: "TypeError", value: "x is undefined",
                stacktrace: FaroStacktrace(frames: [
                    FaroStackFrame(function: "f", module: "m", filename: "https://a/b.js", lineno: -1, colno: Int.max),
                    FaroStackFrame(),
                ]),
                timestamp: .zero, context: ["component": "Form"]),
            FaroException(type: "Error", stacktrace: FaroStacktrace()),
        ],
        measurements: [
            FaroMeasurement(
                type: "web-vitals", values: ["lcp": 2431.7, "ttfb": 312.4000000000001, "tiny": 1e-7, "huge": 1e21, "zero": 0],
                timestamp: FaroTimestamp(rfc3339: "2021-09-30T10:46:17-07:00")!, context: ["rating": "good"])
        ],
        events: [FaroEvent(name: "", domain: "browser", attributes: ["k": ""]), FaroEvent(name: "click")],
        meta: FaroMeta(
            sdk: FaroSDK(name: "sdk", version: "1", integrations: [FaroSDKIntegration(name: "i", version: "2"), FaroSDKIntegration()]),
            app: FaroApp(name: "a", namespace: "n", release: "r", version: "v", environment: "e"),
            user: FaroUser(email: "e@x", id: "1", username: "u", attributes: ["plan": "pro"]),
            session: FaroSession(id: "s", attributes: ["isSampled": "true"]),
            page: FaroPage(id: "p", url: "https://x/?a=1&b=2", attributes: ["route": "/x"]),
            browser: FaroBrowser(
                name: "Chrome", version: "141", os: "Linux", mobile: true, userAgent: "Mozilla/5.0", language: "en",
                viewportWidth: "1280", viewportHeight: "720"),
            view: FaroView(name: "checkout")))

    @Test func everyFieldRoundTrips() throws {
        let json = try FaroPayloadEncoder().encode(PayloadEncoderTests.everyField)
        #expect(try FaroPayloadDecoder().decode(json) == PayloadEncoderTests.everyField)
    }

    @Test(arguments: AlloyVectorTests.payloads)
    func vectorsRoundTrip(name: String) throws {
        let payload = try AlloyVectorTests.payload(name)
        let json = try FaroPayloadEncoder().encode(payload)
        let again = try FaroPayloadDecoder().decode(json)
        #expect(again == payload)
        // Lines from the re-read payload are Alloy's lines too.
        #expect(AlloyVectorTests.render(again, format: .logfmt).lines == AlloyVectorTests.render(payload, format: .logfmt).lines)
    }

    static let spacedTraces = ContiguousArray(#"{ "resourceSpans" : [ {"a b": "c\" d"} ] }"#.utf8)

    @Test func writesGoMarshalForm() throws {
        let payload = FaroPayload(
            logs: [FaroLog(message: "<b>", timestamp: FaroTimestamp(rfc3339: "2021-09-30T10:46:17.680Z")!)],
            meta: FaroMeta(view: FaroView(name: "v")),
            traces: FaroTraces(storage: PayloadEncoderTests.spacedTraces, range: PayloadEncoderTests.spacedTraces.indices))
        let json = String(decoding: try FaroPayloadEncoder().encode(payload), as: UTF8.self)
        #expect(
            json
                == #"{"logs":[{"message":"\u003cb\u003e","timestamp":"2021-09-30T10:46:17.68Z","trace":{"trace_id":"","span_id":""}}],"#
                + #""meta":{"sdk":{},"app":{},"user":{},"session":{},"page":{},"browser":{},"view":{"name":"v"}},"#
                + #""traces":{"resourceSpans":[{"a b":"c\" d"}]}}"#)
    }

    @Test func rejectsWhatJSONCannotHoldAndKeepsTheBuffer() throws {
        var buffer = ContiguousArray("kept".utf8)
        let nan = FaroPayload(measurements: [FaroMeasurement(values: ["a": .nan])])
        #expect(throws: FaroEncodingError.nonFiniteMeasurementValue(name: "a")) { try FaroPayloadEncoder().encode(nan, into: &buffer) }
        let late = FaroTimestamp(secondsSince1970: 253_402_300_800)
        #expect(throws: FaroEncodingError.timestampOutOfRange(late)) {
            try FaroPayloadEncoder().encode(FaroPayload(events: [FaroEvent(timestamp: late)]), into: &buffer)
        }
        // Go decodes offsets up to +24:60, and refuses to marshal one of 24 hours or more.
        for text in ["2021-01-01T00:00:00+24:60", "2021-01-01T00:00:00-24:00"] {
            let decoded = try? FaroPayloadDecoder().decode(#"{"logs":[{"timestamp":"\#(text)"}]}"#)
            let timestamp = try #require(decoded?.logs.first?.timestamp, "\(text) decodes as in Go")
            #expect(throws: FaroEncodingError.timestampOutOfRange(timestamp)) {
                try FaroPayloadEncoder().encode(FaroPayload(logs: [FaroLog(timestamp: timestamp)]), into: &buffer)
            }
        }
        let lastOffset = try #require(FaroTimestamp(rfc3339: "2021-01-01T00:00:00+23:59"))
        #expect(throws: Never.self) { try FaroPayloadEncoder().encode(FaroPayload(logs: [FaroLog(timestamp: lastOffset)])) }
        #expect(Array(buffer) == Array("kept".utf8))
    }
}
