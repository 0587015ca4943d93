/// Gets the files a `SourceMapDownloader` asks for: a minified script, then its source map.
///
/// The library holds no HTTP client; the collector plugs in one. A fetcher must not follow
/// redirects itself (it reports them, and the downloader checks the target's origin before it
/// follows), must not read more than `maxBytes` of a body, and must give up at `deadline`.
public protocol SourceMapFetcher: Sendable {
    /// The body of a `200` answer to `GET url`, or where a redirect (`301`, `302`, `303`, `307`,
    /// `308` with a `Location`) points.
    func fetch(_ url: String, maxBytes: Int, deadline: ContinuousClock.Instant) async throws(SourceMapFetchError) -> FetchedResource
}

/// What a `SourceMapFetcher` got.
public enum FetchedResource: Sendable, Hashable {
    /// The body of a `200` answer.
    case content([UInt8])
    /// A redirect, with its `Location` as sent (relative or absolute).
    case redirect(location: String)
}
