import AsyncHTTPClient
import BenchmarkReporting
import Foundation
import NIOCore

/// The OTLP receiver of both tracers: `loki-sink`, from beside this tool, in a process of its own
/// (so that its work is not counted in this one's CPU time and allocations) on a free loopback
/// port. It answers every export `200` with an empty protobuf body and counts the spans it took.
///
/// The sink reads its standard input from a pipe that only this process holds, and stops when the
/// pipe closes: it ends with this process, even one that crashed.
@MainActor
final class OTLPSink {
    /// What the sink took so far, from `GET /stats`.
    struct Stats {
        /// OTLP export requests.
        var exports = 0
        /// Their body bytes.
        var exportBytes = 0
        /// The spans they carried.
        var spans = 0
    }

    /// Where the sink listens, `http://127.0.0.1:PORT`.
    let baseURL: String
    /// The sink's process.
    private let process: Process
    /// The sink's standard input.
    private let input: Pipe

    /// Starts `loki-sink` from beside this tool and waits until it listens.
    init() throws {
        guard let tool = Bundle.main.executableURL else { throw InputError("cannot tell where this tool is") }
        let executable = tool.deletingLastPathComponent().appending(path: "loki-sink")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw InputError("\(executable.path) not found: build the whole Benchmarks package (swift build -c release)")
        }
        process = Process()
        process.executableURL = executable
        process.arguments = ["--port", "0", "--threads", "1", "--until-stdin-closes"]
        // Not the allocation-counting copy's interposer: the sink counts nothing.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LD_PRELOAD" && $0.key != "DYLD_INSERT_LIBRARIES" }
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var printed = Data()
        while !printed.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.waitUntilExit()
                throw InputError("loki-sink exited with status \(process.terminationStatus) before it listened")
            }
            printed.append(chunk)
        }
        let line = String(decoding: printed.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        guard line.hasPrefix("listening on http://") else {
            process.terminate()
            process.waitUntilExit()
            throw InputError("loki-sink printed \(line)")
        }
        baseURL = String(line.dropFirst("listening on ".count))
    }

    /// The sink's counts once it has taken `spans` spans in all, or after 10 s (when the sink stops
    /// waiting) with fewer.
    func stats(waitingForSpans spans: Int) async throws -> Stats {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "\(baseURL)/stats?spans=\(spans)"), timeout: .seconds(15))
        let body = try await response.body.collect(upTo: 4096)
        let words = String(buffer: body).split(whereSeparator: \.isWhitespace)
        var stats = Stats()
        for index in stride(from: 0, to: words.count - 1, by: 2) {
            guard let value = Int(words[index + 1]) else { continue }
            switch words[index] {
            case "exports": stats.exports = value
            case "export_bytes": stats.exportBytes = value
            case "spans": stats.spans = value
            default: break
            }
        }
        return stats
    }

    /// Stops the sink and waits until it has exited.
    func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
