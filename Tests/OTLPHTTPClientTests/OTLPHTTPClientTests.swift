import Foundation
import MetricsTestKit
import NIOHTTP1
import OTLPCodec
import OTLPHTTPClient
import TestSupport
import Testing

/// The exporter against a recording OTLP receiver on loopback: paths, headers, batching by
/// concatenation, retries, Retry-After, refusals, backpressure, shutdown and gzip; the spool's
/// tests are in `OTLPHTTPClientSpoolTests.swift`.
@Suite(.timeLimit(.minutes(1)))
struct OTLPHTTPClientTests {
    /// A configuration for `receiver` with short waits, so that tests run fast.
    func configuration(_ receiver: RecordingHTTPServer) -> OTLPHTTPClientConfiguration {
        var configuration = OTLPHTTPClientConfiguration(endpoint: receiver.url(""))
        configuration.batchWait = .seconds(30)
        configuration.minimumBackoff = .milliseconds(10)
        configuration.maximumBackoff = .milliseconds(100)
        // Timeouts that a machine stalling the tests for seconds does not reach on the happy path
        // (a retry would change the counts the tests expect); tests of timeouts set their own.
        configuration.timeout = .seconds(20)
        configuration.drainTimeout = .seconds(20)
        return configuration
    }

    /// Runs `body` with a running client, then shuts it down.
    func withClient(
        _ configuration: OTLPHTTPClientConfiguration, metrics: TestMetrics = TestMetrics(),
        _ body: (OTLPHTTPClient) async throws -> Void
    ) async throws {
        let client = try OTLPHTTPClient(configuration: configuration, metricsFactory: metrics)
        let sender = Task { await client.run() }
        do {
            try await body(client)
        } catch {
            await client.shutdown()
            await sender.value
            throw error
        }
        await client.shutdown()
        await sender.value
    }

    func counter(_ metrics: TestMetrics, _ label: String, _ signal: OTLPSignal, reason: String? = nil) -> Int64 {
        var dimensions = [("signal", OTLPSamples.name(signal))]
        if let reason { dimensions.append(("reason", reason)) }
        return metrics.counterTotal(label: label, dimensions: dimensions)
    }

    @Test("each signal is posted to its OTLP path as application/x-protobuf, with the configured headers")
    func pathsAndHeaders() async throws {
        let receiver = try await RecordingHTTPServer()
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.endpoint = receiver.url("/otlp/")
        configuration.headers = [("Authorization", "Bearer secret")]
        var sent: [String: ContiguousArray<UInt8>] = [:]
        try await withClient(configuration) { client in
            #expect(client.url(for: .traces) == receiver.url("/otlp/v1/traces"))
            for signal in OTLPSignal.allCases {
                let request = OTLPSamples.request(signal, service: "web")
                sent["/otlp/v1/" + OTLPSamples.name(signal)] = request
                try client.tryExport(request, signal: signal)
            }
            await client.flush()
        }
        let received = receiver.received
        #expect(received.count == 3)
        #expect(Set(received.map(\.path)) == ["/otlp/v1/traces", "/otlp/v1/logs", "/otlp/v1/metrics"])
        for request in received {
            #expect(request.body == sent[request.path].map { Array($0) })
            #expect(request.headers.first(name: "Content-Type") == "application/x-protobuf")
            #expect(request.headers.first(name: "Authorization") == "Bearer secret")
            #expect(request.headers.first(name: "Content-Encoding") == nil)
            #expect(request.headers.first(name: "X-Scope-OrgID") == nil)
        }
    }

    @Test("requests of one signal and tenant are concatenated into one body that decodes as one request")
    func concatenatesBatches() async throws {
        let receiver = try await RecordingHTTPServer()
        defer { Task { await receiver.close() } }
        let metrics = TestMetrics()
        let services = (0..<5).map { "service-\($0)" }
        var total = 0
        try await withClient(configuration(receiver), metrics: metrics) { client in
            for service in services {
                let request = OTLPSamples.request(.traces, service: service)
                total += request.count
                try client.tryExport(request, signal: .traces, tenant: "team-a")
            }
            try client.tryExport(OTLPSamples.request(.traces, service: "other"), signal: .traces, tenant: "team-b")
            await client.flush()
        }
        let received = receiver.received
        #expect(received.count == 2)
        let teamA = try #require(received.first { $0.headers.first(name: "X-Scope-OrgID") == "team-a" })
        let teamB = try #require(received.first { $0.headers.first(name: "X-Scope-OrgID") == "team-b" })
        #expect(teamA.body.count == total)
        #expect(try await OTLPSamples.decodedServices(teamA.body, signal: .traces) == services)
        #expect(try await OTLPSamples.decodedServices(teamB.body, signal: .traces) == ["other"])
        #expect(counter(metrics, "otlp_exporter_sent_requests_total", .traces) == 6)
        #expect(counter(metrics, "otlp_exporter_sent_bytes_total", .traces) == Int64(teamA.body.count + teamB.body.count))
        #expect(try metrics.expectGauge("otlp_exporter_queue_bytes").lastValue == 0)
    }

    @Test("a batch is sent batchWait after its first request, without a flush")
    func sendsAfterBatchWait() async throws {
        let receiver = try await RecordingHTTPServer()
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.batchWait = .milliseconds(50)
        try await withClient(configuration) { client in
            let start = ContinuousClock.now
            try client.tryExport(OTLPSamples.request(.logs, service: "a"), signal: .logs)
            try client.tryExport(OTLPSamples.request(.logs, service: "b"), signal: .logs)
            _ = try await eventually(every: .milliseconds(10)) { !receiver.received.isEmpty }
            let request = try #require(receiver.received.first)
            #expect(request.arrival - start >= .milliseconds(45))
            #expect(try await OTLPSamples.decodedServices(request.body, signal: .logs) == ["a", "b"])
        }
    }

    @Test("a batch is sealed before it would exceed maximumBatchBytes; batches of a lane keep their order")
    func splitsAtMaximumBatchBytes() async throws {
        let receiver = try await RecordingHTTPServer()
        defer { Task { await receiver.close() } }
        let requests = (0..<5).map { OTLPSamples.request(.logs, service: "s\($0)") }
        var configuration = configuration(receiver)
        configuration.maximumBatchBytes = requests[0].count * 2 + 1
        try await withClient(configuration) { client in
            for request in requests { try client.tryExport(request, signal: .logs) }
            await client.flush()
        }
        let received = receiver.received
        #expect(received.map(\.path) == ["/v1/logs", "/v1/logs", "/v1/logs"])
        #expect(received.allSatisfy { $0.body.count <= configuration.maximumBatchBytes })
        var services: [String] = []
        for request in received { services += try await OTLPSamples.decodedServices(request.body, signal: .logs) }
        #expect(services == ["s0", "s1", "s2", "s3", "s4"])
    }

    @Test("one batch in flight per signal and tenant, within the global limit, in order")
    func oneInFlightPerLane() async throws {
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer(delay: .milliseconds(30)) }
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.maximumBatchBytes = 1  // every request is a batch of its own
        configuration.maximumConcurrentSends = 2
        let tenants = ["a", "b", "c"]
        try await withClient(configuration) { client in
            for index in 0..<3 {
                for tenant in tenants {
                    try client.tryExport(OTLPSamples.request(.traces, service: "\(tenant)\(index)"), signal: .traces, tenant: tenant)
                }
            }
            await client.flush()
        }
        let received = receiver.received
        #expect(received.count == 9)
        #expect(receiver.maximumConcurrency <= 2)
        for tenant in tenants {
            let bodies = received.filter { $0.headers.first(name: "X-Scope-OrgID") == tenant }.map(\.body)
            #expect(bodies == (0..<3).map { Array(OTLPSamples.request(.traces, service: "\(tenant)\($0)")) })
        }
    }

    @Test("503 is retried with backoff until it succeeds")
    func retriesServiceUnavailable() async throws {
        let receiver = try await RecordingHTTPServer { index, _ in
            index < 2 ? HTTPAnswer(status: .serviceUnavailable, body: "overloaded") : HTTPAnswer(status: .ok)
        }
        defer { Task { await receiver.close() } }
        let metrics = TestMetrics()
        try await withClient(configuration(receiver), metrics: metrics) { client in
            try client.tryExport(OTLPSamples.request(.metrics, service: "web"), signal: .metrics)
            await client.flush()
        }
        let received = receiver.received
        #expect(received.count == 3)
        #expect(Set(received.map(\.body)).count == 1)
        #expect(counter(metrics, "otlp_exporter_retries_total", .metrics) == 2)
        #expect(counter(metrics, "otlp_exporter_sent_requests_total", .metrics) == 1)
        #expect(counter(metrics, "otlp_exporter_failed_requests_total", .metrics) == 0)
    }

    @Test("a 429's Retry-After is waited for before the retry")
    func honoursRetryAfter() async throws {
        let receiver = try await RecordingHTTPServer { index, _ in
            index == 0 ? HTTPAnswer(status: .tooManyRequests, headers: [("Retry-After", "1")]) : HTTPAnswer(status: .ok)
        }
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.maximumBackoff = .seconds(5)
        try await withClient(configuration) { client in
            try client.tryExport(OTLPSamples.request(.traces, service: "web"), signal: .traces)
            await client.flush()
        }
        let received = receiver.received
        #expect(received.count == 2)
        if received.count == 2 { #expect(received[1].arrival - received[0].arrival >= .milliseconds(950)) }
    }

    @Test("statuses the OTLP spec does not retry are final: dropped, counted as failed", arguments: [400, 413, 500])
    func doesNotRetryOtherStatuses(status: Int) async throws {
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: HTTPResponseStatus(statusCode: status), body: "bad") }
        defer { Task { await receiver.close() } }
        let metrics = TestMetrics()
        var total = 0
        try await withClient(configuration(receiver), metrics: metrics) { client in
            for service in ["a", "b"] {
                let request = OTLPSamples.request(.logs, service: service)
                total += request.count
                try client.tryExport(request, signal: .logs)
            }
            await client.flush()
        }
        #expect(receiver.received.count == 1)
        #expect(counter(metrics, "otlp_exporter_failed_requests_total", .logs) == 2)
        #expect(counter(metrics, "otlp_exporter_failed_bytes_total", .logs) == Int64(total))
        #expect(counter(metrics, "otlp_exporter_retries_total", .logs) == 0)
        #expect(counter(metrics, "otlp_exporter_sent_requests_total", .logs) == 0)
    }

    @Test("failures without an answer (a timeout) are retried up to maximumRetries, then the batch fails")
    func retriesTransportFailures() async throws {
        // A receiver that answers too late: every attempt times out. (Not a closed port: another
        // test's server could be given it meanwhile.) The timeout leaves a loaded machine time to
        // deliver each attempt's request before it gives up (100 ms, then 600 ms, once lost the third).
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer(delay: .seconds(10)) }
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.timeout = .seconds(2)
        configuration.maximumRetries = 2
        let metrics = TestMetrics()
        try await withClient(configuration, metrics: metrics) { client in
            try client.tryExport(OTLPSamples.request(.traces, service: "web"), signal: .traces)
            await client.flush()
        }
        #expect(receiver.received.count == 3)
        #expect(counter(metrics, "otlp_exporter_retries_total", .traces) == 2)
        #expect(counter(metrics, "otlp_exporter_failed_requests_total", .traces) == 1)
        #expect(try metrics.expectTimer("otlp_exporter_request_duration_seconds", [("signal", "traces"), ("status_code", "0")]).values.count == 3)
    }

    @Test("tryExport throws bufferFull at once when the buffer is full, and shutDown after shutdown")
    func backpressure() async throws {
        let metrics = TestMetrics()
        let request = OTLPSamples.request(.traces, service: "web")
        var configuration = OTLPHTTPClientConfiguration(endpoint: "http://127.0.0.1:9")
        configuration.maximumBufferedBytes = request.count * 2 + request.count / 2
        configuration.drainTimeout = .milliseconds(50)
        let client = try OTLPHTTPClient(configuration: configuration, metricsFactory: metrics)  // not running: nothing is sent
        try client.tryExport(request, signal: .traces)
        try client.tryExport(request, signal: .traces, tenant: "other")
        #expect(client.bufferedBytes == request.count * 2)
        #expect(throws: OTLPExportError.bufferFull(requestBytes: request.count, bufferedBytes: request.count * 2, limit: configuration.maximumBufferedBytes)) {
            try client.tryExport(request, signal: .traces)
        }
        let huge = ContiguousArray<UInt8>(repeating: 0x0a, count: configuration.maximumBufferedBytes + 1)
        #expect(throws: OTLPExportError.requestTooLarge(bytes: huge.count, limit: configuration.maximumBufferedBytes)) {
            try client.tryExport(huge, signal: .logs)
        }
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .traces, reason: "buffer_full") == 1)
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .logs, reason: "too_large") == 1)
        await client.shutdown()
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .traces, reason: "shutdown") == 2)
        #expect(client.bufferedBytes == 0)
        #expect(throws: OTLPExportError.shutDown) { try client.tryExport(request, signal: .traces) }
    }

    @Test("shutdown sends what is held, open batches included, before run returns")
    func shutdownDrains() async throws {
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer(delay: .milliseconds(20)) }
        defer { Task { await receiver.close() } }
        let metrics = TestMetrics()
        let client = try OTLPHTTPClient(configuration: configuration(receiver), metricsFactory: metrics)
        let sender = Task { await client.run() }
        for signal in OTLPSignal.allCases {
            try client.tryExport(OTLPSamples.request(signal, service: "web"), signal: signal)
        }
        await client.shutdown()
        await sender.value
        #expect(receiver.received.count == 3)
        #expect(client.bufferedBytes == 0)
        for signal in OTLPSignal.allCases {
            #expect(counter(metrics, "otlp_exporter_sent_requests_total", signal) == 1)
            #expect(counter(metrics, "otlp_exporter_dropped_requests_total", signal, reason: "shutdown") == 0)
        }
    }

    @Test("shutdown gives up after drainTimeout and counts what it could not send")
    func shutdownTimesOut() async throws {
        // Answers long after the bound below, which a loaded machine's scheduling delays stay far
        // under (a CI run took 2.2 s to give up; another stalled a timeout 5.3 s).
        let receiver = try await RecordingHTTPServer { _, _ in HTTPAnswer(delay: .seconds(60)) }
        defer { Task { await receiver.close() } }
        let metrics = TestMetrics()
        var configuration = configuration(receiver)
        configuration.drainTimeout = .milliseconds(200)
        let client = try OTLPHTTPClient(configuration: configuration, metricsFactory: metrics)
        let sender = Task { await client.run() }
        try client.tryExport(OTLPSamples.request(.traces, service: "web"), signal: .traces)
        let start = ContinuousClock.now
        await client.shutdown()
        await sender.value
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(counter(metrics, "otlp_exporter_dropped_requests_total", .traces, reason: "shutdown") == 1)
        #expect(client.bufferedBytes == 0)
    }

    @Test("with gzip, the body inflates to the protobuf and says so")
    func gzipBodies() async throws {
        let receiver = try await RecordingHTTPServer()
        defer { Task { await receiver.close() } }
        var configuration = configuration(receiver)
        configuration.compression = .gzip
        let first = OTLPSamples.request(.traces, service: "one")
        let second = OTLPSamples.request(.traces, service: "two")
        try await withClient(configuration) { client in
            try client.tryExport(first, signal: .traces)
            try client.tryExport(second, signal: .traces)
            await client.flush()
        }
        let request = try #require(receiver.received.first)
        #expect(request.headers.first(name: "Content-Encoding") == "gzip")
        #expect(Array(request.body.prefix(2)) == [0x1f, 0x8b])
        let inflated = try await OTLPSamples.gunzip(request.body)
        #expect(inflated == Array(first + second))
        #expect(try await OTLPSamples.decodedServices(inflated, signal: .traces) == ["one", "two"])
    }

    @Test("an endpoint that is not an http(s) URL is refused")
    func invalidEndpoint() {
        #expect(throws: OTLPExportError.invalidEndpoint("tempo:4318")) {
            _ = try OTLPHTTPClient(configuration: OTLPHTTPClientConfiguration(endpoint: "tempo:4318"))
        }
        #expect(OTLPExportError.shutDown.description == "the OTLP exporter is shutting down")
    }
}
