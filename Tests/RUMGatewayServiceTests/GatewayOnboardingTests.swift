import Foundation
import TestSupport
import Testing

/// Onboarding a tenant with `rumctl tenant add` beside a running gateway.
@Suite(.serialized) struct GatewayOnboardingTests {
    @Test("rumctl tenant add writes a tenant with a new key, prints the Faro setup, and the running gateway takes it")
    func onboarding() async throws {
        let collector = try await CollectorProcess.start()
        let gateway = try await GatewayProcess.start(
            tenants: "# tenants\nshop:\n  api_keys: [shop-key-0123456789]\n", upstreams: [collector.service.port])
        let rumctl = TestEnvironment.productsDirectory.appendingPathComponent("rumctl")
        let result = try await TestEnvironment.runToEnd(
            rumctl,
            arguments: ["tenant", "add", "blog", "--origin", "https://blog.example", "--tenants", "tenants.yaml", "--gateway-url", gateway.base],
            directory: gateway.directory)
        let output = String(decoding: result.output, as: UTF8.self)
        #expect(result.status == 0)
        let key = try #require(output.split(separator: "API key ").last?.prefix { $0.isHexDigit })
        #expect(key.count == 64)
        #expect(output.contains("apiKey: '\(key)'"))
        #expect(output.contains("url: '\(gateway.base)/collect'"))
        let file = try String(contentsOf: gateway.directory.appendingPathComponent("tenants.yaml"), encoding: .utf8)
        #expect(file.hasPrefix("# tenants\nshop:"))
        let accepted = try await eventually {
            try await gateway.post(
                body: GatewayTestPayload.payload,
                headers: [GatewayTestPayload.json, ("x-api-key", String(key)), ("Origin", "https://blog.example")]
            ).status == 202
        }
        #expect(accepted)
        let again = try await TestEnvironment.runToEnd(
            rumctl, arguments: ["tenant", "add", "blog", "--tenants", "tenants.yaml"], directory: gateway.directory)
        #expect(again.status != 0)
        #expect(String(decoding: again.errors, as: UTF8.self).contains("a tenant named blog exists already"))
        // The lock file beside the tenants file is no change of it: one reload, for the tenant added.
        #expect(FileManager.default.fileExists(atPath: gateway.directory.appendingPathComponent("tenants.yaml.lock").path))
        try await Task.sleep(for: .milliseconds(500))
        #expect(gateway.service.logged.components(separatedBy: "tenants reloaded").count - 1 == 1)
        #expect(!gateway.service.logged.contains("tenants not reloaded"))
        #expect(await gateway.service.terminate() == 0)
        #expect(await collector.stop() == 0)
    }
}
