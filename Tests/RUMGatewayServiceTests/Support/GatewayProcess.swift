import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport

/// The built `rum-gateway` run in a temporary directory with its tenants file there, in front of
/// upstreams on loopback ports, with helpers to send to it and to read its admin endpoint. The
/// directory is removed when the last copy of this value goes.
struct GatewayProcess: ServiceUnderTest {
    static let adminToken = "test-admin-token-0123456789"

    let service: ServiceProcess
    /// Its working directory, owned by this value.
    private let workingDirectory: TestDirectory
    /// Its working directory, with the tenants file.
    var directory: URL { workingDirectory.url }
    /// The admin endpoint's port.
    let adminPort: Int
    /// The port of `/metrics`.
    let metricsPort: Int

    /// Starts the gateway on a free port with `tenants` as its tenants file, sending to
    /// `upstreams` (ports on 127.0.0.1), with `arguments` added to the defaults.
    static func start(tenants: String, upstreams: [Int], arguments: [String] = []) async throws -> GatewayProcess {
        let workingDirectory = try TestDirectory(prefix: "rum-gateway")
        let directory = workingDirectory.url
        try tenants.write(to: directory.appendingPathComponent("tenants.yaml"), atomically: true, encoding: .utf8)
        var defaults = ["--tenants", "tenants.yaml", "--listen-port", "0", "--admin-port", "0", "--metrics-port", "0", "--threads", "1"]
        defaults += ["--tenants-poll-interval", "200ms"]
        if !arguments.contains("--health-check-interval") { defaults += ["--health-check-interval", "0"] }
        for port in upstreams { defaults += ["--upstream", "127.0.0.1:\(port)"] }
        let service = try await ServiceProcess(
            product: "rum-gateway", arguments: defaults + arguments, announcement: "listening on http://127.0.0.1:",
            directory: directory, environment: ["RUM_GATEWAY_ADMIN_TOKEN": adminToken])
        func announced(_ what: String) throws -> Int {
            guard let range = service.logged.range(of: "\(what) on http://127.0.0.1:"),
                let port = Int(service.logged[range.upperBound...].prefix { $0.isNumber })
            else { throw OracleError("rum-gateway did not announce its \(what) port: \(service.logged)") }
            return port
        }
        return GatewayProcess(service: service, workingDirectory: workingDirectory, adminPort: try announced("admin"), metricsPort: try announced("metrics"))
    }

    /// `http://127.0.0.1:PORT`.
    var base: String { "http://127.0.0.1:\(service.port)" }

    /// Replaces the tenants file with `text` (atomically, as an editor or `rumctl` does).
    func rewriteTenants(_ text: String) throws {
        try text.write(to: directory.appendingPathComponent("tenants.yaml"), atomically: true, encoding: .utf8)
    }

    /// The admin endpoint's JSON answer to `method path`, with the token under `scheme` unless
    /// `token` is nil.
    func admin(
        _ path: String, method: HTTPMethod = .GET, token: String? = adminToken, scheme: String = "Bearer"
    ) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(adminPort)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "\(scheme) \(token)") }
        let answer = try await send(request)
        let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] ?? [:]
        return (answer.status, json)
    }

    /// The value of the metric sample `name{labels}` in `/metrics`, if present.
    func metric(_ sample: String) async throws -> Double? {
        let answer = try await send(HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics"))
        for line in answer.body.split(separator: "\n") where line.hasPrefix(sample + " ") {
            return Double(line.dropFirst(sample.count + 1))
        }
        return nil
    }
}

/// Faro's sample payload from the Alloy vectors.
enum GatewayTestPayload {
    static let payload: [UInt8] = {
        guard let data = try? TestEnvironment.sharedFile("vectors/alloy/payload.json") else { return Array("{}".utf8) }
        return Array(data)
    }()
    /// The JSON content type.
    static let json = ("Content-Type", "application/json")
}
