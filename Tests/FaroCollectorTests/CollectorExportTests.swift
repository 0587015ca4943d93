import Foundation
import TestSupport
import Testing

/// The running collector writing to real protocol endpoints: Loki push (protobuf + Snappy, read
/// back with the Loki schema oracle) and OTLP/HTTP (read back with the OpenTelemetry schema).
@Suite("faro-collector: Loki and OTLP outputs")
struct CollectorExportTests {
    static let oracles = TestEnvironment.shared.appendingPathComponent("oracles").path

    @Test("Alloy's lines reach Loki, and the payload's traces and an OTLP/HTTP request reach the OTLP endpoint")
    func exports() async throws {
        let loki = try await RecordingHTTPServer()
        let otlp = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .ok) }
        let collector = try await CollectorProcess.start([
            "--loki-url", loki.url("/loki/api/v1/push"), "--otlp-url", otlp.url(""),
        ])
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json"))
        #expect(try await collector.post(body: payload, headers: [("Content-Type", "application/json")]).status == 202)
        let traces = try await TestEnvironment.runPython(
            arguments: [Self.oracles + "/otlp_encode.py", "traces", Self.oracles + "/samples/traces.json"], input: Data())
        let intake = try await collector.post("/v1/traces", body: Array(traces), headers: [("Content-Type", "application/x-protobuf")])
        #expect(intake.status == 200 && intake.body.isEmpty)
        // A request cut short is refused whole, with where it broke, and nothing of it is exported.
        let cut = try await collector.post(
            "/v1/traces", body: Array(traces.dropLast()), headers: [("Content-Type", "application/x-protobuf")])
        #expect(cut.status == 400 && cut.body.contains("runs past the end"), "\(cut.body)")
        #expect(await collector.stop() == 0, "log:\n\(collector.service.logged)")

        // Loki: every line Alloy wrote for the payload, in order, in the collector's default stream.
        let pushes = loki.received.filter { $0.path == "/loki/api/v1/push" }
        #expect(!pushes.isEmpty)
        var lines: [String] = []
        for push in pushes {
            #expect(push.headers.first(name: "Content-Type") == "application/x-protobuf")
            let decoded = try await TestEnvironment.runPython(arguments: [Self.oracles + "/loki_push.py", "decode"], input: Data(push.body))
            let object = try JSONSerialization.jsonObject(with: decoded) as? [String: Any]
            for stream in object?["streams"] as? [[String: Any]] ?? [] {
                #expect(stream["labels"] as? String == #"{service_name="faro"}"#)
                lines += (stream["entries"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? String }
            }
        }
        let expected = String(decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/payload_modern.lines-logfmt.txt"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(lines == expected)

        // OTLP: the payload's spans and the posted request, as one or more export requests.
        let exports = otlp.received.filter { $0.path == "/v1/traces" }
        #expect(!exports.isEmpty)
        var spanNames: [String] = []
        for export in exports {
            let decoded = try await TestEnvironment.runPython(arguments: [Self.oracles + "/otlp_decode.py", "traces"], input: Data(export.body))
            let object = try JSONSerialization.jsonObject(with: decoded) as? [String: Any]
            for resource in object?["resourceSpans"] as? [[String: Any]] ?? [] {
                for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                    spanNames += (scope["spans"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                }
            }
        }
        let sample = try JSONSerialization.jsonObject(with: try TestEnvironment.sharedFile("oracles/samples/traces.json")) as? [String: Any]
        let sampleSpans = (sample?["resourceSpans"] as? [[String: Any]] ?? []).flatMap { resource in
            (resource["scopeSpans"] as? [[String: Any]] ?? []).flatMap { ($0["spans"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        }
        let modern = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
        let payloadSpans = ((modern?["traces"] as? [String: Any])?["resourceSpans"] as? [[String: Any]] ?? []).flatMap { resource in
            (resource["scopeSpans"] as? [[String: Any]] ?? []).flatMap { ($0["spans"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } }
        }
        #expect(!payloadSpans.isEmpty && !sampleSpans.isEmpty)
        #expect(spanNames.sorted() == (payloadSpans + sampleSpans).sorted())
        await loki.close()
        await otlp.close()
    }
}
