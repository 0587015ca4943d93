public import Logging
public import LokiPushCodec
public import OTLPCodec

/// Writes the collector's output to files, for running it without any other server: each
/// payload's Loki lines as one Loki push request in JSON (`loki.jsonl`, or `loki-TENANT.jsonl`),
/// which `curl` can post to Loki as it is, and each OTLP request as one OTLP/JSON document
/// (`traces.jsonl`, `logs.jsonl`, `metrics.jsonl`, or `traces-TENANT.jsonl`...), one per line.
///
/// Files are appended to from a background loop: start `run()` beside the server and call
/// `shutdown()` to write what waits and stop.
public final class FileExportSink: LogLineSink, OTLPSink, Sendable {
    private let writer: AppendingFileWriter

    /// A sink writing into `directory` (created if missing), holding at most `maximumPendingBytes`
    /// in memory between writes.
    public init(directory: String, maximumPendingBytes: Int = 64 << 20, logger: Logger) throws(CollectorExportError) {
        writer = try AppendingFileWriter(directory: directory, maximumPendingBytes: maximumPendingBytes, logger: logger)
    }

    /// The directory written to.
    public var directory: String { writer.directory }

    /// The file of the Loki lines of `tenant`.
    public static func logFileName(tenant: String?) -> String { tenant.map { "loki-\($0).jsonl" } ?? "loki.jsonl" }

    /// The file of the OTLP requests of `signal` of `tenant`.
    public static func otlpFileName(signal: OTLPSignal, tenant: String?) -> String {
        let name = switch signal {
        case .traces: "traces"
        case .logs: "logs"
        case .metrics: "metrics"
        }
        return tenant.map { "\(name)-\($0).jsonl" } ?? "\(name).jsonl"
    }

    /// Queues the batch as a Loki push request in JSON.
    public func accept(_ batch: LokiBatch, tenant: String?) throws(CollectorExportError) {
        try writer.append(to: FileExportSink.logFileName(tenant: tenant)) { (record: inout ContiguousArray<UInt8>) in
            var encoder = LokiPushEncoder()
            encoder.encodeJSONBody(batch, gzip: false, into: &record)
            record.append(UInt8(ascii: "\n"))
        }
    }

    /// Queues the request as OTLP/JSON.
    public func accept(_ request: ContiguousArray<UInt8>, signal: OTLPSignal, tenant: String?) throws(CollectorExportError) {
        try writer.append(to: FileExportSink.otlpFileName(signal: signal, tenant: tenant)) {
            (record: inout ContiguousArray<UInt8>) throws(CollectorExportError) in
            let transcoded = request.withUnsafeBytes { protobuf in
                Result { () throws(OTLPDecodingError) in try OTLPJSON.transcodeToJSON(protobuf, signal: signal, into: &record) }
            }
            if case .failure(let error) = transcoded { throw .invalid("OTLP: \(error)") }
            record.append(UInt8(ascii: "\n"))
        }
    }

    /// Writes what waits every 100 ms until `shutdown()`, then the rest.
    public func run() async { await writer.run() }

    /// Stops taking output; `run()` writes what waits and returns.
    public func shutdown() { writer.close() }

    /// Writes what waits now.
    public func flush() { writer.flush() }
}
