import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// rum-gateway reading a tenants file that Kubernetes mounts from a ConfigMap.
@Suite(.serialized) struct GatewayConfigMapReloadTests {
    @Test("a ConfigMap update, which swaps the ..data link the tenants file leads through, is taken without SIGHUP")
    func configMapSwap() async throws {
        let collector = try await CollectorProcess.start()
        // The kubelet's layout: tenants.yaml -> ..data/tenants.yaml, ..data -> ..2026_a.
        let mount = FileManager.default.temporaryDirectory.appendingPathComponent("configmap-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: mount) }
        func version(_ name: String, _ tenants: String) throws {
            let directory = mount.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try tenants.write(to: directory.appendingPathComponent("tenants.yaml"), atomically: false, encoding: .utf8)
        }
        let shop = "shop:\n  api_keys: [shop-key-0123456789]\n"
        try version("..2026_a", shop)
        try FileManager.default.createSymbolicLink(atPath: mount.appendingPathComponent("..data").path, withDestinationPath: "..2026_a")
        let tenants = mount.appendingPathComponent("tenants.yaml").path
        try FileManager.default.createSymbolicLink(atPath: tenants, withDestinationPath: "..data/tenants.yaml")
        // The last --tenants wins over GatewayProcess's own file.
        let gateway = try await GatewayProcess.start(tenants: shop, upstreams: [collector.service.port], arguments: ["--tenants", tenants])
        let blogKey = [GatewayTestPayload.json, ("x-api-key", "blog-key-0123456789")]
        #expect(try await gateway.post(body: GatewayTestPayload.payload, headers: blogKey).status == 401)

        // The kubelet's update: a new version, ..data swapped to it in one rename, the old one removed.
        try version("..2026_b", shop + "blog:\n  api_keys: [blog-key-0123456789]\n")
        let swap = mount.appendingPathComponent("..data_tmp").path
        try FileManager.default.createSymbolicLink(atPath: swap, withDestinationPath: "..2026_b")
        #expect(rename(swap, mount.appendingPathComponent("..data").path) == 0)
        try FileManager.default.removeItem(at: mount.appendingPathComponent("..2026_a"))

        // The file is checked every 200 ms; allow 15 s on a slow machine.
        var status = 0
        let deadline = ContinuousClock.now + .seconds(15)
        while status != 202, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            status = try await gateway.post(body: GatewayTestPayload.payload, headers: blogKey).status
        }
        #expect(status == 202)
        #expect(gateway.service.logged.contains("file changed"))
        #expect(await gateway.service.terminate() == 0)
        #expect(await collector.stop() == 0)
    }
}
