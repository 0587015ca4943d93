/// Why a `SourceMapFetcher` got no file.
public enum SourceMapFetchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered with this status, neither `200` nor a redirect.
    case status(Int)
    /// The body is larger than the limit.
    case tooLarge(limit: Int)
    /// The deadline passed first.
    case timedOut
    /// The request failed (connection, TLS, protocol), with a short reason.
    case failed(String)

    /// A short reason.
    public var description: String {
        switch self {
        case .status(let status): "unexpected status \(status)"
        case .tooLarge(let limit): "larger than \(limit) bytes"
        case .timedOut: "timed out"
        case .failed(let reason): reason
        }
    }
}
