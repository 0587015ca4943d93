import SourceMaps
import Testing

/// Alloy's `sourcemaps { cache { ttl, error_cleanup_interval } }` in both caches: `evictExpired()`
/// drops the maps unused for `ttl` (telling the observer, so that the cache-size gauge falls) and
/// the failures past their retention; without a `ttl`, age alone never drops a map.
@Suite struct SourceMapCacheExpiryTests {
    typealias TestClock = RemoteSourceMapStoreTests.TestClock
    typealias Recorder = SourceMapStoreObserverTests.Recorder

    private static func remoteStore(
        ttl: Duration?, clock: TestClock, observer: Recorder
    ) throws -> (RemoteSourceMapStore, RemoteSourceMapStoreTests.TableFetcher) {
        let map = #"{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}"#
        let inline = "f();\n//# sourceMappingURL=data:application/json;base64,"
            + RemoteSourceMapStoreTests.base64(Array(map.utf8)) + "\n"
        let fetcher = RemoteSourceMapStoreTests.TableFetcher([
            "http://h.example/a.js": .content(Array(inline.utf8)), "http://h.example/b.js": .content(Array(inline.utf8)),
        ])
        let store = RemoteSourceMapStore(
            downloader: SourceMapDownloader(fetcher: fetcher, origins: try DownloadOrigins(["http://h.example"])),
            failureRetention: .seconds(3600), ttl: ttl, observer: observer, now: { clock.now })
        return (store, fetcher)
    }

    @Test func localCacheEvictsMapsUnusedForTheTTL() throws {
        let clock = TestClock()
        let recorder = Recorder()
        let base = try CachingSourceMapStoreTests.CountingStore()
        let cache = CachingSourceMapStore(base, ttl: .seconds(60), observer: recorder, now: { clock.now })
        _ = try cache.sourceMap(forScript: "http://h/used.js", release: "1")
        _ = try cache.sourceMap(forScript: "http://h/idle.js", release: "1")
        clock.advance(by: .seconds(30))
        _ = try cache.sourceMap(forScript: "http://h/used.js", release: "1")
        clock.advance(by: .seconds(29))
        cache.evictExpired()
        #expect(cache.count == 2)
        clock.advance(by: .seconds(1))
        cache.evictExpired()
        #expect(cache.count == 1)
        #expect(recorder.recordedChanges == ["http://h/used.js 1", "http://h/idle.js 1", "http://h/idle.js -1"])
        // The evicted map is read again when next asked for; the used one is still cached.
        _ = try cache.sourceMap(forScript: "http://h/used.js", release: "1")
        _ = try cache.sourceMap(forScript: "http://h/idle.js", release: "1")
        #expect(base.lookups.withLock { $0 } == ["http://h/used.js@1", "http://h/idle.js@1", "http://h/idle.js@1"])
        #expect(recorder.recordedChanges.last == "http://h/idle.js 1")
    }

    @Test func localCacheForgetsFailuresAfterTheirRetention() throws {
        let clock = TestClock()
        let recorder = Recorder()
        let base = try CachingSourceMapStoreTests.CountingStore()
        let cache = CachingSourceMapStore(base, negativeRetention: .seconds(3600), observer: recorder, now: { clock.now })
        _ = try? cache.sourceMap(forScript: "http://h/fail.js", release: "")
        _ = try cache.sourceMap(forScript: "http://h/none.js", release: "")
        _ = try cache.sourceMap(forScript: "http://h/a.js", release: "")
        clock.advance(by: .seconds(3599))
        cache.evictExpired()
        #expect(try cache.sourceMap(forScript: "http://h/none.js", release: "") == nil)
        #expect(cache.count == 3)
        clock.advance(by: .seconds(1))
        // On access: the absence is looked for again.
        #expect(try cache.sourceMap(forScript: "http://h/none.js", release: "") == nil)
        // By the sweep: the failure goes, the map (no ttl) stays, and no map count changes.
        cache.evictExpired()
        #expect(cache.count == 2)
        #expect(recorder.recordedChanges == ["http://h/a.js 1"])
        #expect(throws: SourceMapStoreError.self) { try cache.sourceMap(forScript: "http://h/fail.js", release: "") }
        #expect(
            base.lookups.withLock { $0 } == [
                "http://h/fail.js@", "http://h/none.js@", "http://h/a.js@", "http://h/none.js@", "http://h/fail.js@",
            ])
    }

    @Test func localCacheWithoutTTLNeverEvictsByAge() throws {
        let clock = TestClock()
        let recorder = Recorder()
        let base = try CachingSourceMapStoreTests.CountingStore()
        let cache = CachingSourceMapStore(base, observer: recorder, now: { clock.now })
        _ = try cache.sourceMap(forScript: "http://h/a.js", release: "")
        clock.advance(by: .seconds(10 * 365 * 86_400))
        cache.evictExpired()
        #expect(cache.count == 1)
        _ = try cache.sourceMap(forScript: "http://h/a.js", release: "")
        #expect(base.lookups.withLock { $0 } == ["http://h/a.js@"])
        #expect(recorder.recordedChanges == ["http://h/a.js 1"])
    }

    @Test func remoteStoreEvictsMapsUnusedForTheTTL() async throws {
        let clock = TestClock()
        let recorder = Recorder()
        let (store, fetcher) = try Self.remoteStore(ttl: .seconds(60), clock: clock, observer: recorder)
        #expect(await store.download(["http://h.example/a.js", "http://h.example/b.js"]).isEmpty)
        clock.advance(by: .seconds(30))
        #expect(store.sourceMap(forScript: "http://h.example/a.js", release: "") != nil)
        clock.advance(by: .seconds(30))
        store.evictExpired()
        #expect(store.count == 1)
        #expect(!store.needsDownload("http://h.example/a.js"))
        #expect(store.needsDownload("http://h.example/b.js"))
        #expect(store.sourceMap(forScript: "http://h.example/b.js", release: "") == nil)
        #expect(Array(recorder.recordedChanges.suffix(1)) == ["http://h.example/b.js -1"])
        #expect(recorder.recordedChanges.filter { $0.hasSuffix(" 1") }.count == 2)
        // Downloaded again when next needed.
        #expect(await store.download(["http://h.example/b.js"]).isEmpty)
        #expect(fetcher.asked.filter { $0 == "http://h.example/b.js" }.count == 2)
        #expect(recorder.recordedChanges.last == "http://h.example/b.js 1")
    }

    @Test func remoteStoreSweepsFailuresAfterTheirRetention() async throws {
        let clock = TestClock()
        let recorder = Recorder()
        let (store, fetcher) = try Self.remoteStore(ttl: nil, clock: clock, observer: recorder)
        #expect(await store.download(["http://h.example/missing.js"]).count == 1)
        #expect(await store.download(["http://h.example/a.js"]).isEmpty)
        clock.advance(by: .seconds(3599))
        store.evictExpired()
        #expect(store.count == 2)
        #expect(!store.needsDownload("http://h.example/missing.js"))
        clock.advance(by: .seconds(1))
        store.evictExpired()
        #expect(store.count == 1)
        #expect(store.needsDownload("http://h.example/missing.js"))
        #expect(await store.download(["http://h.example/missing.js"]).count == 1)
        #expect(fetcher.asked.filter { $0 == "http://h.example/missing.js" }.count == 2)
        #expect(recorder.recordedChanges == ["http://h.example/a.js 1"])
    }

    @Test func remoteStoreWithoutTTLNeverEvictsByAge() async throws {
        let clock = TestClock()
        let recorder = Recorder()
        let (store, _) = try Self.remoteStore(ttl: nil, clock: clock, observer: recorder)
        #expect(await store.download(["http://h.example/a.js"]).isEmpty)
        clock.advance(by: .seconds(10 * 365 * 86_400))
        store.evictExpired()
        #expect(store.count == 1)
        #expect(store.sourceMap(forScript: "http://h.example/a.js", release: "") != nil)
        #expect(recorder.recordedChanges == ["http://h.example/a.js 1"])
    }
}
