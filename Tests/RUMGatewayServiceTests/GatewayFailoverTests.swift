import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization
import TestSupport
import Testing

/// rum-gateway when an upstream dies or Redis goes away.
@Suite(.serialized) struct GatewayFailoverTests {
    static let tenants = """
        shop:
          api_keys: [shop-key-0123456789]
        """

    /// Tenants shop and blog, each with its key and a limit of `rate` requests a second and `burst`.
    static func shopAndBlog(rate: Double, burst: Int) -> String {
        ["shop", "blog"].map { "\($0):\n  api_keys: [\($0)-key-0123456789]\n  rate_limit: { rate: \(rate), burst: \(burst) }\n" }.joined()
    }

    /// Posts an empty payload with `tenant`'s key (of `shopAndBlog`); returns the status.
    static func post(_ gateway: GatewayProcess, tenant: String = "shop") async throws -> Int {
        try await gateway.post(body: Array("{}".utf8), headers: [GatewayTestPayload.json, ("x-api-key", "\(tenant)-key-0123456789")]).status
    }

    /// What `load` saw.
    struct LoadResult {
        var accepted = 0
        /// Failed requests: when each was sent and when it failed.
        var failures: [(sent: ContinuousClock.Instant, failed: ContinuousClock.Instant)] = []
    }

    /// Posts the sample payload from `clients` closed-loop clients until `deadline`.
    static func load(
        _ gateway: GatewayProcess, clients: Int, until deadline: ContinuousClock.Instant, eachAtLeast minimum: Int = 0
    ) async -> LoadResult {
        await withTaskGroup(of: LoadResult.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var result = LoadResult()
                    // Until the deadline, and on until `minimum` were accepted (within 30 s more) on a stalled machine.
                    while ContinuousClock.now < deadline || (result.accepted < minimum && ContinuousClock.now < deadline + .seconds(30)) {
                        let sent = ContinuousClock.now
                        let status = try? await gateway.post(
                            body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "shop-key-0123456789")]
                        ).status
                        if status == 202 { result.accepted += 1 } else { result.failures.append((sent, .now)) }
                    }
                    return result
                }
            }
            return await group.reduce(into: LoadResult()) {
                $0.accepted += $1.accepted
                $0.failures += $1.failures
            }
        }
    }

    @Test("an upstream killed under load: only the requests in flight on it fail, then all traffic goes to the other")
    func upstreamKilled() async throws {
        let survivor = try await CollectorProcess.start()
        let victim = try await CollectorProcess.start()
        let gateway = try await GatewayProcess.start(tenants: Self.tenants, upstreams: [survivor.service.port, victim.service.port])
        let clients = 8
        let start = ContinuousClock.now
        // On until each client had 7 accepted (56 in all): a CI run on a stalled machine got 46 in 3 s.
        async let result = Self.load(gateway, clients: clients, until: start + .seconds(3), eachAtLeast: 7)
        try await Task.sleep(until: start + .seconds(1))
        let killed = ContinuousClock.now
        await victim.service.kill()
        // `kill()` waits for the process to end: requests sent from here on find it gone.
        let gone = ContinuousClock.now
        let load = await result
        // At most one request per client can have been on the killed collector. Each failure is one
        // that was under way when it was killed (sent before it was gone, failed after the kill),
        // not one sent afterwards, and it failed soon. (Timed by the requests rather than by a
        // window of half a second after the kill, which a machine that stalls the test misses.)
        #expect(load.failures.count <= clients)
        #expect(
            load.failures.allSatisfy { $0.sent < gone && $0.failed >= killed && $0.failed < gone + .seconds(10) },
            "\(load.failures) killed \(killed) gone \(gone)")
        #expect(load.accepted > 50)
        let upstreams = try #require(try await gateway.admin("/upstreams").json["upstreams"] as? [[String: Any]])
        let victimState = try #require(upstreams.first { $0["name"] as? String == "127.0.0.1:\(victim.service.port)" })
        // Requests picked for it afterwards could not be sent, and went to the survivor.
        #expect((victimState["not_sent"] as? Int ?? 0) > 0)
        #expect(try await gateway.metric("rum_gateway_retries_total") ?? 0 > 0)
        #expect(await gateway.service.terminate() == 0)
        #expect(await survivor.stop() == 0)
    }

    @Test("health checks take an upstream that is not ready out of rotation and put it back when it is")
    func healthChecks() async throws {
        let collector = try await CollectorProcess.start()
        let flaky = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .ok, body: "ready") }
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [collector.service.port, flaky.port], arguments: ["--health-check-interval", "100ms"])
        func available() async throws -> Double? {
            try await gateway.metric("rum_gateway_upstream_available{upstream=\"127.0.0.1:\(flaky.port)\"}")
        }
        func wait(for value: Double) async throws -> Bool {
            try await eventually { try await available() == value }
        }
        #expect(try await wait(for: 1))
        flaky.answer { _, _ in HTTPAnswer(status: .serviceUnavailable, body: "shutting down") }
        #expect(try await wait(for: 0))
        // Out of rotation: every request goes to the collector.
        let picksBefore = try await gateway.metric("rum_gateway_upstream_picks_total{upstream=\"127.0.0.1:\(flaky.port)\"}")
        for _ in 0..<10 {
            let status = try await gateway.post(body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "shop-key-0123456789")]).status
            #expect(status == 202)
        }
        #expect(try await gateway.metric("rum_gateway_upstream_picks_total{upstream=\"127.0.0.1:\(flaky.port)\"}") == picksBefore)
        flaky.answer { _, _ in HTTPAnswer(status: .ok, body: "ready") }
        #expect(try await wait(for: 1))
        #expect(await gateway.service.terminate() == 0)
        #expect(await collector.stop() == 0)
        await flaky.close()
    }

    @Test("an upstream that sends its check's answer head and holds back the body fails its checks in time; the others are still checked")
    func healthCheckBodyHeldBack() async throws {
        // A 200 head at once, its body an hour later.
        let stalled = try await RecordingHTTPServer(headFirst: true) { _, _ in HTTPAnswer(body: "ready", delay: .seconds(3600)) }
        let flaky = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .serviceUnavailable, body: "shutting down") }
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [stalled.port, flaky.port], arguments: ["--health-check-interval", "200ms"])
        func available(_ port: Int) async throws -> Double? {
            try await gateway.metric("rum_gateway_upstream_available{upstream=\"127.0.0.1:\(port)\"}")
        }
        // Checks time out after 200 ms and two failed checks take an upstream out: about a second.
        let bothOut = try await eventually {
            let stalledAvailable = try await available(stalled.port)
            let flakyAvailable = try await available(flaky.port)
            return stalledAvailable == 0 && flakyAvailable == 0
        }
        #expect(bothOut)
        #expect(await gateway.service.terminate() == 0)
        await stalled.close()
        await flaky.close()
    }

    @Test("Redis stopped: each gateway applies its share of the limit alone, then goes back to Redis when it returns",
        .enabled(if: RedisServer.isAvailable))
    func redisFallback() async throws {
        let redis = try await RedisServer()
        let collector = try await CollectorProcess.start()
        let tenants = Self.shopAndBlog(rate: 0.001, burst: 10)
        // A Redis timeout that a machine stalling the test for seconds does not reach: the fallback
        // below is Redis gone, not Redis late.
        let arguments = ["--redis-url", "redis://127.0.0.1:\(redis.port)", "--redis-local-share", "0.5", "--redis-timeout", "30s"]
        let first = try await GatewayProcess.start(tenants: tenants, upstreams: [collector.service.port], arguments: arguments)
        let second = try await GatewayProcess.start(tenants: tenants, upstreams: [collector.service.port], arguments: arguments)
        // Two replicas share one bucket of 10 that refills one token in 1,000 s.
        var admitted = 0
        for index in 0..<30 where try await Self.post(index % 2 == 0 ? first : second) == 202 { admitted += 1 }
        #expect(admitted == 10)
        #expect(try await first.metric("rum_gateway_fleet_limits_fallback") == 0)

        await redis.kill()
        // Without Redis, each replica admits its share (half the burst) on its own. (Another
        // tenant: the replicas remember that shop's bucket is empty without asking Redis.)
        var alone = 0
        for _ in 0..<20 where try await Self.post(first, tenant: "blog") == 202 { alone += 1 }
        #expect(alone == 5)
        #expect(try await first.metric("rum_gateway_fleet_limits_fallback") == 1)

        try await redis.start()
        let recovered = try await eventually {
            _ = try await Self.post(first, tenant: "blog")
            return try await first.metric("rum_gateway_fleet_limits_fallback") == 0
        }
        #expect(recovered)
        #expect(await first.service.terminate() == 0)
        #expect(await second.service.terminate() == 0)
        #expect(await collector.stop() == 0)
    }

    @Test("--redis-timeout: a frozen Redis holds a decision for that long, not the default second, and answers it when it wakes",
        .enabled(if: RedisServer.isAvailable))
    func redisTimeout() async throws {
        let redis = try await RedisServer()
        let collector = try await CollectorProcess.start()
        let gateway = try await GatewayProcess.start(
            tenants: Self.shopAndBlog(rate: 100, burst: 100), upstreams: [collector.service.port],
            arguments: ["--redis-url", "redis://127.0.0.1:\(redis.port)", "--redis-timeout", "60s"])
        // Connected, the script loaded.
        #expect(try await Self.post(gateway) == 202)
        redis.pause()
        // Another tenant: a key without a lease, which asks Redis.
        let answered = Atomic(false)
        let request = Task {
            let status = try await Self.post(gateway, tenant: "blog")
            answered.store(true, ordering: .relaxed)
            return status
        }
        // Past the default timeout (1 s) by far: still waiting for Redis, not fallen back.
        try await Task.sleep(for: .seconds(3))
        let answeredEarly = answered.load(ordering: .relaxed)
        #expect(!answeredEarly, "answered while Redis was frozen, within its 60 s")
        #expect(try await gateway.metric("rum_gateway_fleet_limits_fallback") == 0)
        redis.resume()
        #expect(try await request.value == 202)
        #expect(try await gateway.metric("rum_gateway_fleet_limits_fallback") == 0)
        #expect(await gateway.service.terminate() == 0)
        #expect(await collector.stop() == 0)
    }
}
