import Testing

@testable import IntakePolicy

/// The edge checks faro-collector and rum-gateway share, each on its own.
@Suite struct IntakePolicyTests {
    @Test("origin patterns: exact, one wildcard, case-insensitive; no list allows all without headers")
    func corsOrigins() {
        let policy = CORSPolicy(allowedOrigins: ["https://shop.example", "https://*.shop.example"])
        #expect(policy.allows(origin: "https://shop.example"))
        #expect(policy.allows(origin: "HTTPS://Shop.Example"))
        #expect(policy.allows(origin: "https://eu.shop.example"))
        #expect(!policy.allows(origin: "https://shop.example.evil"))
        #expect(!policy.allows(origin: "https://evilshop.example"))
        #expect(
            policy.responseHeaders(origin: "https://eu.shop.example") == [
                HTTPField(name: "Vary", value: "Origin"), HTTPField(name: "Access-Control-Allow-Origin", value: "https://eu.shop.example"),
                HTTPField(name: "Access-Control-Expose-Headers", value: "Retry-After"),
            ])
        #expect(policy.responseHeaders(origin: "https://other.example").map(\.name) == ["Vary"])
        let off = CORSPolicy(allowedOrigins: [])
        #expect(!off.isEnabled && off.allows(origin: "https://anything.example"))
        #expect(off.responseHeaders(origin: "https://anything.example").isEmpty)
        let any = CORSPolicy(allowedOrigins: ["*"])
        #expect(any.responseHeaders(origin: "https://a.example").contains(HTTPField(name: "Access-Control-Allow-Origin", value: "*")))
        #expect(CORSPolicy(union: [policy, off]).allowsAnyOrigin, "a tenant without CORS lets every origin through")
    }

    @Test("preflights: allowed methods and Alloy's headers only")
    func corsPreflights() {
        let policy = CORSPolicy(allowedOrigins: ["https://shop.example"])
        let allowed = policy.preflightHeaders(
            origin: "https://shop.example", requestMethod: "post", requestHeaders: " Content-Type ,x-faro-session-id")
        #expect(allowed.map(\.name) == ["Vary", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"])
        #expect(allowed.last?.value == "content-type, x-faro-session-id")
        #expect(policy.preflightHeaders(origin: "https://shop.example", requestMethod: "DELETE", requestHeaders: nil).count == 1)
        #expect(policy.preflightHeaders(origin: "https://shop.example", requestMethod: "POST", requestHeaders: "authorization").count == 1)
        #expect(policy.preflightHeaders(origin: "https://evil.example", requestMethod: "POST", requestHeaders: nil).count == 1)
    }

    @Test("API keys: each names its tenant, a key is taken once, near misses find nothing")
    func apiKeys() {
        var directory = APIKeyDirectory()
        #expect(directory.isEmpty)
        let added = [
            directory.add("k-shop-1", tenant: 0), directory.add("k-shop-2", tenant: 0), directory.add("k-blog", tenant: 1),
            directory.add("k-blog", tenant: 2),
        ]
        #expect(added == [true, true, true, false])
        #expect(directory.tenant(of: "k-shop-2") == 0)
        #expect(directory.tenant(of: "k-blog") == 1)
        #expect(directory.tenant(of: "k-blo") == nil)
        #expect(directory.tenant(of: "k-blogg") == nil)
        #expect(directory.tenant(of: "K-BLOG") == nil)
        #expect(directory.tenant(of: "") == nil)
    }

    @Test("tenant names: Loki's X-Scope-OrgID characters, 1 to 150 of them, not . or ..")
    func tenantNames() {
        for name in ["shop", "a", "Shop_2.eu-(beta)*'!", String(repeating: "x", count: 150)] {
            #expect(TenantName.isValid(name), "\(name)")
        }
        for name in ["", ".", "..", "shop eu", "shop/eu", "shöp", "a:b", String(repeating: "x", count: 151)] {
            #expect(!TenantName.isValid(name), "\(name)")
        }
    }

    @Test("request targets: origin form as sent; absolute form gives its authority and its path and query")
    func requestTargets() {
        let cases: [(target: String, authority: Substring?, originForm: Substring)] = [
            ("/collect", nil, "/collect"),
            ("/collect/k1?x=1", nil, "/collect/k1?x=1"),
            ("*", nil, "*"),
            ("collect", nil, "collect"),
            ("http://rum.example.com/collect", "rum.example.com", "/collect"),
            ("HTTPS://rum.example.com:8443/collect/k1?x=1#top", "rum.example.com:8443", "/collect/k1?x=1#top"),
            ("http://rum.example.com", "rum.example.com", "/"),
            ("http://rum.example.com?x=1", "rum.example.com", "/?x=1"),
            ("http://user:secret@[::1]:12347/collect", "[::1]:12347", "/collect"),
            ("http://", nil, "http://"),
            ("ftp://rum.example.com/collect", nil, "ftp://rum.example.com/collect"),
            ("http:/rum.example.com/collect", nil, "http:/rum.example.com/collect"),
        ]
        for (target, authority, originForm) in cases {
            let parsed = RequestTarget(target)
            #expect(parsed.authority == authority, "\(target)")
            #expect(parsed.originForm == originForm, "\(target)")
        }
    }
}
