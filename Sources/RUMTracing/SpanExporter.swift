public import OTLPHTTPClient

/// Where `BatchSpanProcessor` sends its batches: each an encoded OTLP `ExportTraceServiceRequest`.
///
/// `OTLPHTTPClient` is the exporter of OTLP/HTTP protobuf (batching, retries with backoff); tests
/// and other transports conform their own.
public protocol SpanExporter: Sendable {
    /// Takes one request without waiting; throws when it cannot be taken (a full buffer), and the
    /// processor counts its spans as dropped.
    func export(_ request: ContiguousArray<UInt8>) throws
    /// Sends what it took until `shutdown()` (or cancellation).
    func run() async
    /// Returns once everything taken so far was sent or given up.
    func flush() async
    /// Sends what it holds, then makes `run()` return.
    func shutdown() async
}

extension OTLPHTTPClient: SpanExporter {
    /// Takes `request` as a traces export request (`OTLPHTTPClient.tryExport`).
    public func export(_ request: ContiguousArray<UInt8>) throws {
        try tryExport(request, signal: .traces)
    }
}
