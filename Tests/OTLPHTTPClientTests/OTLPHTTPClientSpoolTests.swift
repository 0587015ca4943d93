import Foundation
import NIOHTTP1
import MetricsTestKit
import OTLPCodec
import OTLPHTTPClient
import TestSupport
import Testing
import WriteAheadSpool

/// The exporter with a write-ahead spool: what a client took survives it, however it ended.
extension OTLPHTTPClientTests {
    /// A fresh path for a spool directory (the spool creates it; each test removes it).
    private func spoolDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("otlp-spool-\(UUID().uuidString)")
    }

    /// The segment files in `directory`.
    private func segments(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
    }

    @Test("with a spool, what a client took and never sent (it went away, as in a crash) is sent by the next client, in order per signal and tenant")
    func spoolSurvivesTheClient() async throws {
        let directory = spoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer() }
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.spool = SpoolConfiguration(directory: directory.path)
        configuration.maximumBatchBytes = OTLPSamples.request(.traces, service: "a1").count * 2
        do {
            // Never run: nothing is sent, and the client goes away without a shutdown.
            let client = try OTLPHTTPClient(configuration: configuration)
            for service in ["a1", "a2", "a3"] { try client.tryExport(OTLPSamples.request(.traces, service: service), signal: .traces, tenant: "a") }
            try client.tryExport(OTLPSamples.request(.traces, service: "b1"), signal: .traces, tenant: "b")
            try client.tryExport(OTLPSamples.request(.logs, service: "none1"), signal: .logs)
            #expect(client.bufferedBytes == 0, "a spooled request is not held in memory")
        }
        #expect(try segments(in: directory).count == 4)
        let metrics = TestMetrics()
        try await withClient(configuration, metrics: metrics) { client in await client.flush() }
        var services: [String: [String]] = [:]
        for request in receiver.received {
            let signal: OTLPSignal = request.path.hasSuffix("/v1/logs") ? .logs : .traces
            let tenant = request.headers.first(name: "X-Scope-OrgID") ?? "none"
            services["\(signal) \(tenant)", default: []] += try await OTLPSamples.decodedServices(request.body, signal: signal)
        }
        #expect(services == ["traces a": ["a1", "a2", "a3"], "traces b": ["b1"], "logs none": ["none1"]])
        #expect(counter(metrics, "otlp_exporter_sent_requests_total", .traces) == 4)
        #expect(counter(metrics, "otlp_exporter_sent_requests_total", .logs) == 1)
        #expect(try segments(in: directory).isEmpty, "delivered batches leave the spool")
    }

    @Test("with a spool, a shutdown that cannot drain keeps what it holds on disk, not counted as dropped; the next start sends it")
    func spoolKeepsWhatShutdownCouldNotSend() async throws {
        let directory = spoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let down = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .serviceUnavailable) }
        defer { Task { await down.close() } }
        var configuration = configuration(down)
        configuration.spool = SpoolConfiguration(directory: directory.path)
        configuration.batchWait = .milliseconds(1)
        configuration.drainTimeout = .milliseconds(300)
        let metrics = TestMetrics()
        try await withClient(configuration, metrics: metrics) { client in
            try client.tryExport(OTLPSamples.request(.traces, service: "kept"), signal: .traces)
            let deadline = ContinuousClock.now + .seconds(20)
            while down.received.isEmpty, .now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(!down.received.isEmpty, "the receiver was tried")
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .traces, reason: "shutdown") == 0)
        #expect(try segments(in: directory).count == 1)

        let up = try await RecordingHTTPServer { _, _ in HTTPAnswer() }
        defer { Task { await up.close() } }
        configuration.endpoint = up.url("")
        try await withClient(configuration) { client in await client.flush() }
        #expect(up.received.count == 1)
        #expect(try await OTLPSamples.decodedServices(up.received.first?.body ?? [], signal: .traces) == ["kept"])
        #expect(try segments(in: directory).isEmpty)
    }

    @Test("a full spool drops its oldest batch for a newer request and counts it; with nothing to drop, tryExport throws spoolFull")
    func spoolFull() throws {
        let request = OTLPSamples.request(.traces, service: "web")
        let measured = spoolDirectory()
        defer { try? FileManager.default.removeItem(at: measured) }
        var configuration = OTLPHTTPClientConfiguration(endpoint: "http://127.0.0.1:9")
        configuration.maximumBatchBytes = request.count  // one request a batch
        configuration.spool = SpoolConfiguration(directory: measured.path)
        do {
            try OTLPHTTPClient(configuration: configuration).tryExport(request, signal: .traces)
        }
        let segmentBytes = try segments(in: measured).reduce(0) { total, name in
            total + ((try FileManager.default.attributesOfItem(atPath: measured.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
        #expect(segmentBytes > request.count)

        let directory = spoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        configuration.spool = SpoolConfiguration(directory: directory.path, maximumBytes: 2 * segmentBytes + segmentBytes / 2)
        let metrics = TestMetrics()
        let client = try OTLPHTTPClient(configuration: configuration, metricsFactory: metrics)  // not running: nothing is sent
        for _ in 0..<3 { try client.tryExport(request, signal: .traces) }
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .traces, reason: "spool_full") == 1)
        #expect(counter(metrics, "otlp_exporter_dropped_bytes_total", .traces, reason: "spool_full") == Int64(request.count))
        #expect(try segments(in: directory).count == 2)

        let tiny = spoolDirectory()
        defer { try? FileManager.default.removeItem(at: tiny) }
        configuration.spool = SpoolConfiguration(directory: tiny.path, maximumBytes: segmentBytes - 1)
        let cramped = try OTLPHTTPClient(configuration: configuration, metricsFactory: metrics)
        #expect(throws: OTLPExportError.spoolFull(requestBytes: request.count, limit: segmentBytes - 1)) {
            try cramped.tryExport(request, signal: .traces)
        }
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .traces, reason: "spool_full") == 2)
    }

    @Test("a spool's directory is one client's: a second is refused with the lock; segments of labels it does not write are removed")
    func spoolDirectoryIsOneClients() throws {
        let directory = spoolDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let other = try WriteAheadSpool(configuration: SpoolConfiguration(directory: directory.path))
            let segment = try other.createSegment(label: "profiles/a")
            try other.append([1, 2, 3], to: segment)
        }
        #expect(try segments(in: directory).count == 1)
        var configuration = OTLPHTTPClientConfiguration(endpoint: "http://127.0.0.1:9")
        configuration.spool = SpoolConfiguration(directory: directory.path)
        let client = try OTLPHTTPClient(configuration: configuration)
        #expect(try segments(in: directory).isEmpty)
        #expect(throws: OTLPExportError.spool(.locked(path: directory.path))) {
            _ = try OTLPHTTPClient(configuration: configuration)
        }
        withExtendedLifetime(client) {}
    }
}
