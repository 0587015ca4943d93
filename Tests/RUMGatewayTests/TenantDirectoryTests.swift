import RUMGateway
import Testing
import TokenBucket

@Suite struct TenantDirectoryTests {
    static let directory = try! TenantDirectory([
        GatewayTenant(name: "shop", hosts: ["rum.shop.example"], apiKeys: ["shop-key"]),
        GatewayTenant(name: "blog", pathPrefixes: ["/blog", "/blog/eu"], apiKeys: ["blog-key"]),
        GatewayTenant(name: "open", hosts: ["*.open.example"]),
        GatewayTenant(name: "keyed", apiKeys: ["keyed-1", "keyed-2"]),
    ])

    @Test("the host finds the tenant, case-insensitively, without its port; its key is then required")
    func byHost() {
        let directory = Self.directory
        #expect(directory.resolve(host: "RUM.shop.example:443", path: "/collect", apiKey: "shop-key") == .tenant(index: 0, path: "/collect"))
        #expect(directory.resolve(host: "rum.shop.example.", path: "/collect/shop-key", apiKey: nil) == .tenant(index: 0, path: "/collect/shop-key"))
        #expect(directory.resolve(host: "rum.shop.example", path: "/collect", apiKey: nil) == .keyRequired(tenant: 0))
        #expect(directory.resolve(host: "rum.shop.example", path: "/collect", apiKey: "blog-key") == .keyOfAnotherTenant(tenant: 0))
        #expect(directory.resolve(host: "rum.shop.example", path: "/collect", apiKey: "nobody") == .unknownKey)
        // Only ASCII letters compare case-insensitively: the Kelvin sign, which Unicode lowercases
        // to `k`, is not the host's `k`.
        let kiosk = try! TenantDirectory([GatewayTenant(name: "kiosk", hosts: ["rum.kiosk.example"])])
        #expect(kiosk.resolve(host: "RUM.KIOSK.example", path: "/collect", apiKey: nil) == .tenant(index: 0, path: "/collect"))
        #expect(kiosk.resolve(host: "rum.\u{212A}iosk.example", path: "/collect", apiKey: nil) == .missingKey)
    }

    @Test("a wildcard host matches names under it, not the name itself; a tenant without keys takes any")
    func wildcard() {
        let directory = Self.directory
        #expect(directory.resolve(host: "eu.open.example", path: "/collect", apiKey: nil) == .tenant(index: 2, path: "/collect"))
        #expect(directory.resolve(host: "a.b.open.example", path: "/collect", apiKey: "whatever") == .tenant(index: 2, path: "/collect"))
        #expect(directory.resolve(host: "open.example", path: "/collect", apiKey: nil) == .missingKey)
        #expect(directory.resolve(host: "xopen.example", path: "/collect", apiKey: nil) == .missingKey)
        #expect(directory.resolve(host: "[::1]:8080", path: "/collect", apiKey: nil) == .missingKey)
    }

    @Test("the longest path prefix on whole segments finds the tenant and is removed from the path")
    func byPathPrefix() {
        let directory = Self.directory
        #expect(directory.resolve(host: nil, path: "/blog/collect", apiKey: "blog-key") == .tenant(index: 1, path: "/collect"))
        #expect(directory.resolve(host: nil, path: "/blog/eu/collect/blog-key", apiKey: nil) == .tenant(index: 1, path: "/collect/blog-key"))
        #expect(directory.resolve(host: nil, path: "/blog?x=1", apiKey: "blog-key") == .tenant(index: 1, path: "/?x=1"))
        #expect(directory.resolve(host: nil, path: "/blogger/collect", apiKey: nil) == .missingKey)
    }

    @Test("otherwise the key in x-api-key or the path finds the tenant")
    func byKey() {
        let directory = Self.directory
        #expect(directory.resolve(host: "elsewhere", path: "/collect", apiKey: "keyed-2") == .tenant(index: 3, path: "/collect"))
        #expect(directory.resolve(host: nil, path: "/collect/keyed-1?x", apiKey: nil) == .tenant(index: 3, path: "/collect/keyed-1?x"))
        #expect(directory.resolve(host: nil, path: "/collect/", apiKey: nil) == .missingKey)
        #expect(directory.resolve(host: nil, path: "/collect", apiKey: "") == .missingKey)
        #expect(directory.resolve(host: nil, path: "/v1/traces", apiKey: "keyed-3") == .unknownKey)
    }

    @Test("a key in the path and a different x-api-key conflict, whoever the host or prefix names; the same key in both is one")
    func pathAndHeaderKeys() {
        let directory = Self.directory
        #expect(directory.resolve(host: nil, path: "/collect/keyed-1", apiKey: "shop-key") == .conflictingKeys)
        #expect(directory.resolve(host: "rum.shop.example", path: "/collect/blog-key", apiKey: "shop-key") == .conflictingKeys)
        #expect(directory.resolve(host: nil, path: "/blog/collect/keyed-1", apiKey: "blog-key") == .conflictingKeys)
        #expect(directory.resolve(host: nil, path: "/collect/keyed-1?x=1", apiKey: "keyed-1") == .tenant(index: 3, path: "/collect/keyed-1?x=1"))
        #expect(directory.resolve(host: nil, path: "/collect/keyed-2#part", apiKey: nil) == .tenant(index: 3, path: "/collect/keyed-2#part"))
    }

    @Test("names, hosts, prefixes, keys and limits are checked when the directory is made")
    func checks() {
        func error(_ tenants: [GatewayTenant]) -> TenantDirectoryError? {
            do {
                _ = try TenantDirectory(tenants)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([GatewayTenant(name: "a/b", apiKeys: ["k"])]) == .invalidName("a/b"))
        #expect(error([GatewayTenant(name: "a", apiKeys: ["k"]), GatewayTenant(name: "a", apiKeys: ["l"])]) == .duplicateName("a"))
        #expect(error([GatewayTenant(name: "a")]) == .unreachable(tenant: "a"))
        #expect(error([GatewayTenant(name: "a", hosts: ["x.example:80"])]) == .invalidHost(tenant: "a", host: "x.example:80"))
        #expect(error([GatewayTenant(name: "a", hosts: ["*x.example"])]) == .invalidHost(tenant: "a", host: "*x.example"))
        // Only ASCII letters are lowered: the Kelvin sign does not become a `k`.
        #expect(error([GatewayTenant(name: "a", hosts: ["rum.\u{212A}iosk.example"])]) == .invalidHost(tenant: "a", host: "rum.\u{212A}iosk.example"))
        #expect(
            error([GatewayTenant(name: "a", hosts: ["X.example"]), GatewayTenant(name: "b", hosts: ["x.example"])])
                == .duplicateHost("x.example", tenants: ["a", "b"]))
        #expect(error([GatewayTenant(name: "a", pathPrefixes: ["/a/"])]) == .invalidPathPrefix(tenant: "a", prefix: "/a/"))
        #expect(error([GatewayTenant(name: "a", pathPrefixes: ["a"])]) == .invalidPathPrefix(tenant: "a", prefix: "a"))
        #expect(
            error([GatewayTenant(name: "a", pathPrefixes: ["/p"]), GatewayTenant(name: "b", pathPrefixes: ["/p"])])
                == .duplicatePathPrefix("/p", tenants: ["a", "b"]))
        if case .invalidAPIKey(let tenant, _) = error([GatewayTenant(name: "a", apiKeys: ["k"]), GatewayTenant(name: "b", apiKeys: ["k"])]) {
            #expect(tenant == "b")
        } else {
            Issue.record("a key of two tenants must be refused")
        }
        if case .invalidAPIKey = error([GatewayTenant(name: "a", apiKeys: [""])]) {} else { Issue.record("an empty key must be refused") }
        let badBurst = GatewayTenant(name: "a", apiKeys: ["k"], limits: TenantLimits(requests: RateLimit(rate: 1, burst: 0)))
        #expect(error([badBurst]) == .invalidLimit(tenant: "a", reason: "rate_limit burst must be at least 1"))
        let badConnections = GatewayTenant(name: "a", apiKeys: ["k"], limits: TenantLimits(maxConnections: 0))
        #expect(error([badConnections]) == .invalidLimit(tenant: "a", reason: "max_connections must be at least 1"))
    }
}
