import Logging
public import SourceMaps

/// The scripts whose source maps must be downloaded before a payload's stack frames can be
/// resolved, as `FaroIngestor.ingest` reports them: call `fetch()` away from the event loop,
/// then ingest the payload again.
public struct PendingSourceMaps: Sendable {
    /// The store that downloads and keeps the maps.
    public let store: RemoteSourceMapStore
    /// The scripts' URLs, each once.
    public let scriptURLs: [String]
    private let logger: Logger

    /// The downloads of `scriptURLs` into `store`, whose failures go to `logger`.
    init(store: RemoteSourceMapStore, scriptURLs: [String], logger: Logger) {
        self.store = store
        self.scriptURLs = scriptURLs
        self.logger = logger
    }

    /// Downloads the maps (or waits for downloads of them under way); never fails: a failure is
    /// logged and remembered, and leaves the script's frames as sent. Takes at most the
    /// download timeout.
    public func fetch() async {
        for failure in await store.download(scriptURLs) {
            if case .noSourceMappingURL = failure {
                logger.debug("no source map url found in source", metadata: ["err": "\(failure)"])
            } else {
                logger.error("failed to download source map", metadata: ["err": "\(failure)"])
            }
        }
    }
}
