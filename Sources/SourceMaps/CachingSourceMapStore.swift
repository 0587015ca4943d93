import Synchronization

/// A bounded cache in front of another store, keyed by script URL and release as Alloy's is.
///
/// Like Alloy, it also remembers failures and absences (a lookup that threw or found nothing),
/// and answers `nil` for them without asking again until `negativeRetention` has passed (Alloy
/// clears them every `error_cleanup_interval`, one hour by default); the lookup that failed
/// throws, later ones do not. Parsed maps stay until the cache holds `capacity` entries; then the
/// least recently used entry goes (Alloy's default keeps them forever). With a `ttl`,
/// `evictExpired()` also drops the maps not used for that long (Alloy's `cache { ttl }`), and
/// always the absences and failures past their retention. Lookups of different keys run
/// concurrently; two concurrent lookups of one missing key may both ask the base store.
///
/// The observer hears of each map the cache begins or stops holding (Alloy's
/// `faro_receiver_sourcemap_cache_size`), on a miss, an eviction, `removeAll()`, `evictExpired()`,
/// and for the maps still held when the cache goes away; never on a hit.
public final class CachingSourceMapStore: SourceMapStore {
    /// The store asked on a miss.
    public let base: any SourceMapStore
    /// The most entries kept.
    public let capacity: Int
    /// How long an absence or failure is remembered.
    public let negativeRetention: Duration
    /// How long a map may go unused before `evictExpired()` drops it; `nil`: maps are dropped only
    /// to make room.
    public let ttl: Duration?
    /// What hears of maps cached and dropped.
    public let observer: (any SourceMapStoreObserver)?
    /// The time, injectable for tests.
    private let now: @Sendable () -> ContinuousClock.Instant

    private struct Key: Hashable {
        let scriptURL: String
        let release: String
    }

    private struct Entry {
        /// The map, or `nil` for a remembered absence or failure.
        let map: SourceMap?
        /// When the entry was stored.
        let stored: ContinuousClock.Instant
        /// When the entry was last used, for `ttl`.
        var lastUsed: ContinuousClock.Instant
        /// The use counter at the last use, for least-recently-used eviction.
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var uses: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A cache of at most `capacity` entries (at least 1) in front of `base`, remembering
    /// absences and failures for `negativeRetention` and, when `ttl` is given, letting
    /// `evictExpired()` drop the maps unused for `ttl`; it reports the maps it holds to `observer`,
    /// and `now` tells the time.
    public init(
        _ base: any SourceMapStore, capacity: Int = 1024, negativeRetention: Duration = .seconds(3600), ttl: Duration? = nil,
        observer: (any SourceMapStoreObserver)? = nil,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.base = base
        self.capacity = max(capacity, 1)
        self.negativeRetention = negativeRetention
        self.ttl = ttl
        self.observer = observer
        self.now = now
    }

    deinit {
        reportDropped(state.withLock { $0.entries })
    }

    /// How many entries the cache holds, absences and failures included.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Forgets every entry.
    public func removeAll() {
        let dropped = state.withLock { state in
            let entries = state.entries
            state.entries = [:]
            return entries
        }
        reportDropped(dropped)
    }

    /// Drops the maps not used for `ttl` (none without one) and the absences and failures older
    /// than `negativeRetention`, telling the observer of each map dropped: Alloy's
    /// `CleanOldCacheEntries` and `CleanCachedErrors`, for the owner to run periodically.
    public func evictExpired() {
        let time = now()
        let dropped = state.withLock { state in
            let expired = state.entries.filter { isExpired($0.value, at: time) }
            for key in expired.keys { state.entries[key] = nil }
            return expired
        }
        reportDropped(dropped)
    }

    /// Whether `entry` is a map unused for `ttl`, or an absence or failure past its retention, at `time`.
    private func isExpired(_ entry: Entry, at time: ContinuousClock.Instant) -> Bool {
        guard entry.map != nil else { return time - entry.stored >= negativeRetention }
        guard let ttl else { return false }
        return time - entry.lastUsed >= ttl
    }

    /// Tells the observer that the maps among `entries` are no longer held.
    private func reportDropped(_ entries: [Key: Entry]) {
        guard let observer else { return }
        for (key, entry) in entries where entry.map != nil {
            observer.cachedMapCountChanged(forScript: key.scriptURL, by: -1)
        }
    }

    /// The cached answer, or the base store's, remembered.
    public func sourceMap(forScript scriptURL: String, release: String) throws(SourceMapStoreError) -> SourceMap? {
        let key = Key(scriptURL: scriptURL, release: release)
        let time = now()
        let cached: SourceMap?? = state.withLock { state in
            guard var entry = state.entries[key] else { return .none }
            if entry.map == nil && isExpired(entry, at: time) {
                state.entries[key] = nil
                return .none
            }
            state.uses &+= 1
            entry.lastUse = state.uses
            entry.lastUsed = time
            state.entries[key] = entry
            return .some(entry.map)
        }
        if let cached { return cached }
        let result = Result { () throws(SourceMapStoreError) in try base.sourceMap(forScript: scriptURL, release: release) }
        let stored = (try? result.get()) ?? nil
        let (evicted, replacedMap) = state.withLock { state -> (String?, Bool) in
            var evicted: String? = nil
            if state.entries[key] == nil && state.entries.count >= capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.entries[oldest.key] = nil
                if oldest.value.map != nil { evicted = oldest.key.scriptURL }
            }
            state.uses &+= 1
            // A concurrent lookup of the same key may have stored its answer first.
            let replaced = state.entries.updateValue(Entry(map: stored, stored: time, lastUsed: time, lastUse: state.uses), forKey: key)
            return (evicted, replaced?.map != nil)
        }
        if let observer {
            if let evicted { observer.cachedMapCountChanged(forScript: evicted, by: -1) }
            let change = (stored == nil ? 0 : 1) - (replacedMap ? 1 : 0)
            if change != 0 { observer.cachedMapCountChanged(forScript: scriptURL, by: change) }
        }
        return try result.get()
    }
}
