/// Downloads the source map of a minified script as Alloy's `faro.receiver` does with
/// `download = true`: it gets the script, reads the `sourceMappingURL` comment at its end (see
/// `SourceMappingURL`), and either decodes the inline `data:` map there or gets the map at that
/// URL, resolved against the script's URL when it does not start with `http` (the URL the script
/// came from after redirects, as browsers resolve it; Alloy resolves against the frame's URL).
///
/// Unlike Alloy, every URL it gets (the script, the map, and each redirect's target) must be a
/// plain `http` or `https` URL of an allowed origin; it follows at most `maximumRedirects`
/// redirects (Go's client follows ten), reads at most `maxBytes` of each body, and the whole
/// download (script, map and redirects) must end within `timeout` (Alloy's `download_timeout`
/// bounds each request).
///
/// A downloaded map is parsed with its own URL, against which its relative sources resolve; an
/// inline map with the script's URL and `.map` appended, as Alloy parses them.
public struct SourceMapDownloader: Sendable {
    /// The most redirects followed for one file.
    public static let maximumRedirects = 10
    /// The default size limit of each downloaded file, 20 MiB.
    public static let defaultMaxBytes = 20 << 20

    /// What gets the files.
    public let fetcher: any SourceMapFetcher
    /// The origins that may be asked.
    public let origins: DownloadOrigins
    /// How long one script's download may take, script and map together.
    public let timeout: Duration
    /// The most bytes read of each file.
    public let maxBytes: Int

    /// A downloader getting files through `fetcher` from `origins`.
    public init(fetcher: any SourceMapFetcher, origins: DownloadOrigins, timeout: Duration = .seconds(1), maxBytes: Int = defaultMaxBytes) {
        self.fetcher = fetcher
        self.origins = origins
        self.timeout = timeout
        self.maxBytes = max(maxBytes, 0)
    }

    /// The source map of the script at `scriptURL`.
    public func download(script scriptURL: String) async throws(SourceMapDownloadError) -> SourceMap {
        let deadline = ContinuousClock.now + timeout
        let (script, finalScriptURL) = try await get(scriptURL, deadline: deadline)
        guard let reference = SourceMappingURL.find(in: script) else { throw .noSourceMappingURL(script: scriptURL) }
        if reference.hasPrefix("data:") {
            guard let json = DataURL.decode(reference) else { throw .invalidDataURL(script: scriptURL) }
            return try parse(json, url: scriptURL + ".map")
        }
        let mapURL = try Self.resolve(reference, against: finalScriptURL)
        return try parse(try await get(mapURL, deadline: deadline).body, url: mapURL)
    }

    /// `reference` as Alloy resolves a `sourceMappingURL`: kept when it starts with `http`, else
    /// resolved against `base` (Go's `ResolveReference`).
    public static func resolve(_ reference: String, against base: String) throws(SourceMapDownloadError) -> String {
        if reference.hasPrefix("http") { return reference }
        guard let baseURL = GoURL(base), let relative = GoURL(reference) else { throw .invalidReference(reference) }
        return baseURL.resolving(relative).string
    }

    /// The body at `url`, following redirects to allowed origins, and the URL it came from.
    private func get(_ url: String, deadline: ContinuousClock.Instant) async throws(SourceMapDownloadError) -> (body: [UInt8], url: String) {
        var current = url
        for _ in 0...Self.maximumRedirects {
            guard origins.allows(current) else { throw .notAllowed(url: current) }
            guard ContinuousClock.now < deadline else { throw .fetchFailed(url: current, .timedOut) }
            let resource: FetchedResource
            do throws(SourceMapFetchError) {
                resource = try await fetcher.fetch(current, maxBytes: maxBytes, deadline: deadline)
            } catch {
                throw .fetchFailed(url: current, error)
            }
            switch resource {
            case .content(let bytes):
                guard bytes.count <= maxBytes else { throw .fetchFailed(url: current, .tooLarge(limit: maxBytes)) }
                return (bytes, current)
            case .redirect(let location):
                guard let base = GoURL(current), let target = GoURL(location) else { throw .invalidReference(location) }
                current = base.resolving(target).string
            }
        }
        throw .tooManyRedirects(url: url)
    }

    /// The map in `json`, parsed for `url`.
    private func parse(_ json: [UInt8], url: String) throws(SourceMapDownloadError) -> SourceMap {
        do {
            return try SourceMap(json: json, url: url, maxBytes: maxBytes)
        } catch {
            throw .invalidMap(url: url, error)
        }
    }
}
