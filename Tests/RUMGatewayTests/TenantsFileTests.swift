import ConfigurationReading
@testable import RUMGateway
import Testing
import TokenBucket
import W3CTraceContext

@Suite struct TenantsFileTests {
    @Test("every attribute of a tenant is read")
    func full() throws {
        let text = """
            # tenants
            shop:
              api_keys: [k1, k2]
              hosts: [rum.shop.example]
              path_prefixes: [/shop]
              cors_allowed_origins: ["https://shop.example"]
              max_payload_size: 1MiB
              rate_limit: { rate: 200, burst: 400 }
              byte_rate_limit: { rate: 2MiB, burst: 8MiB }
              client_rate_limit: { rate: 2.5, burst: 20 }
              max_connections: 2000
              trace_headers:
                allow: [traceparent, Uber-Trace-Id]
                strip: [x-amzn-trace-id]
                untrusted: drop
                routes:
                  /v1/traces: { untrusted: trust }
                  /v1: { allow: [traceparent] }
            blog: { api_keys: [b] }
            """
        let directory = try TenantsFile.read(text, name: "tenants.yaml")
        #expect(directory.tenants.map(\.name) == ["shop", "blog"])
        let shop = directory[0]
        #expect(shop.apiKeys == ["k1", "k2"])
        #expect(shop.hosts == ["rum.shop.example"])
        #expect(shop.pathPrefixes == ["/shop"])
        #expect(shop.corsAllowedOrigins == ["https://shop.example"])
        #expect(shop.maxPayloadSize == 1 << 20)
        #expect(shop.limits.requests == RateLimit(rate: 200, burst: 400))
        #expect(shop.limits.bytes == RateLimit(rate: 2 * 1_048_576, burst: 8 * 1_048_576))
        #expect(shop.limits.perClient == RateLimit(rate: 2.5, burst: 20))
        #expect(shop.limits.maxConnections == 2000)
        let policy = shop.tracePropagation.policy
        #expect(policy.allowedHeaders == ["traceparent", "uber-trace-id"])
        #expect(policy.traceHeaderNames.contains("x-amzn-trace-id"))
        #expect(policy.defaultDecision == .drop)
        #expect(shop.tracePropagation.policy(forPath: "/v1/traces?x").defaultDecision == .trust)
        #expect(shop.tracePropagation.policy(forPath: "/v1/traces").allowedHeaders == ["traceparent", "uber-trace-id"])
        #expect(shop.tracePropagation.policy(forPath: "/v1/logs").allowedHeaders == ["traceparent"])
        #expect(shop.tracePropagation.policy(forPath: "/v1/logs").defaultDecision == .drop)
        #expect(shop.tracePropagation.policy(forPath: "/collect") == policy)
        #expect(directory[1].tracePropagation == TracePropagation())
    }

    @Test("every problem is reported with its line and column")
    func problems() {
        let text = """
            shop:
              api_keys: k1
              rate_limit: { rate: -1, burst: 0 }
              colour: blue
              trace_headers: { untrusted: maybe, routes: { v1: {} } }
            "bad/name": { api_keys: [x] }
            blog: [x]
            """
        do {
            _ = try TenantsFile.read(text, name: "t.yaml")
            Issue.record("must fail")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "t.yaml:2:13: expected a list of text",
                    "t.yaml:3:23: rate must be more than 0",
                    "t.yaml:3:34: 0 is out of range 1...2147483647",
                    "t.yaml:3:15: a rate limit needs rate and burst",
                    "t.yaml:4:3: unknown attribute colour; expected one of \(TenantsFile.tenantKeys.joined(separator: ", "))",
                    "t.yaml:5:31: untrusted must be trust, restart or drop, not maybe",
                    "t.yaml:5:48: a route must be a path prefix such as /v1/traces (starting with /, not ending with /)",
                    "t.yaml:6:1: tenant name \"bad/name\" must be 1 to 150 of a-z A-Z 0-9 ! - _ . * ' ( ), and not . or ..",
                    "t.yaml:7:7: tenant blog must be a block of \(TenantsFile.tenantKeys.joined(separator: ", "))",
                ].sorted())
        }
    }

    @Test("the tenants are checked together after reading; a syntax error and an empty file")
    func together() throws {
        #expect(throws: ConfigurationIssues.self) { try TenantsFile.read("a: { hosts: [x] }\nb: { hosts: [X] }\n", name: "t") }
        do {
            _ = try TenantsFile.read("a: { hosts: [x] }\nb: { hosts: [X] }\n", name: "t")
        } catch {
            #expect(error.issues.map(\.description) == ["t: host X belongs to tenants a and b"])
        }
        do {
            _ = try TenantsFile.read("a: [\n", name: "t")
            Issue.record("must fail")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].location.hasPrefix("t:"))
        }
        #expect(try TenantsFile.read("# nobody yet\n", name: "t").tenants.isEmpty)
        #expect(throws: ConfigurationIssues.self) { try TenantsFile.read("- a\n", name: "t") }
    }
}
