import ArgumentParser
import Foundation
import Logging
import LokiPush
import LokiPushCodec
import WriteAheadSpool

/// `rumctl loki-push`: sends lines from standard input to Loki through LokiPush, one entry per
/// line, to try a Loki endpoint, its credentials and the client's spool by hand.
struct LokiPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loki-push",
        abstract: "Push lines from standard input to Loki, one entry per line, timestamped when read.",
        discussion: """
            After each line is accepted (with --spool: written to disk), prints `accepted N` with the number \
            of lines accepted so far. At the end of the input it sends what it holds (for at most \
            --drain-timeout seconds) and exits. With --spool, batches that Loki has not confirmed stay in \
            the directory and are sent by the next run with the same --spool, even after `kill -9`.
            Example: printf 'hello\\nworld\\n' | rumctl loki-push --url http://127.0.0.1:3100/loki/api/v1/push --labels '{job="rumctl"}'
            """
    )

    @Option(help: "Loki's push endpoint.")
    var url = "http://127.0.0.1:3100/loki/api/v1/push"

    @Option(help: "The stream's labels, in Loki's syntax.")
    var labels = #"{job="rumctl"}"#

    @Option(help: "The tenant (X-Scope-OrgID); none by default.")
    var tenant: String?

    @Option(help: "The body format: protobuf (Snappy) or json.")
    var format = "protobuf"

    @Flag(help: "gzip JSON bodies.")
    var gzip = false

    @Option(help: "A directory for the write-ahead spool.")
    var spool: String?

    @Option(help: "The longest wait before a batch is sent, in milliseconds.")
    var batchWait = 1_000

    @Option(help: "The first delay before a retry, in milliseconds.")
    var minimumBackoff = 500

    @Option(help: "How long to keep sending at the end of the input, in seconds.")
    var drainTimeout: Double = 15

    func validate() throws {
        guard ["protobuf", "json"].contains(format) else { throw ValidationError("--format is protobuf or json") }
        guard batchWait > 0, minimumBackoff > 0, drainTimeout >= 0 else {
            throw ValidationError("--batch-wait and --minimum-backoff must be positive, --drain-timeout not negative")
        }
    }

    func run() async throws {
        let streamLabels = try LokiLabels(parsing: labels)
        var configuration = LokiPushConfiguration(url: url)
        configuration.format = format == "json" ? .json : .protobuf
        configuration.gzipJSON = gzip
        configuration.tenant = tenant
        configuration.batchWait = .milliseconds(batchWait)
        configuration.minimumBackoff = .milliseconds(minimumBackoff)
        configuration.drainTimeout = .milliseconds(Int64(drainTimeout * 1_000))
        configuration.spool = spool.map { SpoolConfiguration(directory: $0) }
        var logger = Logger(label: "rumctl.loki-push", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = .warning
        let client = try LokiPushClient(configuration: configuration, logger: logger)
        let sender = Task { await client.run() }
        var accepted = 0
        while let line = readLine(strippingNewline: true) {
            let now = Date().timeIntervalSince1970
            let timestamp = LokiTimestamp(unixNanoseconds: Int64(now * 1_000_000_000))
            try await client.push([LokiEntry(timestamp: timestamp, line: line)], labels: streamLabels)
            accepted += 1
            // Unbuffered, so that a reader of a pipe sees each acknowledgement at once.
            FileHandle.standardOutput.write(Data("accepted \(accepted)\n".utf8))
        }
        await client.shutdown()
        await sender.value
    }
}
