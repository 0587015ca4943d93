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
        async let load = GatewayFailoverTests.load(gateway, clients: 4, until: start + .seconds(2), eachAtLeast: 2)
        try await Task.sleep(for: .milliseconds(500))
        try gateway.rewriteTenants(before + "\nblog:\n  api_keys: [blog-key-0123456789]\n")
        try await Task.sleep(for: .milliseconds(500))
        gateway.service.signal(SIGHUP)
        let result = await load
        #expect(result.failures.isEmpty)
        // Some load across the reload, however busy the machine (a quiet one takes about 1,700;
        // a CI run beside other process-starting suites took exactly 20, a stalled machine 4: each
        // client goes on past the SIGHUP until it had two accepted).
        #expect(result.accepted >= 8)
        let blog = try await gateway.post(body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "blog-key-0123456789")])
        #expect(blog.status == 202)

        try gateway.rewriteTenants("shop:\n  api_keys: [shop-key-0123456789]\n  colour: blue\n")
        #expect(try await eventually { gateway.service.logged.contains("tenants not reloaded") })
        #expect(gateway.service.logged.contains("tenants.yaml:3:3: unknown attribute colour"))
        #expect(try await gateway.post(body: GatewayTestPayload.payload, headers: [GatewayTestPayload.json, ("x-api-key", "blog-key-0123456789")]).status == 202)
        #expect(try await gateway.admin("/reload", method: .POST).status == 422)
        #expect(await gateway.service.terminate() == 0)
        #expect(await collector.stop() == 0)
    }

    @Test("a refused reload, on change, SIGHUP or POST /reload, counts in rum_gateway_tenants_reload_failures_total; a good one does not")
    func reloadFailuresCounted() async throws {
        let good = "shop:\n  api_keys: [shop-key-0123456789]\n"
        let gateway = try await GatewayProcess.start(tenants: good, upstreams: [])
        let failures = "rum_gateway_tenants_reload_failures_total"
        #expect(try await gateway.metric(failures) == 0)
        try gateway.rewriteTenants(good + "  colour: blue\n")
        #expect(try await eventually { try await gateway.metric(failures) == 1 })
        gateway.service.signal(SIGHUP)
        #expect(try await eventually { try await gateway.metric(failures) == 2 })
        #expect(try await gateway.admin("/reload", method: .POST).status == 422)
        #expect(try await gateway.metric(failures) == 3)

        try gateway.rewriteTenants(good + "blog:\n  api_keys: [blog-key-0123456789]\n")
        func reloads() -> Int { gateway.service.logged.components(separatedBy: "tenants reloaded").count - 1 }
        #expect(try await eventually { reloads() == 1 })
        gateway.service.signal(SIGHUP)
        #expect(try await eventually { reloads() == 2 })
        #expect(try await gateway.admin("/reload", method: .POST).status == 200)
        #expect(try await gateway.metric(failures) == 3)
        #expect(await gateway.service.terminate() == 0)
    }
}
