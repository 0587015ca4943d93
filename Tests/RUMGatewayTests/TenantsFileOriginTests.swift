import ConfigurationReading
@testable import RUMGateway
import Testing

/// The tenants file's `cors_allowed_origins`, checked as browsers serialise an `Origin` header.
@Suite struct TenantsFileOriginTests {
    /// The problems of a tenants file whose one tenant allows `origin`, nil when it reads.
    private static func problems(_ origin: String) -> String? {
        let text = "shop:\n  api_keys: [k1]\n  cors_allowed_origins: [\"\(origin)\"]\n"
        do {
            _ = try TenantsFile.read(text, name: "tenants.yaml")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(
        "origins a browser can send, and the wildcard forms, are read",
        arguments: [
            "*", "https://shop.example", "http://localhost:8080", "HTTPS://Shop.Example", "https://*.shop.example", "https://*",
            "http://localhost:*", "http://127.0.0.1:5173", "http://[::1]:3000", "https://rum_test.example",
        ])
    func accepted(_ origin: String) {
        #expect(Self.problems(origin) == nil)
    }

    @Test(
        "origins no browser sends are refused, naming the origin",
        arguments: [
            "https://shop.example/", "https://shop.example/app", "shop.example", "*.shop.example", "ftp://shop.example",
            "https://user@shop.example", "https://shop.example?x=1", "https://shop.example#top", "https://shop.example:",
            "https://shop.example:443", "http://shop.example:80", "https://shop.example:65536", "https://shop.example:8o",
            "https://*.*.example", "https://", "https://sh op.example", "https://[::1", "https://[]", "https://shöp.example", "",
        ])
    func refused(_ origin: String) {
        let problems = Self.problems(origin)
        #expect(problems?.contains("tenant shop: origin \"\(origin)\" must be http:// or https://") == true, "\(problems ?? "read")")
    }

    @Test("rumctl's adding refuses a tenant with such an origin")
    func adding() {
        let tenant = GatewayTenant(name: "blog", apiKeys: ["k2"], corsAllowedOrigins: ["https://blog.example/"])
        #expect(throws: TenantsFile.AddingError.self) { try TenantsFile.adding(tenant, to: "shop:\n  api_keys: [k1]\n", name: "t") }
    }
}
