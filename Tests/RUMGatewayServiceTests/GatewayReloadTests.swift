import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// rum-gateway reading its tenants file again.
@Suite(.serialized) struct GatewayReloadTests {
    @Test("a reload under load loses no request; new tenants work at once, a broken file leaves the running tenants")
    func reloadUnderLoad() async throws {
        let collector = try await CollectorProcess.start()
        let before = """
            shop:
              api_keys: [shop-key-0123456789]
            """
        let gateway = try await GatewayProcess.start(tenants: before, upstreams: [collector.service.port])
        let start = ContinuousClock.now
        async let load = GatewayFailoverTests.load(gateway, clients: 4, until: start + .seconds(2))
        try await Task.sleep(for: .milliseconds(500))
        try gateway.rewriteTenants(before + "\nblog:\n  api_keys: [blog-key-0123456789]\n")
        try await Task.sleep(for: .milliseconds(500))
        gateway.service.signal(SIGHUP)
        let result = await load
        #expect(result.failures.isEmpty)
        #expect(result.accepted > 20)
        let blog = try await gateway.post(body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "blog-key-0123456789")])
        #expect(blog.status == 202)

        try gateway.rewriteTenants("shop:\n  api_keys: [shop-key-0123456789]\n  colour: blue\n")
        var logged = false
        for _ in 0..<50 where !logged {
            try await Task.sleep(for: .milliseconds(100))
            logged = gateway.service.logged.contains("tenants not reloaded")
        }
        #expect(logged)
        #expect(gateway.service.logged.contains("tenants.yaml:3:3: unknown attribute colour"))
        #expect(try await gateway.post(body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "blog-key-0123456789")]).status == 202)
        #expect(try await gateway.admin("/reload", method: .POST).status == 422)
        #expect(await gateway.service.terminate() == 0)
        #expect(await collector.stop() == 0)
    }
}
