public import WriteAheadSpool

/// Why the `OTLPHTTPClient` did not take an export request, or could not be made.
public enum OTLPExportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request does not fit in `maximumBufferedBytes` beside what is held: the caller should
    /// shed load (answer `429` or `503`) and may try again later.
    case bufferFull(requestBytes: Int, bufferedBytes: Int, limit: Int)
    /// The request alone is larger than `maximumBufferedBytes`; it can never be taken.
    case requestTooLarge(bytes: Int, limit: Int)
    /// `shutdown()` has begun: no more requests are taken.
    case shutDown
    /// The configured endpoint is not an `http` or `https` URL.
    case invalidEndpoint(String)
    /// The spool has no room for the request even after dropping every batch it may drop (those
    /// not in flight); nothing was taken.
    case spoolFull(requestBytes: Int, limit: Int)
    /// The spool could not be opened, or writing the request to it failed; nothing was taken.
    case spool(SpoolError)

    /// What went wrong, for logs.
    public var description: String {
        switch self {
        case .bufferFull(let requestBytes, let bufferedBytes, let limit):
            "OTLP export buffer full: \(requestBytes) bytes do not fit beside \(bufferedBytes) of \(limit)"
        case .requestTooLarge(let bytes, let limit):
            "OTLP export request of \(bytes) bytes is larger than the whole buffer (\(limit) bytes)"
        case .shutDown:
            "the OTLP exporter is shutting down"
        case .invalidEndpoint(let endpoint):
            "invalid OTLP endpoint \"\(endpoint)\": expected an http:// or https:// URL"
        case .spoolFull(let requestBytes, let limit):
            "OTLP export spool full: \(requestBytes) bytes do not fit in \(limit)"
        case .spool(let error):
            "OTLP export spool: \(error)"
        }
    }
}
