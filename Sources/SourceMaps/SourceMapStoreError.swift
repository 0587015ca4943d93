/// Why a store could not deliver a source map it should have had.
public enum SourceMapStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The map's file path contains `..` (Alloy refuses such paths).
    case invalidPath(String)
    /// The map's file exists but could not be read.
    case readFailed(path: String, errno: Int32)
    /// The map was found but does not parse.
    case invalidMap(url: String, SourceMapError)
    /// Another store's failure (a download, say), with a short reason.
    case unavailable(url: String, reason: String)

    /// A short reason.
    public var description: String {
        switch self {
        case .invalidPath(let path): "invalid source map path \(path)"
        case .readFailed(let path, let errno): "cannot read \(path): errno \(errno)"
        case .invalidMap(let url, let error): "source map for \(url): \(error)"
        case .unavailable(let url, let reason): "source map for \(url): \(reason)"
        }
    }
}
