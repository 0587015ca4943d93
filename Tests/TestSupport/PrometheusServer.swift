import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// A Prometheus of Debian's package, started by a test on a loopback port of its own, with its
/// data in a temporary directory, scraping the given targets every second and taking remote
/// writes (`/api/v1/write`); stopped with it. `scripts/test` installs the package;
/// `RUM_PROMETHEUS` names another binary.
public final class PrometheusServer: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let process: Process
    private let directory: URL

    /// The server binary: `RUM_PROMETHEUS`, else `prometheus` on the usual paths.
    public static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["RUM_PROMETHEUS"] { return path }
        return ["/usr/bin/prometheus", "/usr/local/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts a server scraping `targets` (`127.0.0.1:PORT`, job `faro`) every second and waits,
    /// at most 30 s, until it is ready.
    public init(scrapeTargets targets: [String]) async throws {
        guard let binary = Self.binary else {
            throw OracleError("no prometheus: install Debian's prometheus package (scripts/test does)")
        }
        port = try LoopbackPort.free()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prometheus-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = """
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            scrape_configs:
              - job_name: faro
                static_configs: [{ targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))] }]
            """
        try configuration.write(to: directory.appendingPathComponent("prometheus.yml"), atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(directory.path)/prometheus.yml", "--storage.tsdb.path=\(directory.path)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--web.enable-remote-write-receiver", "--log.level=warn",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<3000 {
            if let ready = try? await get("/-/ready"), ready.status == 200 { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        stop()
        throw OracleError("prometheus did not become ready on port \(port)")
    }

    deinit {
        stop()
    }

    /// `http://127.0.0.1:PORT/api/v1/write`, for remote write.
    public var remoteWriteURL: String { "http://127.0.0.1:\(port)/api/v1/write" }

    /// The result of the instant query `promql` now: each series' labels and value.
    public func query(_ promql: String) async throws -> [(labels: [String: String], value: Double)] {
        var components = URLComponents()
        components.queryItems = [URLQueryItem(name: "query", value: promql)]
        let answer = try await get("/api/v1/query?" + (components.percentEncodedQuery ?? ""))
        guard answer.status == 200, let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any],
            let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw OracleError("query \(promql) failed: \(answer.status) \(answer.body)") }
        return result.compactMap { series in
            guard let labels = series["metric"] as? [String: String], let value = series["value"] as? [Any],
                let text = value.last as? String, let number = Double(text)
            else { return nil }
            return (labels, number)
        }
    }

    /// Stops the server and removes its data.
    public func stop() {
        process.killBlocking()
        try? FileManager.default.removeItem(at: directory)
    }

    private func get(_ path: String) async throws -> (status: Int, body: String) {
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 22)
        return (Int(response.status.code), String(buffer: body))
    }
}
