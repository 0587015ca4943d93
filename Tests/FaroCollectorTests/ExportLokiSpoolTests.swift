import Foundation
import TestSupport
import Testing

/// `loki_spool_directory`: the lines accepted for Loki wait on disk until Loki takes them.
@Suite("faro-collector: the Loki spool")
struct ExportLokiSpoolTests {
    static let oracles = TestEnvironment.shared.appendingPathComponent("oracles").path

    @Test("lines accepted while Loki refuses them survive a kill -9 and reach Loki from the next start")
    func linesSurviveACrash() async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("faro-loki-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        let down = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .serviceUnavailable) }
        let first = try await CollectorProcess.start([
            "--loki-url", down.url("/loki/api/v1/push"), "--loki-spool-directory", spool.path,
        ])
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))
        #expect(try await first.post(body: payload, headers: [("Content-Type", "application/json")]).status == 202)
        // Accepted means on disk: the process dies at once, with Loki still refusing.
        await first.service.kill()
        await down.close()

        let loki = try await RecordingHTTPServer()
        let second = try await CollectorProcess.start([
            "--loki-url", loki.url("/loki/api/v1/push"), "--loki-spool-directory", spool.path,
        ])
        let deadline = ContinuousClock.now + .seconds(20)
        while loki.received.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await second.stop() == 0, "log:\n\(second.service.logged)")
        var lines: [String] = []
        for push in loki.received where push.path == "/loki/api/v1/push" {
            let decoded = try await TestEnvironment.runPython(arguments: [Self.oracles + "/loki_push.py", "decode"], input: Data(push.body))
            let object = try JSONSerialization.jsonObject(with: decoded) as? [String: Any]
            for stream in object?["streams"] as? [[String: Any]] ?? [] {
                lines += (stream["entries"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? String }
            }
        }
        let expected = String(decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/payload.lines-logfmt.txt"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(lines == expected)
        await loki.close()
    }

    @Test("a spool without loki_url, and a size that is not one, are refused by --check-config")
    func settingsAreChecked() async throws {
        let alone = try await CollectorProcess.checkConfiguration("output:\n  loki_spool_directory: spool\n")
        #expect(alone.status == 1)
        #expect(alone.output.contains("loki_spool_directory is set without loki_url"), "\(alone.output)")
        let size = try await CollectorProcess.checkConfiguration(
            "output:\n  loki_url: http://127.0.0.1:1/loki/api/v1/push\n  loki_spool_directory: spool\n  loki_spool_max_size: lots\n")
        #expect(size.status == 1)
        #expect(size.output.hasPrefix("collector.yaml:4:24: "), "\(size.output)")
        let good = try await CollectorProcess.checkConfiguration(
            "output:\n  loki_url: http://127.0.0.1:1/loki/api/v1/push\n  loki_spool_directory: spool\n  loki_spool_max_size: 64MiB\n")
        #expect(good.status == 0, "\(good.output)")
    }
}
