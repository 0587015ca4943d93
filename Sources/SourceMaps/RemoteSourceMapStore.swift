import Synchronization

/// Source maps downloaded from the scripts' own servers (Alloy's `sourcemaps { download = true }`),
/// held in a bounded cache keyed by script URL.
///
/// Lookups are synchronous and serve only what was downloaded before: `needsDownload(_:)` says
/// which scripts a caller should `download(_:)` first (off any thread that must not wait), then
/// the lookup finds their maps. Failed downloads are remembered too, for `failureRetention`, so
/// that a bad URL is not fetched again for every payload that names it; when that has passed the
/// next payload tries again. Two callers that ask for one script at once share one download. The
/// cache holds at most `capacity` maps and failures together; the least recently used go first.
/// With a `ttl`, `evictExpired()` also drops the maps not used for that long (Alloy's
/// `cache { ttl }`), and always the failures past their retention. The observer hears of each map
/// stored and evicted (Alloy's `faro_receiver_sourcemap_cache_size`), and of the maps still held
/// when the store goes away; never on a lookup.
public final class RemoteSourceMapStore: SourceMapStore {
    /// What downloads maps, and from which origins.
    public let downloader: SourceMapDownloader
    /// The most maps and failures kept.
    public let capacity: Int
    /// How long a failed download is remembered.
    public let failureRetention: Duration
    /// How long a map may go unused before `evictExpired()` drops it; `nil`: maps are dropped only
    /// to make room.
    public let ttl: Duration?
    /// What hears of maps stored and evicted.
    public let observer: (any SourceMapStoreObserver)?
    /// The time, injectable for tests.
    private let now: @Sendable () -> ContinuousClock.Instant

    private enum Entry {
        /// A download under way; waiters share it.
        case downloading(Task<SourceMapDownloadError?, Never>)
        /// A map, with the use counter and the time at its last use.
        case downloaded(SourceMap, lastUse: UInt64, lastUsed: ContinuousClock.Instant)
        /// A failure, when it happened, and the use counter at its last use.
        case failed(at: ContinuousClock.Instant, lastUse: UInt64)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var uses: UInt64 = 0
        /// How many entries are not downloads under way.
        var settled = 0
    }

    private let state = Mutex(State())

    /// A store downloading with `downloader`, keeping at most `capacity` entries (at least 1),
    /// failures for `failureRetention` and, when `ttl` is given, letting `evictExpired()` drop the
    /// maps unused for `ttl`; it reports the maps it holds to `observer`, and `now` tells the time.
    public init(
        downloader: SourceMapDownloader, capacity: Int = 1024, failureRetention: Duration = .seconds(3600), ttl: Duration? = nil,
        observer: (any SourceMapStoreObserver)? = nil,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.downloader = downloader
        self.capacity = max(capacity, 1)
        self.failureRetention = failureRetention
        self.ttl = ttl
        self.observer = observer
        self.now = now
    }

    deinit {
        guard let observer else { return }
        for (scriptURL, entry) in state.withLock({ $0.entries }) {
            if case .downloaded = entry { observer.cachedMapCountChanged(forScript: scriptURL, by: -1) }
        }
    }

    /// How many maps and remembered failures the cache holds.
    public var count: Int { state.withLock { $0.settled } }

    /// The downloaded map of `scriptURL`, or `nil` when none was downloaded (not yet, or it
    /// failed); the release plays no part (a script URL serves one script).
    public func sourceMap(forScript scriptURL: String, release: String) -> SourceMap? {
        let time = now()
        return state.withLock { state in
            guard case .downloaded(let map, _, _)? = state.entries[scriptURL] else { return nil }
            state.uses &+= 1
            state.entries[scriptURL] = .downloaded(map, lastUse: state.uses, lastUsed: time)
            return map
        }
    }

    /// Drops the maps not used for `ttl` (none without one) and the failures older than
    /// `failureRetention`, telling the observer of each map dropped: Alloy's
    /// `CleanOldCacheEntries` and `CleanCachedErrors`, for the owner to run periodically.
    /// Downloads under way are left alone.
    public func evictExpired() {
        let time = now()
        let evicted = state.withLock { state -> [String] in
            var expired: [String] = []
            var evicted: [String] = []
            for (scriptURL, entry) in state.entries {
                switch entry {
                case .downloading: continue
                case .downloaded(_, _, let lastUsed):
                    guard let ttl, time - lastUsed >= ttl else { continue }
                    evicted.append(scriptURL)
                case .failed(let at, _):
                    guard time - at >= failureRetention else { continue }
                }
                expired.append(scriptURL)
            }
            for scriptURL in expired { state.entries[scriptURL] = nil }
            state.settled -= expired.count
            return evicted
        }
        guard let observer else { return }
        for scriptURL in evicted { observer.cachedMapCountChanged(forScript: scriptURL, by: -1) }
    }

    /// Whether `scriptURL` should be downloaded before its frames are resolved: its origin is
    /// allowed and the cache holds neither its map nor a recent failure (a download under way
    /// counts as needed: the caller waits for it).
    public func needsDownload(_ scriptURL: String) -> Bool {
        let time = now()
        let cached: Bool? = state.withLock { state in
            switch state.entries[scriptURL] {
            case nil: nil
            case .downloading: false
            case .downloaded: true
            case .failed(let at, _): time - at < failureRetention
            }
        }
        if let cached { return !cached }
        return downloader.origins.allows(scriptURL)
    }

    /// Downloads the maps of `scriptURLs` that `needsDownload(_:)`, concurrently, and waits for
    /// them (and for downloads of them that others started); returns the failures of the downloads
    /// this call started, to be logged once.
    public func download(_ scriptURLs: [String]) async -> [SourceMapDownloadError] {
        var unique: [String] = []
        for url in scriptURLs where !unique.contains(url) { unique.append(url) }
        return await withTaskGroup(of: SourceMapDownloadError?.self) { group in
            for url in unique {
                group.addTask { await self.load(url) }
            }
            var failures: [SourceMapDownloadError] = []
            for await failure in group {
                if let failure { failures.append(failure) }
            }
            return failures
        }
    }

    /// Starts or joins the download of one script; the failure when this call started it.
    private func load(_ scriptURL: String) async -> SourceMapDownloadError? {
        guard needsDownload(scriptURL) else { return nil }
        let time = now()
        let (task, started) = state.withLock { state -> (Task<SourceMapDownloadError?, Never>?, Bool) in
            switch state.entries[scriptURL] {
            case .downloading(let task)?: return (task, false)
            case .downloaded?: return (nil, false)
            case .failed(let at, _)? where time - at < failureRetention: return (nil, false)
            case .failed?:
                state.settled -= 1
            case nil:
                break
            }
            let task = Task { await self.downloadAndStore(scriptURL) }
            state.entries[scriptURL] = .downloading(task)
            return (task, true)
        }
        guard let task else { return nil }
        let failure = await task.value
        return started ? failure : nil
    }

    /// Downloads one script's map and stores the map or the failure.
    private func downloadAndStore(_ scriptURL: String) async -> SourceMapDownloadError? {
        let result: Result<SourceMap, SourceMapDownloadError>
        do throws(SourceMapDownloadError) {
            result = .success(try await downloader.download(script: scriptURL))
        } catch {
            result = .failure(error)
        }
        let time = now()
        let evicted = state.withLock { state -> String? in
            let evicted = state.settled >= capacity ? evictLeastRecentlyUsed(&state) : nil
            state.uses &+= 1
            switch result {
            case .success(let map): state.entries[scriptURL] = .downloaded(map, lastUse: state.uses, lastUsed: time)
            case .failure: state.entries[scriptURL] = .failed(at: time, lastUse: state.uses)
            }
            state.settled += 1
            return evicted
        }
        if let observer {
            if let evicted { observer.cachedMapCountChanged(forScript: evicted, by: -1) }
            if case .success = result { observer.cachedMapCountChanged(forScript: scriptURL, by: 1) }
        }
        if case .failure(let error) = result { return error }
        return nil
    }

    /// Removes the settled entry used longest ago; returns its script URL when it was a map.
    private func evictLeastRecentlyUsed(_ state: inout State) -> String? {
        var oldest: (key: String, use: UInt64)?
        for (key, entry) in state.entries {
            let use: UInt64
            switch entry {
            case .downloading: continue
            case .downloaded(_, let lastUse, _), .failed(_, let lastUse): use = lastUse
            }
            if oldest == nil || use < oldest!.use { oldest = (key, use) }
        }
        guard let oldest else { return nil }
        let removed = state.entries.removeValue(forKey: oldest.key)
        state.settled -= 1
        if case .downloaded? = removed { return oldest.key }
        return nil
    }
}
