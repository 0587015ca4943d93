import IntakePolicy
import RUMGateway
import Testing
import TokenBucket
import W3CTraceContext

@Suite struct GatewayPolicyTests {
    static let peer = try! IPAddress(parsing: "10.0.0.9")
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    static func policy(_ tenants: [GatewayTenant], clock: ManualRateLimiterClock = ManualRateLimiterClock()) throws -> GatewayPolicy {
        GatewayPolicy(
            directory: try TenantDirectory(tenants), trustedProxies: try TrustedProxies(parsing: ["10.0.0.0/8"]),
            maxPayloadSize: 1000, clock: clock)
    }

    static func admit(
        _ policy: GatewayPolicy, method: String = "POST", target: String = "/collect", peer: IPAddress = GatewayPolicyTests.peer,
        _ fields: [(String, String)]
    ) -> GatewayAdmission {
        var generator = SystemRandomNumberGenerator()
        return policy.admit(
            method: method, target: target, headerFields: fields.map { (name: $0.0, value: $0.1) }, peer: peer, using: &generator)
    }

    static func refusal(_ admission: GatewayAdmission) -> IntakeRejection? {
        if case .answer(let rejection, _) = admission { return rejection }
        return nil
    }

    static func forwarded(_ admission: GatewayAdmission) -> ForwardedRequest? {
        if case .forward(let request) = admission { return request }
        return nil
    }

    @Test("unknown and missing keys get 401, another tenant's key 403, with the CORS fields a browser needs")
    func keys() throws {
        let policy = try Self.policy([
            GatewayTenant(name: "a", hosts: ["a.example"], apiKeys: ["ka"], corsAllowedOrigins: ["https://a.example"]),
            GatewayTenant(name: "b", apiKeys: ["kb"]),
        ])
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "nope")]))?.status == 401)
        #expect(Self.refusal(Self.admit(policy, []))?.status == 401)
        let wrong = Self.refusal(Self.admit(policy, [("Host", "a.example"), ("x-api-key", "kb"), ("Origin", "https://a.example")]))
        #expect(wrong?.status == 403)
        #expect(wrong?.headers.contains(HTTPField(name: "Access-Control-Allow-Origin", value: "https://a.example")) == true)
        #expect(Self.forwarded(Self.admit(policy, [("Host", "a.example"), ("x-api-key", "ka")]))?.tenant == 0)
        #expect(policy.usages[0].snapshot.rejected == 1)
        #expect(policy.usages[0].snapshot.requests == 1)
    }

    @Test("several x-api-key fields, or one that differs from the key in the path, get 400: the collector would read another key")
    func oneKey() throws {
        let policy = try Self.policy([GatewayTenant(name: "alpha", apiKeys: ["ka"]), GatewayTenant(name: "beta", apiKeys: ["kb"])])
        let twice = Self.refusal(Self.admit(policy, [("x-api-key", "kb"), ("x-api-key", "ka")]))
        #expect(twice?.status == 400 && twice?.reason == "more than one x-api-key field", "\(String(describing: twice))")
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "ka"), ("X-API-Key", "ka")]))?.status == 400)
        let differing = Self.refusal(Self.admit(policy, target: "/collect/kb", [("x-api-key", "ka")]))
        #expect(differing?.status == 400 && differing?.reason == "x-api-key differs from the key in the path", "\(String(describing: differing))")
        #expect(Self.refusal(Self.admit(policy, target: "/collect/kb?x=1", [("x-api-key", "")]))?.status == 400)
        #expect(Self.forwarded(Self.admit(policy, target: "/collect/kb?x=1", [("x-api-key", "kb")]))?.tenant == 1)
        #expect(Self.forwarded(Self.admit(policy, target: "/collect/kb#top", []))?.tenant == 1)
        #expect(Self.forwarded(Self.admit(policy, [("x-api-key", "ka")]))?.tenant == 0)
    }

    @Test("an absolute-form target names the tenant's host instead of Host, and goes upstream in origin form")
    func absoluteForm() throws {
        let policy = try Self.policy([
            GatewayTenant(name: "a", hosts: ["a.example"], apiKeys: ["ka"]),
            GatewayTenant(name: "b", hosts: ["b.example"], apiKeys: ["kb"]),
        ])
        let request = Self.forwarded(
            Self.admit(policy, target: "http://b.example:8080/collect?x=1", [("Host", "a.example"), ("x-api-key", "kb")]))
        #expect(request?.tenant == 1)
        #expect(request?.target == "/collect?x=1")
        let other = Self.refusal(Self.admit(policy, target: "HTTPS://a.example/collect", [("Host", "b.example"), ("x-api-key", "kb")]))
        #expect(other?.status == 403)
        #expect(Self.forwarded(Self.admit(policy, target: "http://b.example", [("x-api-key", "kb")]))?.target == "/")
    }

    @Test("a declared body over the byte limit's burst gets 413 quoting the burst")
    func bodyOverByteBurst() throws {
        let policy = try Self.policy([
            GatewayTenant(
                name: "a", apiKeys: ["k"], maxPayloadSize: 10_000, limits: TenantLimits(bytes: RateLimit(rate: 100, burst: 1000)))
        ])
        let refusal = Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "5000")]))
        #expect(refusal?.status == 413 && refusal?.reason == "payload too large: the limit is 1000 bytes", "\(String(describing: refusal))")
        #expect(Self.forwarded(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "1000")])) != nil)
    }

    @Test("origins, declared sizes and Content-Length are checked before any limit is spent")
    func originAndSize() throws {
        let policy = try Self.policy([
            GatewayTenant(
                name: "a", apiKeys: ["k"], corsAllowedOrigins: ["https://*.a.example"], maxPayloadSize: 100,
                limits: TenantLimits(requests: RateLimit(rate: 0.001, burst: 1)))
        ])
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Origin", "https://evil.example")]))?.status == 403)
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "101")]))?.status == 413)
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "1x")]))?.status == 400)
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "5"), ("Content-Length", "6")]))?.status == 400)
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Expect", "magic")]))?.status == 417)
        let passed = Self.forwarded(Self.admit(policy, [("x-api-key", "k"), ("Origin", "https://eu.a.example"), ("Content-Length", "100")]))
        #expect(passed?.maxBodyBytes == 100)
        #expect(passed?.corsHeaders.contains(HTTPField(name: "Access-Control-Allow-Origin", value: "https://eu.a.example")) == true)
        let second = Self.refusal(Self.admit(policy, [("x-api-key", "k")]))
        #expect(second?.status == 429)
        #expect(second?.headers.contains(HTTPField(name: "Retry-After", value: "1000")) == true)
    }

    @Test("the client limit counts each address after trusted proxies; byte limits charge the declared length")
    func clientAndByteLimits() throws {
        let clock = ManualRateLimiterClock()
        let policy = try Self.policy(
            [
                GatewayTenant(
                    name: "a", apiKeys: ["k"],
                    limits: TenantLimits(bytes: RateLimit(rate: 100, burst: 500), perClient: RateLimit(rate: 1, burst: 2)))
            ], clock: clock)
        let first = [("x-api-key", "k"), ("X-Forwarded-For", "203.0.113.7")]
        #expect(Self.forwarded(Self.admit(policy, first))?.clientAddress == (try IPAddress(parsing: "203.0.113.7")))
        #expect(Self.forwarded(Self.admit(policy, first)) != nil)
        #expect(Self.refusal(Self.admit(policy, first))?.status == 429)
        // Another client is not affected; an untrusted hop's claim is not believed.
        #expect(Self.forwarded(Self.admit(policy, [("x-api-key", "k"), ("X-Forwarded-For", "198.51.100.1")])) != nil)
        clock.advance(by: .seconds(10))
        #expect(Self.forwarded(Self.admit(policy, first + [("Content-Length", "400")]))?.chargesBodyBytes == false)
        let over = Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "200")]))
        #expect(over?.status == 429)
        #expect(over?.headers.contains(HTTPField(name: "Retry-After", value: "2")) == true)
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "501")]))?.status == 413)
        let chunked = [("x-api-key", "k"), ("Transfer-Encoding", "chunked"), ("X-Forwarded-For", "192.0.2.1")]
        #expect(Self.forwarded(Self.admit(policy, chunked))?.chargesBodyBytes == true)
    }

    @Test("with limits shared through Redis, a byte-limited tenant needs Content-Length (411), which the fleet is charged")
    func sharedByteLimitNeedsLength() throws {
        let tenants = [
            GatewayTenant(name: "a", apiKeys: ["k"], limits: TenantLimits(bytes: RateLimit(rate: 100, burst: 500))),
            GatewayTenant(name: "b", apiKeys: ["m"]),
        ]
        let policy = GatewayPolicy(directory: try TenantDirectory(tenants), sharesTenantLimits: true)
        #expect(Self.refusal(Self.admit(policy, [("x-api-key", "k"), ("Transfer-Encoding", "chunked")]))?.status == 411)
        #expect(Self.forwarded(Self.admit(policy, [("x-api-key", "k"), ("Content-Length", "400")]))?.contentLength == 400)
        // Without a byte limit, a chunked body is fine.
        #expect(Self.forwarded(Self.admit(policy, [("x-api-key", "m"), ("Transfer-Encoding", "chunked")])) != nil)
    }

    @Test("hop-by-hop fields and those Connection names are dropped; X-Forwarded-For gets the peer; the prefix goes")
    func fields() throws {
        let policy = try Self.policy([GatewayTenant(name: "a", pathPrefixes: ["/a"])])
        let request = try #require(
            Self.forwarded(
                Self.admit(
                    policy, target: "/a/collect?x=1",
                    [
                        ("Host", "gw"), ("Connection", "keep-alive, X-Secret"), ("X-Secret", "1"), ("Keep-Alive", "5"),
                        ("Upgrade", "h2c"), ("X-Forwarded-For", "203.0.113.7"), ("Content-Type", "application/json"),
                        ("Content-Length", "2"), ("Expect", "100-continue"),
                    ])))
        #expect(request.target == "/collect?x=1")
        #expect(request.expectsContinue)
        #expect(request.headerFields.map(\.name) == ["Host", "Content-Type", "X-Forwarded-For", "Content-Length"])
        #expect(request.headerFields.first { $0.name == "X-Forwarded-For" }?.value == "203.0.113.7, 10.0.0.9")
        #expect(request.headerFields.last?.value == "2")
    }

    @Test("Forwarded, X-Forwarded-Proto, X-Forwarded-Host and the client-address fields pass only from a trusted proxy; Proxy never (httpoxy)")
    func proxyFields() throws {
        let policy = try Self.policy([GatewayTenant(name: "a", pathPrefixes: ["/a"])])
        let fields = [
            ("Host", "gw"), ("Forwarded", "for=198.51.100.1;proto=https"), ("X-Forwarded-Proto", "https"),
            ("x-forwarded-host", "shop.example"), ("X-Real-IP", "198.51.100.1"), ("Proxy", "http://198.51.100.66:8080"),
            ("True-Client-IP", "198.51.100.2"), ("cf-connecting-ip", "198.51.100.3"), ("Fastly-Client-IP", "198.51.100.4"),
            ("X-Client-IP", "198.51.100.5"), ("X-Cluster-Client-IP", "198.51.100.6"), ("Content-Type", "application/json"),
        ]
        func names(from peer: String) throws -> [String] {
            let request = try #require(Self.forwarded(Self.admit(policy, target: "/a/collect", peer: try IPAddress(parsing: peer), fields)))
            return request.headerFields.map(\.name)
        }
        #expect(
            try names(from: "10.0.0.9") == [
                "Host", "Forwarded", "X-Forwarded-Proto", "x-forwarded-host", "X-Real-IP", "True-Client-IP", "cf-connecting-ip",
                "Fastly-Client-IP", "X-Client-IP", "X-Cluster-Client-IP", "Content-Type", "X-Forwarded-For", "Content-Length",
            ])
        #expect(try names(from: "203.0.113.5") == ["Host", "Content-Type", "X-Forwarded-For", "Content-Length"])
        #expect(try names(from: "2001:db8::5") == ["Host", "Content-Type", "X-Forwarded-For", "Content-Length"])
    }

    @Test("the body's framing upstream is the gateway's own: what it checked, whatever Connection names")
    func framing() throws {
        let policy = try Self.policy([GatewayTenant(name: "a", pathPrefixes: ["/a"])])
        func framing(_ fields: [(String, String)]) -> [String] {
            let request = Self.forwarded(Self.admit(policy, target: "/a/collect", fields))
            return request?.headerFields.filter { ["content-length", "transfer-encoding"].contains($0.name.lowercased()) }
                .map { "\($0.name): \($0.value)" } ?? ["refused"]
        }
        #expect(framing([("Content-Length", "12"), ("Connection", "content-length")]) == ["Content-Length: 12"])
        #expect(framing([("Transfer-Encoding", "chunked"), ("Connection", "Transfer-Encoding")]) == ["Transfer-Encoding: chunked"])
        #expect(framing([("content-length", "3"), ("Content-Length", "3")]) == ["Content-Length: 3"])
        #expect(framing([]) == ["Content-Length: 0"])
    }

    @Test("only POST goes upstream: other methods get 405 with Allow at the edge")
    func methods() throws {
        let policy = try Self.policy([GatewayTenant(name: "a", pathPrefixes: ["/a"])])
        for method in ["GET", "HEAD", "PUT", "DELETE", "TRACE", "PATCH", "CONNECT"] {
            let refusal = Self.refusal(Self.admit(policy, method: method, target: "/a/collect", [("Content-Length", "2")]))
            #expect(refusal?.status == 405, "\(method)")
            #expect(refusal?.headers.contains(HTTPField(name: "Allow", value: "POST, OPTIONS")) == true, "\(method)")
        }
    }

    @Test("trace headers: allowed ones pass when trusted, others are stripped, a restart writes a new context, drop writes none")
    func traceHeaders() throws {
        var trusting = PropagationPolicy(allowedHeaders: ["traceparent", "uber-trace-id"], defaultDecision: .restart)
        trusting.traceHeaderNames.insert("x-amzn-trace-id")
        let propagation = TracePropagation(
            policy: trusting,
            routes: [
                .init(pathPrefix: "/v1/traces", policy: PropagationPolicy(defaultDecision: .trust)),
                .init(pathPrefix: "/v1/logs", policy: PropagationPolicy(defaultDecision: .drop)),
            ])
        let policy = try Self.policy([GatewayTenant(name: "a", apiKeys: ["k"], tracePropagation: propagation)])
        let incoming = [
            ("x-api-key", "k"), ("traceparent", Self.traceparent), ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
            ("X-Amzn-Trace-Id", "Root=1"), ("baggage", "a=b"),
        ]
        let restarted = try #require(Self.forwarded(Self.admit(policy, target: "/collect", incoming)))
        let names = restarted.headerFields.map(\.name)
        #expect(!names.contains("b3") && !names.contains("X-Amzn-Trace-Id") && !names.contains("baggage"))
        let newParent = try #require(restarted.headerFields.first { $0.name == "traceparent" }?.value)
        #expect(newParent != Self.traceparent && !newParent.contains("0af7651916cd43dd8448eb211c80319c"))
        #expect(restarted.headerFields.contains { $0.name == "uber-trace-id" })
        let trusted = try #require(Self.forwarded(Self.admit(policy, target: "/v1/traces", incoming)))
        #expect(trusted.headerFields.first { $0.name == "traceparent" }?.value == Self.traceparent)
        let invalid = try #require(Self.forwarded(Self.admit(policy, target: "/v1/traces", [("x-api-key", "k"), ("traceparent", "00-bad")])))
        #expect(!invalid.headerFields.contains { $0.name.lowercased() == "traceparent" }, "an invalid traceparent is not propagated")
        let dropped = try #require(Self.forwarded(Self.admit(policy, target: "/v1/logs", incoming)))
        #expect(!dropped.headerFields.contains { $0.name.lowercased() == "traceparent" })
    }

    @Test("preflights are answered at the edge from the tenant's origins, or any tenant's when it cannot be told")
    func preflight() throws {
        let policy = try Self.policy([
            GatewayTenant(name: "a", hosts: ["a.example"], apiKeys: ["ka"], corsAllowedOrigins: ["https://a.example"]),
            GatewayTenant(name: "b", apiKeys: ["kb"], corsAllowedOrigins: ["https://b.example"]),
        ])
        let ask = [("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "content-type, x-api-key")]
        let byHost = try #require(
            Self.refusal(Self.admit(policy, method: "OPTIONS", [("Host", "a.example"), ("Origin", "https://b.example")] + ask)))
        #expect(byHost.status == 204)
        #expect(!byHost.headers.contains { $0.name == "Access-Control-Allow-Origin" })
        let anyTenant = try #require(Self.refusal(Self.admit(policy, method: "OPTIONS", [("Origin", "https://b.example")] + ask)))
        #expect(anyTenant.headers.contains(HTTPField(name: "Access-Control-Allow-Origin", value: "https://b.example")))
        #expect(anyTenant.headers.contains(HTTPField(name: "Access-Control-Allow-Headers", value: "content-type, x-api-key")))
    }

    @Test("a reload keeps a tenant's usage and tokens by name, with its new limits")
    func reload() throws {
        let clock = ManualRateLimiterClock()
        let limited = GatewayTenant(name: "a", apiKeys: ["k"], limits: TenantLimits(requests: RateLimit(rate: 1, burst: 1)))
        let first = try Self.policy([limited], clock: clock)
        #expect(Self.forwarded(Self.admit(first, [("x-api-key", "k")])) != nil)
        let second = GatewayPolicy(
            directory: try TenantDirectory([GatewayTenant(name: "new", apiKeys: ["n"]), limited]), previous: first, clock: clock)
        #expect(second.usages[1] === first.usages[0])
        #expect(Self.refusal(Self.admit(second, [("x-api-key", "k")]))?.status == 429)
        var raised = limited
        raised.limits.requests = RateLimit(rate: 1, burst: 3)
        let third = GatewayPolicy(directory: try TenantDirectory([raised]), previous: second, clock: clock)
        clock.advance(by: .seconds(5))
        for _ in 0..<3 { #expect(Self.forwarded(Self.admit(third, [("x-api-key", "k")])) != nil) }
        #expect(Self.refusal(Self.admit(third, [("x-api-key", "k")]))?.status == 429)
        #expect(third.usages[0].snapshot.rejected == 2)
    }

    @Test("the connection limit counts connections and frees them")
    func connections() {
        let usage = TenantUsage(name: "a", limits: TenantLimits(maxConnections: 2))
        #expect(usage.openConnection() && usage.openConnection())
        #expect(!usage.openConnection())
        usage.closeConnection()
        #expect(usage.openConnection())
        #expect(usage.snapshot.connections == 2)
    }

    @Test("a connection is counted once for each tenant it sends requests of, within each limit, and freed for all when it closes")
    func connectionTenants() {
        let shop = TenantUsage(name: "shop", limits: TenantLimits())
        let blog = TenantUsage(name: "blog", limits: TenantLimits(maxConnections: 1))
        var first = ConnectionTenants()
        var second = ConnectionTenants()
        #expect(first.admit(blog) && first.admit(blog))
        #expect(second.admit(shop) && !second.admit(blog))
        #expect(blog.snapshot.connections == 1 && shop.snapshot.connections == 1)
        first.close()
        #expect(second.admit(blog) && second.admit(shop))
        #expect(blog.snapshot.connections == 1 && shop.snapshot.connections == 1)
        second.close()
        #expect(blog.snapshot.connections == 0 && shop.snapshot.connections == 0)
    }

    @Test("taking body bytes over the burst is 413 quoting the burst; over what is left, 429 with Retry-After")
    func takeBytes() {
        let usage = TenantUsage(name: "a", limits: TenantLimits(bytes: RateLimit(rate: 100, burst: 1000)), clock: ManualRateLimiterClock())
        #expect(usage.takeBytes(1001) == .payloadTooLarge(limit: 1000))
        #expect(usage.takeBytes(600) == nil)
        #expect(usage.takeBytes(600)?.status == 429)
    }
}
