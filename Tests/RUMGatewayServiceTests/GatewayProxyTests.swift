import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// rum-gateway as a process in front of faro-collector processes and recording servers.
@Suite(.serialized) struct GatewayProxyTests {
    static let tenants = """
        shop:
          api_keys: [shop-key-0123456789]
          hosts: [rum.shop.example]
          cors_allowed_origins: ["https://shop.example"]
        blog:
          path_prefixes: [/blog]
        keyed:
          api_keys: [keyed-key-0123456789]
        """

    @Test("tenants found by host, path prefix and key reach the collectors; the rest is refused at the edge")
    func routing() async throws {
        let first = try await CollectorProcess.start()
        let second = try await CollectorProcess.start()
        // Round robin, so that both collectors take some of the nine requests: least outstanding
        // breaks the ties of requests sent one at a time at random, and sent all nine to one
        // collector once in a CI run (1 in 256).
        let gateway = try await GatewayProcess.start(
            tenants: Self.tenants, upstreams: [first.service.port, second.service.port], arguments: ["--balancing", "round-robin"])
        let payload = GatewayTestPayload.payload
        let json = GatewayTestPayload.json
        var accepted = 0
        for _ in 0..<3 {
            let byHost = try await gateway.post(body: payload, headers: [json, ("Host", "rum.shop.example"), ("x-api-key", "shop-key-0123456789")])
            #expect(byHost.status == 202)
            let byPrefix = try await gateway.post("/blog/collect", body: payload, headers: [json])
            #expect(byPrefix.status == 202)
            let byPathKey = try await gateway.post("/collect/keyed-key-0123456789", body: payload, headers: [json])
            #expect(byPathKey.status == 202)
            accepted += 3
        }
        #expect(try await gateway.post(body: payload, headers: [json, ("x-api-key", "nobody")]).status == 401)
        #expect(try await gateway.post(body: payload, headers: [json, ("Host", "rum.shop.example")]).status == 401)
        let wrongKey = try await gateway.post(
            body: payload, headers: [json, ("Host", "rum.shop.example"), ("x-api-key", "keyed-key-0123456789"), ("Origin", "https://shop.example")])
        #expect(wrongKey.status == 403)
        #expect(wrongKey.headers["access-control-allow-origin"] == ["https://shop.example"])
        let evilOrigin = try await gateway.post(
            body: payload, headers: [json, ("x-api-key", "shop-key-0123456789"), ("Origin", "https://evil.example")])
        #expect(evilOrigin.status == 403)
        // Each accepted payload is one push request in one of the collectors' files, written by the time they stop.
        #expect(await first.stop() == 0)
        #expect(await second.stop() == 0)
        let pushes = try first.records("loki.jsonl").count + second.records("loki.jsonl").count
        #expect(pushes == accepted)
        #expect(try !first.records("loki.jsonl").isEmpty && !second.records("loki.jsonl").isEmpty)

        #expect(try await gateway.admin("/tenants", token: nil).status == 401)
        #expect(try await gateway.admin("/tenants", token: "wrong-token-0123456789x").status == 401)
        let listing = try await gateway.admin("/tenants")
        #expect(listing.status == 200)
        let tenants = try #require(listing.json["tenants"] as? [[String: Any]])
        #expect(tenants.map { $0["name"] as? String } == ["shop", "blog", "keyed"])
        let shopUsage = try #require(tenants[0]["usage"] as? [String: Int])
        #expect(shopUsage["forwarded"] == 3)
        #expect(shopUsage["rejected"] == 3)
        #expect(shopUsage["body_bytes"] == 3 * payload.count)
        let upstreams = try #require(try await gateway.admin("/upstreams").json["upstreams"] as? [[String: Any]])
        #expect(upstreams.compactMap { $0["picks"] as? Int }.reduce(0, +) == accepted)
        #expect(try await gateway.metric("rum_gateway_tenant_forwarded_total{tenant=\"blog\"}") == 3)
        #expect(try await gateway.metric("rum_gateway_edge_answers_total{reason=\"unauthorized\"}") == 2)
        #expect(await gateway.service.terminate() == 0)
    }

    @Test("trace headers follow the tenant's and the route's policy; X-Forwarded-For and the path are rewritten; hop-by-hop fields end at the gateway both ways")
    func headers() async throws {
        let upstream = try await RecordingHTTPServer { _, _ in
            HTTPAnswer(headers: [
                ("Connection", "X-Secret"), ("X-Secret", "s"), ("Upgrade", "h2c"), ("Trailer", "X-Sum"), ("Proxy-Authenticate", "Basic"),
                ("X-Kept", "1"),
            ])
        }
        let tenants = """
            shop:
              path_prefixes: [/shop]
              trace_headers:
                allow: [traceparent, uber-trace-id]
                strip: [x-amzn-trace-id]
                untrusted: restart
                routes:
                  /v1/traces: { untrusted: trust }
                  /v1/logs: { untrusted: drop }
            """
        let gateway = try await GatewayProcess.start(
            tenants: tenants, upstreams: [upstream.port], arguments: ["--trusted-proxy", "127.0.0.1"])
        let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let incoming = [
            ("traceparent", traceparent), ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            ("X-Amzn-Trace-Id", "Root=1-5759e988"), ("baggage", "user=1"), ("X-Forwarded-For", "203.0.113.7"),
            ("Connection", "keep-alive, X-Hop"), ("X-Hop", "secret"), GatewayTestPayload.json,
        ]
        for path in ["/shop/collect?x=1", "/shop/v1/traces", "/shop/v1/logs"] {
            let answer = try await gateway.post(path, body: Array("{}".utf8), headers: incoming)
            #expect(answer.status == 204)
            for name in ["x-secret", "upgrade", "trailer", "proxy-authenticate", "connection"] {
                #expect(answer.headers[name].isEmpty, "\(name): \(answer.headers[name])")
            }
            #expect(answer.headers["x-kept"] == ["1"])
        }
        let received = upstream.received
        try #require(received.count == 3)
        #expect(received.map(\.path) == ["/collect?x=1", "/v1/traces", "/v1/logs"])
        for request in received {
            #expect(request.headers["b3"].isEmpty && request.headers["x-amzn-trace-id"].isEmpty && request.headers["baggage"].isEmpty)
            #expect(request.headers["x-hop"].isEmpty)
            #expect(request.headers["x-forwarded-for"] == ["203.0.113.7, 127.0.0.1"])
        }
        let restarted = try #require(received[0].headers["traceparent"].first)
        #expect(!restarted.contains("0af7651916cd43dd8448eb211c80319c"))
        #expect(received[0].headers["uber-trace-id"].first?.hasPrefix(String(restarted.dropFirst(3).prefix(32))) == true)
        #expect(received[1].headers["traceparent"] == [traceparent])
        #expect(received[2].headers["traceparent"].isEmpty)
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }

    @Test("a flooding tenant gets 429 with Retry-After while another tenant is not affected")
    func flood() async throws {
        let collector = try await CollectorProcess.start()
        let tenants = """
            noisy:
              api_keys: [noisy-key-0123456789]
              rate_limit: { rate: 5, burst: 5 }
            quiet:
              api_keys: [quiet-key-0123456789]
            """
        let gateway = try await GatewayProcess.start(tenants: tenants, upstreams: [collector.service.port])
        let started = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: (String, Int, String?).self) { group in
            for index in 0..<60 {
                let tenant = index % 3 == 0 ? "quiet" : "noisy"
                group.addTask {
                    let answer = try await gateway.post(
                        body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "\(tenant)-key-0123456789")])
                    return (tenant, answer.status, answer.headers["retry-after"].first)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let seconds = Double((ContinuousClock.now - started).components.seconds) + 1
        let noisy = results.filter { $0.0 == "noisy" }
        let quiet = results.filter { $0.0 == "quiet" }
        #expect(quiet.allSatisfy { $0.1 == 202 })
        let admitted = noisy.filter { $0.1 == 202 }.count
        #expect(admitted >= 5 && Double(admitted) <= 5 + 5 * seconds)
        #expect(noisy.filter { $0.1 == 429 }.allSatisfy { $0.2 == "1" })
        #expect(admitted + noisy.filter { $0.1 == 429 }.count == noisy.count)
        #expect(await gateway.service.terminate() == 0)
    }

    @Test("bodies over the tenant's limit get 413, declared or streamed; an upstream too slow gets 504")
    func limitsAndTimeouts() async throws {
        let upstream = try await RecordingHTTPServer { _, request in
            request.path == "/slow" ? HTTPAnswer(status: .accepted, body: "late", delay: .seconds(60)) : HTTPAnswer(status: .accepted, body: "ok")
        }
        // An upstream timeout that the quick answers meet even on a machine that stalls for seconds.
        let tenants = """
            small:
              path_prefixes: [/]
              max_payload_size: 1KiB
            """
        let gateway = try await GatewayProcess.start(tenants: tenants, upstreams: [upstream.port], arguments: ["--upstream-timeout", "5s"])
        #expect(try await gateway.post(body: Array(repeating: UInt8(ascii: "a"), count: 1024), headers: []).status == 202)
        let declared = try await gateway.post(body: Array(repeating: UInt8(ascii: "a"), count: 1025), headers: [])
        #expect(declared.status == 413)
        var streamed = HTTPClientRequest(url: gateway.base + "/collect")
        streamed.method = .POST
        let chunks = (0..<8).map { _ in ByteBuffer(bytes: Array(repeating: UInt8(ascii: "b"), count: 256)) }
        streamed.body = .stream(chunks.async, length: .unknown)
        #expect(try await gateway.send(streamed).status == 413)
        let slow = try await gateway.post("/slow", body: Array("{}".utf8), headers: [])
        #expect(slow.status == 504)
        #expect(try await gateway.post(body: Array("{}".utf8), headers: []).status == 202)
        #expect(try await gateway.metric("rum_gateway_upstream_timeouts_total") == 1)
        #expect(await gateway.service.terminate() == 0)
        await upstream.close()
    }
}

extension GatewayProxyTests {
    @Test("requests beyond the connections allowed to an upstream wait for one, and get 503 when none comes in time")
    func upstreamConnectionLimit() async throws {
        let upstream = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .accepted, body: "ok", delay: .milliseconds(300)) }
        let tenants = "all:\n  path_prefixes: [/]\n"
        let patient = try await GatewayProcess.start(
            tenants: tenants, upstreams: [upstream.port], arguments: ["--max-connections-per-upstream", "1", "--connect-timeout", "30s"])
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await patient.post(body: Array("{}".utf8), headers: []).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == [202, 202, 202])
        #expect(upstream.maximumConcurrency == 1)
        #expect(await patient.service.terminate() == 0)

        // An upstream that holds its connection for 10 s: the other two requests wait for it longer
        // than 100 ms even when they reach the gateway seconds after the first on a stalled machine.
        let holding = try await RecordingHTTPServer { _, _ in HTTPAnswer(status: .accepted, body: "ok", delay: .seconds(10)) }
        let hasty = try await GatewayProcess.start(
            tenants: tenants, upstreams: [holding.port], arguments: ["--max-connections-per-upstream", "1", "--connect-timeout", "100ms"])
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<3 { group.addTask { try await hasty.post(body: Array("{}".utf8), headers: []).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.sorted() == [202, 503, 503])
        #expect(await hasty.service.terminate() == 0)
        await upstream.close()
        await holding.close()
    }
}

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    fileprivate var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
