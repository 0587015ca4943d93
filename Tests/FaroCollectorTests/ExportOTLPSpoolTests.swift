import Foundation
import TestSupport
import Testing

/// `otlp_spool_directory`: the OTLP data accepted for the receiver wait on disk until it takes them.
@Suite("faro-collector: the OTLP spool")
struct ExportOTLPSpoolTests {
    static let oracles = TestEnvironment.shared.appendingPathComponent("oracles").path

    @Test("spans accepted while the OTLP receiver refuses them survive a kill -9 and reach it from the next start")
    func spansSurviveACrash() async throws {
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("faro-otlp-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: spool) }
        let down = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .serviceUnavailable) }
        let first = try await CollectorProcess.start(["--otlp-url", down.url(""), "--otlp-spool-directory", spool.path])
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload_modern.json"))
        #expect(try await first.post(body: payload, headers: [("Content-Type", "application/json")]).status == 202)
        // Accepted means on disk: the process dies at once, with the receiver still refusing.
        await first.service.kill()
        await down.close()

        let receiver = try await RecordingHTTPServer()
        let second = try await CollectorProcess.start(["--otlp-url", receiver.url(""), "--otlp-spool-directory", spool.path])
        let deadline = ContinuousClock.now + .seconds(20)
        while receiver.received.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(await second.stop() == 0, "log:\n\(second.service.logged)")
        let exports = receiver.received.filter { $0.path == "/v1/traces" }
        #expect(exports.count == 1)
        let delivered = try await TestEnvironment.runPython(
            arguments: [Self.oracles + "/otlp_decode.py", "traces"], input: Data(exports.first?.body ?? []))
        let alloys = String(decoding: try TestEnvironment.sharedFile("vectors/alloy/expected/payload_modern.traces.otlp.json"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(alloys.count == 1)
        #expect(String(decoding: delivered, as: UTF8.self) == (try await CollectorVectorTests.canonical(alloys.first ?? "")))
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).filter { $0.hasSuffix(".seg") }.isEmpty)
        await receiver.close()
    }

    @Test("a spool without otlp_url, a size that is not one, and the Loki spool's directory are refused by --check-config")
    func settingsAreChecked() async throws {
        let alone = try await CollectorProcess.checkConfiguration("output:\n  otlp_spool_directory: spool\n")
        #expect(alone.status == 1)
        #expect(alone.output.contains("otlp_spool_directory is set without otlp_url"), "\(alone.output)")
        let size = try await CollectorProcess.checkConfiguration(
            "output:\n  otlp_url: http://127.0.0.1:1\n  otlp_spool_directory: spool\n  otlp_spool_max_size: lots\n")
        #expect(size.status == 1)
        #expect(size.output.hasPrefix("collector.yaml:4:24: "), "\(size.output)")
        let good = try await CollectorProcess.checkConfiguration(
            "output:\n  otlp_url: http://127.0.0.1:1\n  otlp_spool_directory: spool\n  otlp_spool_max_size: 64MiB\n")
        #expect(good.status == 0, "\(good.output)")
        let shared = try await CollectorProcess.checkConfiguration(
            "output:\n  loki_url: http://127.0.0.1:1/loki/api/v1/push\n  loki_spool_directory: spool\n"
                + "  otlp_url: http://127.0.0.1:1\n  otlp_spool_directory: ./spool/\n")
        #expect(shared.status == 1)
        #expect(shared.output.contains("otlp_spool_directory is loki_spool_directory"), "\(shared.output)")
    }
}
