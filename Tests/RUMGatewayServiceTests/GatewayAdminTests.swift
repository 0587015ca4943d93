import Testing

/// Who the admin endpoint lets in.
@Suite(.serialized) struct GatewayAdminTests {
    @Test("the admin endpoint takes the Bearer scheme in any case (RFC 9110), and nothing but the token after it")
    func bearerSchemeInAnyCase() async throws {
        let gateway = try await GatewayProcess.start(tenants: "shop:\n  path_prefixes: [/shop]\n", upstreams: [])
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            #expect(try await gateway.admin("/tenants", scheme: scheme).status == 200, "\(scheme)")
        }
        #expect(try await gateway.admin("/tenants", scheme: "Bearer ").status == 200, "more spaces before the token")
        for scheme in ["Basic", "Bearers", ""] {
            #expect(try await gateway.admin("/tenants", scheme: scheme).status == 401, "\(scheme)")
        }
        #expect(try await gateway.admin("/tenants", token: GatewayProcess.adminToken + "x").status == 401)
        #expect(await gateway.service.terminate() == 0)
    }
}
