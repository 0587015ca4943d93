public import Foundation

/// The built `faro-collector` run in a temporary directory, writing its output under `data/`
/// there, with helpers to post to it and read what it wrote. The directory is removed when the
/// last copy of this value goes.
public struct CollectorProcess: ServiceUnderTest {
    /// The running process.
    public let service: ServiceProcess
    /// Its working directory, owned by this value.
    private let workingDirectory: TestDirectory
    /// Its working directory, with its output under `data/`.
    public var directory: URL { workingDirectory.url }

    /// Starts the collector on a free loopback port with `arguments` added to the defaults (rate
    /// limiting off unless `arguments` set it), `environment` added to the tests', and, when
    /// `configuration` is given, that text as `collector.yaml` passed with `--config`.
    public static func start(
        _ arguments: [String] = [], configuration: String? = nil, environment: [String: String] = [:]
    ) async throws -> CollectorProcess {
        let workingDirectory = try TestDirectory(prefix: "faro-collector")
        let directory = workingDirectory.url
        var defaults = arguments.contains("--rate-limit") ? [] : ["--rate-limit", "0"]
        if let configuration {
            try configuration.write(to: directory.appendingPathComponent("collector.yaml"), atomically: true, encoding: .utf8)
            defaults += ["--config", "collector.yaml"]
        }
        let service = try await ServiceProcess(
            product: "faro-collector", arguments: ["--listen-port", "0", "--threads", "1"] + defaults + arguments,
            announcement: "listening on http://127.0.0.1:", directory: directory, environment: environment)
        return CollectorProcess(service: service, workingDirectory: workingDirectory)
    }

    /// Replaces `collector.yaml` with `text`.
    public func rewriteConfiguration(_ text: String) throws {
        try text.write(to: directory.appendingPathComponent("collector.yaml"), atomically: true, encoding: .utf8)
    }

    /// Runs `faro-collector --check-config` on `text` (written to a temporary file named
    /// `collector.yaml`, in the directory given as the working directory) and returns its exit
    /// status and what it wrote to standard output, then standard error.
    public static func checkConfiguration(_ text: String, arguments: [String] = []) async throws -> (status: Int32, output: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faro-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.write(to: directory.appendingPathComponent("collector.yaml"), atomically: true, encoding: .utf8)
        let result = try await TestEnvironment.runToEnd(
            TestEnvironment.productsDirectory.appendingPathComponent("faro-collector"), arguments: ["--check-config", "collector.yaml"] + arguments,
            directory: directory)
        // Standard output then standard error: the tests' messages come on one of them at a time.
        return (result.status, String(decoding: result.output + result.errors, as: UTF8.self))
    }

    /// `http://127.0.0.1:PORT`.
    public var base: String { "http://127.0.0.1:\(service.port)" }

    /// Stops the collector gracefully (SIGTERM) and returns its exit status.
    public func stop() async -> Int32? { await service.terminate() }

    /// The Loki lines written to `file` (one Loki push request in JSON a line), in order.
    public func lokiLines(file: String = "loki.jsonl") throws -> [String] {
        try records(file).flatMap { record -> [String] in
            let streams = record["streams"] as? [[String: Any]] ?? []
            return streams.flatMap { ($0["values"] as? [[String]] ?? []).map { $0[1] } }
        }
    }

    /// The stream label sets of the Loki pushes in `file`, one per stream.
    public func lokiStreamLabels(file: String = "loki.jsonl") throws -> [[String: String]] {
        try records(file).flatMap { ($0["streams"] as? [[String: Any]] ?? []).map { $0["stream"] as? [String: String] ?? [:] } }
    }

    /// The JSON objects, one a line, of `file` under `data/` (none if it does not exist).
    public func records(_ file: String) throws -> [[String: Any]] {
        let url = directory.appendingPathComponent("data").appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw OracleError("not a JSON object: \(line.prefix(200))")
            }
            return object
        }
    }

    /// The raw lines of `file` under `data/`.
    public func fileLines(_ file: String) throws -> [String] {
        let url = directory.appendingPathComponent("data").appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}
