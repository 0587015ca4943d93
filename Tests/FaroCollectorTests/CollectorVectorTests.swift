import Foundation
import TestSupport
import Testing

/// The running collector, fed Alloy's vectors over HTTP, writes exactly the Loki lines Alloy's
/// own receiver wrote for them, in both formats, and the traces they carry.
@Suite("faro-collector: Alloy's vectors through the running service")
struct CollectorVectorTests {
    static let vectors = ["payload.json", "payload_2.json", "payload_modern.json"]

    @Test("Loki lines byte for byte", arguments: ["logfmt", "json"])
    func linesMatchAlloy(format: String) async throws {
        let collector = try await CollectorProcess.start(["--log-format", format])
        var expected: [String] = []
        for name in Self.vectors {
            let payload = try TestEnvironment.sharedFile("vectors/alloy/\(name)")
            let answer = try await collector.post(body: Array(payload))
            #expect(answer.status == 202 && answer.body == "ok", "\(name): \(answer.status) \(answer.body)")
            let stem = name.replacingOccurrences(of: ".json", with: "")
            let lines = String(decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/\(stem).lines-\(format).txt"), as: UTF8.self)
            expected += lines.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        }
        #expect(await collector.stop() == 0, "exit status; log:\n\(collector.service.logged)")
        let written = try collector.lokiLines()
        #expect(written.count == expected.count)
        for (index, (ours, alloys)) in zip(written, expected).enumerated() where ours != alloys {
            Issue.record("line \(index) differs:\nours:  \(ours)\nalloy: \(alloys)")
        }
        // Alloy attaches no labels by default; Loki needs one, so the collector adds its default.
        #expect(Set(try collector.lokiStreamLabels()) == [["service_name": "faro"]])
    }

    @Test("the traces of payload_modern.json, as Alloy's exporter received them")
    func tracesMatchAlloy() async throws {
        let collector = try await CollectorProcess.start()
        let payload = try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json")
        #expect(try await collector.post(body: Array(payload)).status == 202)
        #expect(await collector.stop() == 0)
        let ours = try collector.fileLines("traces.jsonl")
        let alloys = String(decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/payload_modern.traces.otlp.json"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(ours.count == alloys.count)
        // Both through the official OTLP schema: encoded to protobuf and printed canonically.
        for (mine, theirs) in zip(ours, alloys) {
            #expect(try await Self.canonical(mine) == Self.canonical(theirs))
        }
    }

    @Test("empty OTLP export requests are answered and write nothing")
    func emptyOTLPRequests() async throws {
        let collector = try await CollectorProcess.start()
        let json = [("Content-Type", "application/json")]
        #expect(try await collector.post("/v1/traces", body: Array("{}".utf8), headers: json).status == 200)
        #expect(try await collector.post("/v1/logs", body: Array(#"{"resourceLogs":[]}"#.utf8), headers: json).status == 200)
        #expect(try await collector.post("/v1/metrics", body: [], headers: [("Content-Type", "application/x-protobuf")]).status == 200)
        let payload = try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json")
        #expect(try await collector.post(body: Array(payload)).status == 202)
        #expect(await collector.stop() == 0)
        // Only the payload's traces were written; no empty records.
        #expect(try collector.fileLines("traces.jsonl").count == 1)
        #expect(try collector.fileLines("logs.jsonl").isEmpty && collector.fileLines("metrics.jsonl").isEmpty)
    }

    /// OTLP/JSON traces in the canonical form of the oracles (`otlp_encode.py` then `otlp_decode.py`).
    static func canonical(_ json: String) async throws -> String {
        let oracles = TestEnvironment.shared.appendingPathComponent("oracles").path
        let protobuf = try await TestEnvironment.runPython(arguments: [oracles + "/otlp_encode.py", "traces"], input: Data(json.utf8))
        return String(decoding: try await TestEnvironment.runPython(arguments: [oracles + "/otlp_decode.py", "traces"], input: protobuf), as: UTF8.self)
    }
}
