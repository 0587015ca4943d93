import SourceMaps
import Synchronization
import Testing

/// The cache in front of a store: hits, remembered absences and failures, eviction.
@Suite struct CachingSourceMapStoreTests {
    /// A store that counts its lookups and answers by script URL.
    final class CountingStore: SourceMapStore {
        let lookups = Mutex<[String]>([])
        let map: SourceMap

        init() throws { map = try Fixtures.parse(Fixtures.map(#""sources":["a.js"],"mappings":"AAAA""#)) }

        func sourceMap(forScript scriptURL: String, release: String) throws(SourceMapStoreError) -> SourceMap? {
            lookups.withLock { $0.append(scriptURL + "@" + release) }
            if scriptURL.hasSuffix("fail.js") { throw .unavailable(url: scriptURL, reason: "down") }
            return scriptURL.hasSuffix("none.js") ? nil : map
        }
    }

    @Test func remembersMapsAbsencesAndFailures() throws {
        let base = try CountingStore()
        let cache = CachingSourceMapStore(base)
        #expect(try cache.sourceMap(forScript: "http://h/a.js", release: "1") != nil)
        #expect(try cache.sourceMap(forScript: "http://h/a.js", release: "1") != nil)
        #expect(try cache.sourceMap(forScript: "http://h/a.js", release: "2") != nil)
        #expect(try cache.sourceMap(forScript: "http://h/none.js", release: "1") == nil)
        #expect(try cache.sourceMap(forScript: "http://h/none.js", release: "1") == nil)
        // The failing lookup throws; later ones answer nil from the cache, as Alloy's do.
        #expect(throws: SourceMapStoreError.unavailable(url: "http://h/fail.js", reason: "down")) {
            try cache.sourceMap(forScript: "http://h/fail.js", release: "1")
        }
        #expect(try cache.sourceMap(forScript: "http://h/fail.js", release: "1") == nil)
        #expect(base.lookups.withLock { $0 } == ["http://h/a.js@1", "http://h/a.js@2", "http://h/none.js@1", "http://h/fail.js@1"])
        #expect(cache.count == 4)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func forgetsAbsencesAfterTheirRetention() throws {
        let base = try CountingStore()
        let cache = CachingSourceMapStore(base, negativeRetention: .zero)
        #expect(try cache.sourceMap(forScript: "http://h/none.js", release: "") == nil)
        #expect(try cache.sourceMap(forScript: "http://h/none.js", release: "") == nil)
        #expect(try cache.sourceMap(forScript: "http://h/a.js", release: "") != nil)
        #expect(try cache.sourceMap(forScript: "http://h/a.js", release: "") != nil)
        #expect(base.lookups.withLock { $0 } == ["http://h/none.js@", "http://h/none.js@", "http://h/a.js@"])
    }

    @Test func evictsTheLeastRecentlyUsed() throws {
        let base = try CountingStore()
        let cache = CachingSourceMapStore(base, capacity: 2)
        _ = try cache.sourceMap(forScript: "http://h/a.js", release: "")
        _ = try cache.sourceMap(forScript: "http://h/b.js", release: "")
        _ = try cache.sourceMap(forScript: "http://h/a.js", release: "")
        _ = try cache.sourceMap(forScript: "http://h/c.js", release: "")  // evicts b
        #expect(cache.count == 2)
        _ = try cache.sourceMap(forScript: "http://h/a.js", release: "")
        _ = try cache.sourceMap(forScript: "http://h/b.js", release: "")
        #expect(base.lookups.withLock { $0 } == ["http://h/a.js@", "http://h/b.js@", "http://h/c.js@", "http://h/b.js@"])
    }
}
