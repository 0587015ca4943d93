public import OTLPCodec
public import OTLPHTTPClient

/// Where the collector's OTLP data goes (the traces of Faro payloads, and what `/v1/traces`,
/// `/v1/logs` and `/v1/metrics` take): an OTLP/HTTP exporter, a file, or a test's recorder.
///
/// `accept` is called on the thread that serves the request, so it must not block: it queues
/// the request, or throws `full` at once.
public protocol OTLPSink: Sendable {
    /// Takes one export request of `signal` (`ExportTraceServiceRequest`, ...; protobuf) for
    /// `tenant` (`nil`: the default tenant).
    func accept(_ request: ContiguousArray<UInt8>, signal: OTLPSignal, tenant: String?) throws(CollectorExportError)
}

extension OTLPHTTPClient: OTLPSink {
    /// Queues the request with `tryExport`; a full buffer or spool is `full`.
    public func accept(_ request: ContiguousArray<UInt8>, signal: OTLPSignal, tenant: String?) throws(CollectorExportError) {
        do {
            try tryExport(request, signal: signal, tenant: tenant)
        } catch .bufferFull, .spoolFull {
            throw .full
        } catch .shutDown {
            throw .closed
        } catch {
            throw .invalid(error.description)
        }
    }
}
