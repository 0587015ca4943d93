import Foundation
import SourceMaps
import Synchronization
import Testing

/// What the stores report to their observer (the collector's source-map metrics): files read,
/// maps cached and dropped, and the origin label of a script URL.
@Suite struct SourceMapStoreObserverTests {
    /// An observer that records each call.
    final class Recorder: SourceMapStoreObserver {
        let reads = Mutex<[String]>([])
        let changes = Mutex<[String]>([])

        func mapFileRead(forScript scriptURL: String, status: SourceMapFileReadStatus) {
            reads.withLock { $0.append("\(scriptURL) \(status.rawValue)") }
        }

        func cachedMapCountChanged(forScript scriptURL: String, by change: Int) {
            changes.withLock { $0.append("\(scriptURL) \(change)") }
        }

        var recordedReads: [String] { reads.withLock { $0 } }
        var recordedChanges: [String] { changes.withLock { $0 } }
    }

    @Test func localStoreReportsEachFileLookedFor() throws {
        let directory = try LocalSourceMapStoreTests.Directory()
        defer { directory.remove() }
        try directory.write(try Fixtures.fooMap(), at: "second/foo.js.map")
        try directory.write(Array(#"{"version":3}"#.utf8), at: "second/dir.js.map/inside")
        let recorder = Recorder()
        let store = try LocalSourceMapStore(
            locations: [
                .init(path: directory.url.path + "/first", minifiedPathPrefix: "http://h/"),
                .init(path: directory.url.path + "/second", minifiedPathPrefix: "http://h/"),
                .init(path: "/srv", minifiedPathPrefix: "http://other/"),
            ],
            observer: recorder)
        #expect(try store.sourceMap(forScript: "http://h/foo.js", release: "") != nil)
        #expect(try store.sourceMap(forScript: "http://h/none.js", release: "") == nil)
        #expect(throws: SourceMapStoreError.self) { try store.sourceMap(forScript: "http://h/dir.js", release: "") }
        #expect(throws: SourceMapStoreError.invalidPath(directory.url.path + "/first/a..b.js.map")) {
            try store.sourceMap(forScript: "http://h/a..b.js", release: "")
        }
        // A URL under no location's prefix reads nothing.
        #expect(try store.sourceMap(forScript: "http://elsewhere/foo.js", release: "") == nil)
        #expect(
            recorder.recordedReads == [
                "http://h/foo.js not_found", "http://h/foo.js ok",
                "http://h/none.js not_found", "http://h/none.js not_found",
                "http://h/dir.js not_found", "http://h/dir.js error",
                "http://h/a..b.js invalid_path",
            ])
        #expect(recorder.recordedChanges.isEmpty)
    }

    @Test func cacheReportsMapsAddedAndDroppedNeverHits() throws {
        let recorder = Recorder()
        let base = try CachingSourceMapStoreTests.CountingStore()
        var cache: CachingSourceMapStore? = CachingSourceMapStore(base, capacity: 2, observer: recorder)
        _ = try cache?.sourceMap(forScript: "http://h/a.js", release: "1")
        _ = try cache?.sourceMap(forScript: "http://h/a.js", release: "1")
        _ = try cache?.sourceMap(forScript: "http://h/none.js", release: "1")
        #expect(recorder.recordedChanges == ["http://h/a.js 1"])
        // Full: a.js was used longer ago than none.js, and goes.
        _ = try cache?.sourceMap(forScript: "http://h/b.js", release: "1")
        #expect(recorder.recordedChanges == ["http://h/a.js 1", "http://h/a.js -1", "http://h/b.js 1"])
        // The absence of none.js goes unreported.
        _ = try cache?.sourceMap(forScript: "http://h/c.js", release: "1")
        #expect(recorder.recordedChanges == ["http://h/a.js 1", "http://h/a.js -1", "http://h/b.js 1", "http://h/c.js 1"])
        cache?.removeAll()
        #expect(Set(recorder.recordedChanges.suffix(2)) == ["http://h/b.js -1", "http://h/c.js -1"])
        _ = try cache?.sourceMap(forScript: "http://h/d.js", release: "1")
        #expect(recorder.recordedChanges.count == 7)
        // The maps a cache still holds when it goes away are dropped.
        cache = nil
        #expect(recorder.recordedChanges.last == "http://h/d.js -1")
        #expect(recorder.recordedReads.isEmpty)
    }

    @Test func remoteStoreReportsMapsStoredAndEvicted() async throws {
        let map = #"{"version":3,"sources":["a.js"],"names":[],"mappings":"AAAA"}"#
        let inline = "f();\n//# sourceMappingURL=data:application/json;base64,"
            + RemoteSourceMapStoreTests.base64(Array(map.utf8)) + "\n"
        let script = RemoteSourceMapStoreTests.script
        let fetcher = RemoteSourceMapStoreTests.TableFetcher([
            script: .content(try Fixtures.fooScript()), "http://h.example/static/foo.js.map": .content(try Fixtures.fooMap()),
            "http://h.example/b.js": .content(Array(inline.utf8)),
        ])
        let recorder = Recorder()
        var store: RemoteSourceMapStore? = RemoteSourceMapStore(
            downloader: SourceMapDownloader(fetcher: fetcher, origins: try DownloadOrigins(["http://h.example"])), capacity: 1,
            observer: recorder)
        #expect(await store?.download([script]) == [])
        #expect(store?.sourceMap(forScript: script, release: "") != nil)
        #expect(recorder.recordedChanges == [script + " 1"])
        // A failure is no map; storing it evicts the only map.
        #expect(await store?.download(["http://h.example/missing.js"]).count == 1)
        #expect(recorder.recordedChanges == [script + " 1", script + " -1"])
        #expect(await store?.download(["http://h.example/b.js"]) == [])
        #expect(recorder.recordedChanges == [script + " 1", script + " -1", "http://h.example/b.js 1"])
        store = nil
        #expect(recorder.recordedChanges.last == "http://h.example/b.js -1")
        #expect(recorder.recordedChanges.count == 4)
    }

    @Test(arguments: [
        ("http://127.0.0.1:8080/static/foo.js?v=1", "http://127.0.0.1:8080"),
        ("HTTPS://Shop.Example/app.js", "https://Shop.Example"),
        ("https://user@cdn.example/app.js", "https://cdn.example"),
        ("app.js", "://"),
        ("http://[::1/app.js", "?"),
        ("http://h/%zz.js", "?"),
    ])
    func originLabelIsAlloys(url: String, origin: String) {
        #expect(MetricOrigin.of(url) == origin)
    }
}
