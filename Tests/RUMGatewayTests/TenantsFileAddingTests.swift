@testable import RUMGateway
import Testing
import TokenBucket

@Suite struct TenantsFileAddingTests {
    @Test("a tenant is appended as a block, keeping comments, and reads back as written")
    func appends() throws {
        let text = "# our tenants\nshop:  # the shop\n  api_keys: [k1]"
        var tenant = GatewayTenant(
            name: "o'blog", hosts: ["rum.blog.example"], pathPrefixes: ["/blog"], apiKeys: ["k\"2\\"],
            corsAllowedOrigins: ["https://blog.example"], limits: TenantLimits(requests: RateLimit(rate: 2.5, burst: 5)))
        tenant.maxPayloadSize = 1024
        let result = try TenantsFile.adding(tenant, to: text, name: "t")
        #expect(result.hasPrefix(text + "\n"))
        let directory = try TenantsFile.read(result, name: "t")
        #expect(directory.tenants.map(\.name) == ["shop", "o'blog"])
        #expect(directory[1] == tenant)
        #expect(try TenantsFile.adding(tenant, to: "", name: "t") == TenantsFile.entry(tenant))
    }

    @Test("a name taken, a key of another tenant, a file with problems or in flow style are refused")
    func refusals() {
        let text = "shop:\n  api_keys: [k1]\n"
        func refusal(_ tenant: GatewayTenant, _ text: String) -> String? {
            do {
                _ = try TenantsFile.adding(tenant, to: text, name: "t")
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal(GatewayTenant(name: "shop", apiKeys: ["k2"]), text) == "a tenant named shop exists already")
        #expect(refusal(GatewayTenant(name: "blog", apiKeys: ["k1"]), text)?.hasPrefix("the new tenant is not valid") == true)
        #expect(refusal(GatewayTenant(name: "blog", apiKeys: ["k2"]), "shop: [x]\n")?.hasPrefix("the tenants file has problems") == true)
        #expect(refusal(GatewayTenant(name: "blog", apiKeys: ["k2"]), "{shop: {api_keys: [k1]}}")?.contains("block style") == true)
    }
}
