import Synchronization

/// A bounded cache in front of another store, keyed by script URL and release as Alloy's is.
///
/// Like Alloy, it also remembers failures and absences (a lookup that threw or found nothing),
/// and answers `nil` for them without asking again until `negativeRetention` has passed (Alloy
/// clears them every `error_cleanup_interval`, one hour by default); the lookup that failed
/// throws, later ones do not. Parsed maps stay until the cache holds `capacity` entries; then the
/// least recently used entry goes (Alloy's default keeps them forever). Lookups of different keys
/// run concurrently; two concurrent lookups of one missing key may both ask the base store.
public final class CachingSourceMapStore: SourceMapStore {
    /// The store asked on a miss.
    public let base: any SourceMapStore
    /// The most entries kept.
    public let capacity: Int
    /// How long an absence or failure is remembered.
    public let negativeRetention: Duration

    private struct Key: Hashable {
        let scriptURL: String
        let release: String
    }

    private struct Entry {
        /// The map, or `nil` for a remembered absence or failure.
        let map: SourceMap?
        /// When the entry was stored.
        let stored: ContinuousClock.Instant
        /// The use counter at the last use, for least-recently-used eviction.
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var uses: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A cache of at most `capacity` entries (at least 1) in front of `base`.
    public init(_ base: any SourceMapStore, capacity: Int = 1024, negativeRetention: Duration = .seconds(3600)) {
        self.base = base
        self.capacity = max(capacity, 1)
        self.negativeRetention = negativeRetention
    }

    /// How many entries the cache holds, absences and failures included.
    public var count: Int { state.withLock { $0.entries.count } }

    /// Forgets every entry.
    public func removeAll() {
        state.withLock { $0.entries.removeAll() }
    }

    /// The cached answer, or the base store's, remembered.
    public func sourceMap(forScript scriptURL: String, release: String) throws(SourceMapStoreError) -> SourceMap? {
        let key = Key(scriptURL: scriptURL, release: release)
        let now = ContinuousClock.now
        let retention = negativeRetention
        let cached: SourceMap?? = state.withLock { state in
            guard var entry = state.entries[key] else { return .none }
            if entry.map == nil && now - entry.stored >= retention {
                state.entries[key] = nil
                return .none
            }
            state.uses &+= 1
            entry.lastUse = state.uses
            state.entries[key] = entry
            return .some(entry.map)
        }
        if let cached { return cached }
        let result = Result { () throws(SourceMapStoreError) in try base.sourceMap(forScript: scriptURL, release: release) }
        let stored = (try? result.get()) ?? nil
        state.withLock { state in
            if state.entries[key] == nil && state.entries.count >= capacity,
                let oldest = state.entries.min(by: { $0.value.lastUse < $1.value.lastUse })
            {
                state.entries[oldest.key] = nil
            }
            state.uses &+= 1
            state.entries[key] = Entry(map: stored, stored: now, lastUse: state.uses)
        }
        return try result.get()
    }
}
