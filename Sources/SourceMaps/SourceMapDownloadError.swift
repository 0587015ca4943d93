/// Why a script's source map could not be downloaded.
public enum SourceMapDownloadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL (the script's, a redirect's target, or the map's) is not a plain `http` or `https`
    /// URL of an allowed origin.
    case notAllowed(url: String)
    /// Getting the URL failed.
    case fetchFailed(url: String, SourceMapFetchError)
    /// More redirects than `SourceMapDownloader.maximumRedirects` in a row, from this URL.
    case tooManyRedirects(url: String)
    /// A redirect's `Location`, or the script's `sourceMappingURL`, is no URL.
    case invalidReference(String)
    /// The script does not end with a `sourceMappingURL` comment.
    case noSourceMappingURL(script: String)
    /// The script's inline map is a `data:` URL that does not decode.
    case invalidDataURL(script: String)
    /// The map does not parse.
    case invalidMap(url: String, SourceMapError)

    /// A short reason.
    public var description: String {
        switch self {
        case .notAllowed(let url): "\(url) is not of an origin in download_from_origins"
        case .fetchFailed(let url, let error): "\(url): \(error)"
        case .tooManyRedirects(let url): "\(url): more than \(SourceMapDownloader.maximumRedirects) redirects"
        case .invalidReference(let reference): "invalid URL \(reference)"
        case .noSourceMappingURL(let script): "no sourceMappingURL at the end of \(script)"
        case .invalidDataURL(let script): "the inline source map of \(script) does not decode"
        case .invalidMap(let url, let error): "source map \(url): \(error)"
        }
    }
}
