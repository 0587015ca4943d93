import AsyncHTTPClient
import Foundation
import Logging
import LokiPush
import LokiPushCodec
import MetricsTestKit
import NIOHTTP1
import Synchronization
import TestSupport
import Testing
import WriteAheadSpool

/// The client against a fake Loki on loopback: batching, tenants, retries, backpressure,
/// ordering, concurrency, credentials, formats, shutdown and the spool.
@Suite(.timeLimit(.minutes(2)))
struct LokiPushClientTests {
    /// A configuration for `loki` with short waits, so that tests run fast.
    private func configuration(_ loki: FakeLoki) -> LokiPushConfiguration {
        var configuration = LokiPushConfiguration(url: loki.url)
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
    private func withClient(
        _ configuration: LokiPushConfiguration, metrics: TestMetrics = TestMetrics(),
        logs: RecordedLogs = RecordedLogs(), _ body: (LokiPushClient) async throws -> Void
    ) async throws {
        let logger = Logger(label: "LokiPushClientTests") { _ in RecordingLogHandler(logs: logs) }
        let client = try LokiPushClient(configuration: configuration, logger: logger, metricsFactory: metrics)
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

    /// A batch of one stream with `lines`, timestamped from `start` seconds, a nanosecond apart.
    private func batch(_ lines: [String], labels: String = #"{app="web", kind="log"}"#, start: Int64 = 1_700_000_000) throws -> LokiBatch {
        var batch = LokiBatch()
        let stream = batch.stream(try LokiLabels(parsing: labels))
        for (index, line) in lines.enumerated() {
            try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: start, nanoseconds: Int32(index)), line: line), to: stream)
        }
        return batch
    }

    /// The streams of a received protobuf push.
    private func streams(_ push: ReceivedPush) throws -> [LokiStream] {
        var batch = LokiBatch()
        try push.body.withUnsafeBytes { bytes in
            try LokiPushRequestDecoder.decodeProtobufBody(bytes, maximumLength: 64 << 20, into: &batch)
        }
        return batch.streams
    }

    /// Every line received, in order of arrival, from requests Loki accepted (status 204 here
    /// means: index not in `failed`).
    private func lines(_ pushes: [ReceivedPush]) throws -> [String] {
        try pushes.flatMap { try streams($0).flatMap { $0.entries.map(\.line) } }
    }

    /// The dropped-entries counter total for `reason`.
    private func dropped(_ metrics: TestMetrics, _ reason: LokiDropReason) -> Int64 {
        metrics.counters(label: "loki_write_dropped_entries_total")
            .filter { $0.dimensions.contains { $0 == ("reason", reason.rawValue) } }
            .reduce(0) { $0 + $1.totalValue }
    }

    @Test("a batch is sent when the next push would take it past batchSize, with every line in order")
    func batchesBySize() async throws {
        let loki = try await FakeLoki()
        var configuration = configuration(loki)
        configuration.batchSize = 2_048
        let pushed = (0..<100).map { "line \($0) " + String(repeating: "x", count: 90) }
        try await withClient(configuration) { client in
            for (index, line) in pushed.enumerated() {
                try await client.push(try batch([line], start: 1_700_000_000 + Int64(index)))
            }
            await client.flush()
        }
        let received = loki.received
        #expect(received.count >= 5 && received.count <= 6)
        #expect(try lines(received) == pushed)
        for push in received {
            let bytes = try streams(push).flatMap(\.entries).reduce(0) { $0 + $1.line.utf8.count }
            #expect(bytes <= 2_048)
            #expect(push.headers.first(name: "Content-Type") == "application/x-protobuf")
            #expect(push.path == "/loki/api/v1/push")
        }
        // The oracle, from Loki's own schema, reads the first body as we do.
        let decoded = try await TestEnvironment.runPython(
            arguments: [TestEnvironment.shared.appendingPathComponent("oracles/loki_push.py").path, "decode"],
            input: Data(received[0].body))
        let json = try #require(try JSONSerialization.jsonObject(with: decoded) as? [String: Any])
        let oracleStreams = try #require(json["streams"] as? [[String: Any]])
        let ours = try streams(received[0])
        #expect(oracleStreams.count == ours.count)
        #expect(oracleStreams.first?["labels"] as? String == #"{app="web", kind="log"}"#)
        let oracleLines = oracleStreams.flatMap { ($0["entries"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? String } }
        #expect(oracleLines == ours.flatMap { $0.entries.map(\.line) })
    }

    @Test("a batch is sent batchWait after its first entry without a flush")
    func batchesByTime() async throws {
        let loki = try await FakeLoki()
        var configuration = configuration(loki)
        configuration.batchWait = .milliseconds(200)
        try await withClient(configuration) { client in
            let pushedAt = ContinuousClock.now
            try await client.push(try batch(["a", "b", "c"]))
            let deadline = pushedAt + .seconds(10)
            while loki.received.isEmpty, .now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            let push = try #require(loki.received.first)
            #expect(push.arrival - pushedAt >= .milliseconds(150))
            #expect(try lines([push]) == ["a", "b", "c"])
        }
        #expect(loki.received.count == 1)
    }

    @Test("each tenant's entries go in its own requests with its X-Scope-OrgID")
    func tenantsAreSeparate() async throws {
        let loki = try await FakeLoki()
        var configuration = configuration(loki)
        configuration.tenant = "default-team"
        try await withClient(configuration) { client in
            try await client.push(try batch(["for a"]), tenant: "team-a")
            try await client.push(try batch(["for b"]), tenant: "team-b")
            try await client.push(try batch(["for default"]))
            try await client.push(try batch(["for a again"]), tenant: "team-a")
            await client.flush()
        }
        var byTenant: [String: [String]] = [:]
        for push in loki.received { byTenant[push.tenant, default: []] += try lines([push]) }
        #expect(byTenant == ["team-a": ["for a", "for a again"], "team-b": ["for b"], "default-team": ["for default"]])
    }

    @Test("5xx answers are retried with the same body until Loki accepts it")
    func retriesServerErrors() async throws {
        let loki = try await FakeLoki { index, _ in
            index == 0 ? FakeLokiAnswer(status: .internalServerError, body: "ingester unavailable")
                : index == 1 ? FakeLokiAnswer(status: .serviceUnavailable) : .accepted
        }
        let metrics = TestMetrics()
        try await withClient(configuration(loki), metrics: metrics) { client in
            try await client.push(try batch(["one", "two"]))
            await client.flush()
        }
        let received = loki.received
        #expect(received.count == 3)
        #expect(Set(received.map(\.body)).count == 1)
        #expect(metrics.counterTotal(label: "loki_write_batch_retries_total") == 2)
        #expect(metrics.counterTotal(label: "loki_write_sent_entries_total") == 2)
        #expect(metrics.counterTotal(label: "loki_write_sent_batches_total") == 1)
        #expect(metrics.counterTotal(label: "loki_write_dropped_entries_total") == 0)
        #expect(try metrics.expectGauge("loki_write_queued_batches", [("host", "127.0.0.1:\(loki.port)")]).lastValue == 0)
        #expect(try metrics.expectGauge("loki_write_buffered_bytes", [("host", "127.0.0.1:\(loki.port)")]).lastValue == 0)
    }

    @Test("a 429's Retry-After is waited for before the retry")
    func honoursRetryAfter() async throws {
        let loki = try await FakeLoki { index, _ in
            index == 0 ? FakeLokiAnswer(status: .tooManyRequests, headers: [("Retry-After", "1")], body: "rate limited") : .accepted
        }
        var configuration = configuration(loki)
        configuration.maximumBackoff = .seconds(5)
        try await withClient(configuration) { client in
            try await client.push(try batch(["slow down"]))
            await client.flush()
        }
        let received = loki.received
        #expect(received.count == 2)
        if received.count == 2 { #expect(received[1].arrival - received[0].arrival >= .milliseconds(950)) }
    }

    @Test("a 4xx other than 429 is not retried: the batch is dropped and counted as rejected")
    func doesNotRetryClientErrors() async throws {
        let loki = try await FakeLoki { _, _ in
            FakeLokiAnswer(status: .badRequest, body: "entry for stream '{app=\"web\"}' has timestamp too old")
        }
        let metrics = TestMetrics()
        let logs = RecordedLogs()
        try await withClient(configuration(loki), metrics: metrics, logs: logs) { client in
            try await client.push(try batch(["old", "older"]))
            await client.flush()
        }
        #expect(loki.received.count == 1)
        #expect(dropped(metrics, .rejected) == 2)
        #expect(metrics.counterTotal(label: "loki_write_batch_retries_total") == 0)
        let errors = logs.entries.filter { $0.level == .error }
        #expect(errors.contains { $0.metadata["reason"] == #"HTTP 400: entry for stream '{app="web"}' has timestamp too old"# })
    }

    @Test("after maximumRetries the batch is dropped, as ingester_error or rate_limited")
    func dropsAfterMaximumRetries() async throws {
        let failing = try await FakeLoki { _, _ in FakeLokiAnswer(status: .badGateway) }
        let limited = try await FakeLoki { _, _ in FakeLokiAnswer(status: .tooManyRequests) }
        let metrics = TestMetrics()
        var configuration = configuration(failing)
        configuration.maximumRetries = 2
        try await withClient(configuration, metrics: metrics) { client in
            try await client.push(try batch(["lost"]))
            await client.flush()
        }
        #expect(failing.received.count == 3)
        #expect(dropped(metrics, .ingesterError) == 1)

        configuration.url = limited.url
        configuration.retryOnRateLimit = false
        try await withClient(configuration, metrics: metrics) { client in
            try await client.push(try batch(["limited"]))
            await client.flush()
        }
        #expect(limited.received.count == 1)
        #expect(dropped(metrics, .rateLimited) == 1)
    }

    @Test("a tenant's batches reach Loki in order: none is sent before the one before it succeeds")
    func keepsOrderAcrossRetries() async throws {
        let loki = try await FakeLoki { index, _ in index < 3 ? FakeLokiAnswer(status: .internalServerError) : .accepted }
        var configuration = configuration(loki)
        configuration.batchSize = 512
        let pushed = (0..<40).map { "entry \($0) " + String(repeating: "y", count: 50) }
        try await withClient(configuration) { client in
            for line in pushed { try await client.push(try batch([line])) }
            await client.flush()
        }
        let received = loki.received
        // The first request and its three attempts carry the same batch.
        #expect(Set(received.prefix(4).map(\.body)).count == 1)
        #expect(try lines(Array(received.dropFirst(3))) == pushed)
    }

    @Test("at most maximumConcurrentSends requests are open at once")
    func limitsConcurrentSends() async throws {
        let loki = try await FakeLoki { _, _ in FakeLokiAnswer(delay: .milliseconds(150)) }
        var configuration = configuration(loki)
        configuration.maximumConcurrentSends = 2
        try await withClient(configuration) { client in
            for tenant in 0..<6 {
                try await client.push(try batch(["from \(tenant)"]), tenant: "tenant-\(tenant)")
            }
            await client.flush()
        }
        #expect(loki.received.count == 6)
        // Two at once when the machine keeps up; never more.
        #expect((1...2).contains(loki.maximumConcurrency))
    }

    @Test("without a spool, a full buffer makes tryPush fail and push wait until room is freed")
    func backpressure() async throws {
        let loki = try await FakeLoki { index, _ in index < 3 ? FakeLokiAnswer(status: .serviceUnavailable) : .accepted }
        var configuration = configuration(loki)
        configuration.maximumBufferedBytes = 1_000
        configuration.minimumBackoff = .milliseconds(100)
        configuration.batchSize = 600
        let first = try batch([String(repeating: "a", count: 700)])
        let second = try batch([String(repeating: "b", count: 400)])
        try await withClient(configuration) { client in
            try await client.push(first)
            #expect(client.bufferedBytes == 700)
            #expect(throws: LokiPushError.bufferFull(bytes: 400, buffered: 700, maximum: 1_000)) {
                try client.tryPush(second)
            }
            try await client.push(second)   // waits until the first batch is delivered
            #expect(loki.received.count >= 4)
            await client.flush()
            #expect(client.bufferedBytes == 0)
        }
        #expect(try lines(loki.received.suffix(2)) == [String(repeating: "a", count: 700), String(repeating: "b", count: 400)])
    }

    @Test("a push waiting for room can be cancelled, and then nothing of it is sent")
    func cancellingAWaitingPush() async throws {
        // Loki refuses the first batch until the waiting push is cancelled, so that its room does
        // not come first however late the cancellation comes on a stalled machine.
        let cancelled = Atomic(false)
        let loki = try await FakeLoki { _, _ in
            cancelled.load(ordering: .acquiring) ? .accepted : FakeLokiAnswer(status: .serviceUnavailable)
        }
        var configuration = configuration(loki)
        configuration.maximumBufferedBytes = 1_000
        configuration.minimumBackoff = .milliseconds(300)
        configuration.maximumBackoff = .milliseconds(300)
        configuration.maximumRetries = 1_000
        try await withClient(configuration) { client in
            try await client.push(try batch([String(repeating: "a", count: 900)]))
            let waiting = Task { try await client.push(try batch(["cancelled " + String(repeating: "c", count: 200)])) }
            try await Task.sleep(for: .milliseconds(50))
            waiting.cancel()
            cancelled.store(true, ordering: .releasing)
            await #expect(throws: LokiPushError.cancelled) { try await waiting.value }
            await client.flush()
        }
        #expect(try lines(loki.received.suffix(1)) == [String(repeating: "a", count: 900)])
        #expect(try !loki.received.contains { try lines([$0]).contains("cancelled") })
    }

    @Test("cancelling run() stops at once: batches held in memory are counted as dropped (shutdown)")
    func cancellingRun() async throws {
        let loki = try await FakeLoki { _, _ in FakeLokiAnswer(status: .serviceUnavailable) }
        var configuration = configuration(loki)
        configuration.minimumBackoff = .seconds(30)
        configuration.maximumBackoff = .seconds(30)
        configuration.batchSize = 1   // every push is a batch of its own
        let metrics = TestMetrics()
        let client = try LokiPushClient(configuration: configuration, metricsFactory: metrics)
        let sender = Task { await client.run() }
        try await client.push(try batch(["in flight"]), tenant: "a")
        try await client.push(try batch(["queued behind it"]), tenant: "a")
        try await client.push(try batch(["in flight too"]), tenant: "b")
        let deadline = ContinuousClock.now + .seconds(10)
        while loki.received.count < 2, .now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let cancelledAt = ContinuousClock.now
        sender.cancel()
        await sender.value
        // Well under the 30 s backoff that a run going on after the cancellation would wait, with
        // room for a machine that stalls for seconds (the tests run in parallel on two cores).
        #expect(ContinuousClock.now - cancelledAt < .seconds(15))
        #expect(dropped(metrics, .shutdown) == 3)
        #expect(client.bufferedBytes == 0)
        await #expect(throws: LokiPushError.shutDown) { try await client.push(try batch(["after"])) }
    }

    @Test("a request that times out is retried")
    func retriesTimeouts() async throws {
        let loki = try await FakeLoki { index, _ in index == 0 ? FakeLokiAnswer(delay: .seconds(4)) : .accepted }
        var configuration = configuration(loki)
        configuration.timeout = .seconds(1)
        let metrics = TestMetrics()
        try await withClient(configuration, metrics: metrics) { client in
            try await client.push(try batch(["patience"]))
            await client.flush()
        }
        // The same push again after the first timed out; on a starved machine an answer that
        // comes at once can miss the timeout too and be retried once more, so at least two.
        let received = loki.received
        #expect(received.count >= 2)
        #expect(Set(received.map(\.body)).count == 1)
        #expect(metrics.counterTotal(label: "loki_write_sent_entries_total") == 1)
    }

    @Test("credentials and extra headers are sent with every request")
    func sendsCredentials() async throws {
        let loki = try await FakeLoki()
        var configuration = configuration(loki)
        configuration.authorization = .basic(username: "loki", password: "s3cret")
        configuration.headers = [("X-Team", "rum")]
        try await withClient(configuration) { client in
            try await client.push(try batch(["basic"]))
            await client.flush()
        }
        configuration.authorization = .bearer(token: "t0ken")
        try await withClient(configuration) { client in
            try await client.push(try batch(["bearer"]))
            await client.flush()
        }
        let received = loki.received
        #expect(received.map { $0.headers.first(name: "Authorization") } == ["Basic bG9raTpzM2NyZXQ=", "Bearer t0ken"])
        #expect(received.allSatisfy { $0.headers.first(name: "X-Team") == "rum" })
    }

    @Test("JSON bodies, gzip-compressed when configured")
    func sendsJSON() async throws {
        let loki = try await FakeLoki()
        var configuration = configuration(loki)
        configuration.format = .json
        configuration.gzipJSON = true
        try await withClient(configuration) { client in
            try await client.push(try batch(["{\"msg\":\"json line\"}"]))
            await client.flush()
        }
        let push = try #require(loki.received.first)
        #expect(push.headers.first(name: "Content-Type") == "application/json")
        #expect(push.headers.first(name: "Content-Encoding") == "gzip")
        let inflated = try await TestEnvironment.runPython(
            code: "import gzip, sys; sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))", input: Data(push.body))
        let json = try #require(try JSONSerialization.jsonObject(with: inflated) as? [String: Any])
        let stream = try #require((json["streams"] as? [[String: Any]])?.first)
        #expect(stream["stream"] as? [String: String] == ["app": "web", "kind": "log"])
        let values = try #require(stream["values"] as? [[Any]])
        #expect(values.first?.first as? String == "1700000000000000000")
        #expect(values.first?.dropFirst().first as? String == "{\"msg\":\"json line\"}")
    }

    @Test("shutdown sends what was pushed, then pushes fail")
    func shutdownDrains() async throws {
        let loki = try await FakeLoki()
        let client = try LokiPushClient(configuration: configuration(loki))
        let sender = Task { await client.run() }
        try await client.push(try batch(["before shutdown"]))
        await client.shutdown()
        await sender.value
        #expect(try lines(loki.received) == ["before shutdown"])
        await #expect(throws: LokiPushError.shutDown) { try await client.push(try batch(["after"])) }
    }

    @Test("with a spool, what Loki did not confirm before shutdown is sent by the next client")
    func spoolReplaysAfterRestart() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loki-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let loki = try await FakeLoki { _, _ in FakeLokiAnswer(status: .internalServerError) }
        var configuration = configuration(loki)
        configuration.spool = SpoolConfiguration(directory: directory.path)
        configuration.drainTimeout = .milliseconds(300)
        configuration.batchSize = 256
        let metrics = TestMetrics()
        let pushed = (0..<20).map { "spooled \($0) " + String(repeating: "z", count: 30) }
        try await withClient(configuration, metrics: metrics) { client in
            for line in pushed { try await client.push(try batch([line]), tenant: "team-s") }
        }
        #expect(dropped(metrics, .shutdown) == 0)
        let spoolBytes = try metrics.expectGauge("loki_write_spool_bytes", [("host", "127.0.0.1:\(loki.port)")]).lastValue
        #expect((spoolBytes ?? 0) > 20 * 30)
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
        #expect(!segments.isEmpty)

        // The next client sends to a Loki of its own: a request of the first one, abandoned in
        // flight at its shutdown, can still reach the first Loki late on a loaded machine.
        let nextLoki = try await FakeLoki()
        var next = configuration
        next.url = nextLoki.url
        try await withClient(next) { client in
            await client.flush()
        }
        let replayed = nextLoki.received
        // Delivery is at least once: a request that timed out on a loaded machine may come twice.
        var seen = Set<String>()
        #expect(try lines(replayed).filter { seen.insert($0).inserted } == pushed)
        #expect(replayed.allSatisfy { $0.tenant == "team-s" })
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
        #expect(left.isEmpty)
    }

    @Test("a batch recovered from the spool and dropped for room is counted from its segment")
    func spoolDropsARecoveredBatch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loki-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let loki = try await FakeLoki { _, _ in FakeLokiAnswer(status: .internalServerError) }
        var configuration = configuration(loki)
        configuration.spool = SpoolConfiguration(directory: directory.path)
        configuration.batchSize = 1   // every push is a batch, and a segment, of its own
        configuration.drainTimeout = .milliseconds(100)
        let line = String(repeating: "r", count: 40)
        try await withClient(configuration) { client in
            for _ in 0..<5 { try await client.push(try batch([line])) }
        }
        let spooled = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
            .reduce(0) { total, name in
                total + ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
            }
        // The next client's spool has room for what is there and little more: its first push
        // drops the oldest recovered batch, whose size only its segment tells.
        configuration.spool = SpoolConfiguration(directory: directory.path, maximumBytes: spooled + 64)
        let metrics = TestMetrics()
        let client = try LokiPushClient(configuration: configuration, metricsFactory: metrics)
        try await client.push(try batch([String(repeating: "n", count: 100)]))
        #expect(dropped(metrics, .spoolFull) >= 1)
        let droppedBytes = metrics.counters(label: "loki_write_dropped_bytes_total")
            .filter { $0.dimensions.contains { $0 == ("reason", LokiDropReason.spoolFull.rawValue) } }
            .reduce(0) { $0 + $1.totalValue }
        #expect(droppedBytes == 40 * dropped(metrics, .spoolFull))
        #expect(client.queuedBatches == 5 - Int(dropped(metrics, .spoolFull)) + 1)
    }

    @Test("a full spool drops its oldest queued batch and counts it")
    func spoolDropsOldest() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loki-spool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let loki = try await FakeLoki { _, _ in FakeLokiAnswer(status: .internalServerError) }
        var configuration = configuration(loki)
        configuration.spool = SpoolConfiguration(directory: directory.path, maximumBytes: 4_096)
        configuration.batchSize = 500
        configuration.minimumBackoff = .seconds(10)
        configuration.maximumBackoff = .seconds(10)
        configuration.drainTimeout = .milliseconds(100)
        let metrics = TestMetrics()
        try await withClient(configuration, metrics: metrics) { client in
            for index in 0..<30 {
                try await client.push(try batch(["entry \(index) " + String(repeating: "q", count: 200)]))
            }
        }
        #expect(dropped(metrics, .spoolFull) > 0)
        let bytes = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
            .reduce(0) { total, name in
                total + ((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
            }
        #expect(bytes <= 4_096)
    }
}
