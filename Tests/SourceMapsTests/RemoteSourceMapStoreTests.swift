import SourceMaps
import Synchronization
import Testing

/// Downloading maps through a fetcher: discovery, redirects, origins, the cache of maps and of
/// failures, and one download shared by concurrent callers.
@Suite struct RemoteSourceMapStoreTests {
    /// A fetcher serving files from a table, recording each URL asked; a file may be held back
    /// until `release()`.
    final class TableFetcher: SourceMapFetcher {
        let files: [String: FetchedResource]
        let held: Set<String>
        let requests = Mutex<[String]>([])
        private let released = Atomic<Bool>(false)

        init(_ files: [String: FetchedResource], held: Set<String> = []) {
            self.files = files
            self.held = held
        }

        func release() { released.store(true, ordering: .releasing) }

        func fetch(_ url: String, maxBytes: Int, deadline: ContinuousClock.Instant) async throws(SourceMapFetchError) -> FetchedResource {
            requests.withLock { $0.append(url) }
            if held.contains(url) {
                // Bounded: a test that never releases fails rather than hangs.
                for _ in 0..<2000 where !released.load(ordering: .acquiring) {
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
            guard let file = files[url] else { throw .status(404) }
            return file
        }

        var asked: [String] { requests.withLock { $0 } }
    }

    /// A clock the test moves.
    final class TestClock: Sendable {
        let start = ContinuousClock.now
        private let offset = Mutex<Duration>(.zero)
        func advance(by duration: Duration) { offset.withLock { $0 += duration } }
        var now: ContinuousClock.Instant { start + offset.withLock { $0 } }
    }

    static let script = "http://h.example/static/foo.js"

    private static func content(_ text: String) -> FetchedResource { .content(Array(text.utf8)) }

    private static func fooFiles() throws -> [String: FetchedResource] {
        [script: .content(try Fixtures.fooScript()), "http://h.example/static/foo.js.map": .content(try Fixtures.fooMap())]
    }

    private static func store(
        _ fetcher: TableFetcher, origins: [String] = ["http://h.example"], capacity: Int = 16, clock: TestClock = TestClock()
    ) throws -> RemoteSourceMapStore {
        RemoteSourceMapStore(
            downloader: SourceMapDownloader(fetcher: fetcher, origins: try DownloadOrigins(origins), timeout: .seconds(10)),
            capacity: capacity, failureRetention: .seconds(60), now: { clock.now })
    }

    @Test func downloadsTheScriptThenItsMapAndCachesTheMap() async throws {
        let fetcher = TableFetcher(try Self.fooFiles())
        let store = try Self.store(fetcher)
        #expect(store.sourceMap(forScript: Self.script, release: "") == nil)
        #expect(store.needsDownload(Self.script))
        #expect(await store.download([Self.script, Self.script]).isEmpty)
        #expect(!store.needsDownload(Self.script))
        let map = try #require(store.sourceMap(forScript: Self.script, release: "any"))
        let position = try #require(map.originalPosition(line: 1, column: 56))
        #expect(position == OriginalPosition(source: "http://h.example/static/src/checkout.js", name: "applyCoupon", line: 5, column: 0))
        #expect(await store.download([Self.script]).isEmpty)
        #expect(fetcher.asked == [Self.script, "http://h.example/static/foo.js.map"])
        #expect(store.count == 1)
    }

    @Test func readsAnInlineDataURLMap() async throws {
        let map = #"{"version":3,"sources":["src/a.js"],"names":["f"],"mappings":"AAAAA"}"#
        let script = "f();\n//# sourceMappingURL=data:application/json;base64," + Self.base64(Array(map.utf8)) + "\n"
        let fetcher = TableFetcher([Self.script: Self.content(script)])
        let store = try Self.store(fetcher)
        #expect(await store.download([Self.script]).isEmpty)
        let position = try #require(store.sourceMap(forScript: Self.script, release: "")?.originalPosition(line: 1, column: 0))
        #expect(position == OriginalPosition(source: "http://h.example/static/src/a.js", name: "f", line: 1, column: 0))
        #expect(fetcher.asked == [Self.script])
    }

    @Test func followsRedirectsWithinAllowedOriginsOnly() async throws {
        var files = try Self.fooFiles()
        files["http://h.example/old.js"] = .redirect(location: "/static/foo.js")
        files["http://h.example/away.js"] = .redirect(location: "http://elsewhere.example/foo.js")
        let fetcher = TableFetcher(files)
        let store = try Self.store(fetcher)
        #expect(await store.download(["http://h.example/old.js"]).isEmpty)
        #expect(store.sourceMap(forScript: "http://h.example/old.js", release: "") != nil)
        #expect(
            await store.download(["http://h.example/away.js"]) == [.notAllowed(url: "http://elsewhere.example/foo.js")])
        #expect(!fetcher.asked.contains { $0.hasPrefix("http://elsewhere.example") })
    }

    @Test func neverAsksADisallowedOrigin() async throws {
        let fetcher = TableFetcher([
            "http://h.example/a.js": Self.content("f();\n//# sourceMappingURL=http://internal.example/a.map\n")
        ])
        let store = try Self.store(fetcher)
        #expect(!store.needsDownload("http://other.example/a.js"))
        #expect(await store.download(["http://other.example/a.js"]).isEmpty)
        #expect(await store.download(["http://h.example/a.js"]) == [.notAllowed(url: "http://internal.example/a.map")])
        #expect(fetcher.asked == ["http://h.example/a.js"])
    }

    @Test func remembersFailuresUntilTheirRetentionPasses() async throws {
        let fetcher = TableFetcher(["http://h.example/plain.js": Self.content("f();\n")])
        let clock = TestClock()
        let store = try Self.store(fetcher, clock: clock)
        #expect(await store.download(["http://h.example/missing.js"]) == [.fetchFailed(url: "http://h.example/missing.js", .status(404))])
        #expect(await store.download(["http://h.example/plain.js"]) == [.noSourceMappingURL(script: "http://h.example/plain.js")])
        #expect(!store.needsDownload("http://h.example/missing.js"))
        #expect(await store.download(["http://h.example/missing.js", "http://h.example/plain.js"]).isEmpty)
        #expect(fetcher.asked.count == 2)
        clock.advance(by: .seconds(59))
        #expect(!store.needsDownload("http://h.example/missing.js"))
        clock.advance(by: .seconds(1))
        #expect(store.needsDownload("http://h.example/missing.js"))
        #expect(await store.download(["http://h.example/missing.js"]).count == 1)
        #expect(fetcher.asked.count == 3)
        #expect(store.count == 2)
    }

    @Test func reportsEachKindOfFailure() async throws {
        let fetcher = TableFetcher([
            "http://h.example/bad-data.js": Self.content("//# sourceMappingURL=data:application/json;base64,%%%"),
            "http://h.example/bad-map.js": Self.content("//# sourceMappingURL=bad.map"),
            "http://h.example/bad.map": Self.content("{}"),
            "http://h.example/loop.js": .redirect(location: "loop.js"),
        ])
        let store = try Self.store(fetcher)
        #expect(await store.download(["http://h.example/bad-data.js"]) == [.invalidDataURL(script: "http://h.example/bad-data.js")])
        let failures = await store.download(["http://h.example/bad-map.js"])
        guard case .invalidMap(let url, _)? = failures.first else {
            Issue.record("\(failures)")
            return
        }
        #expect(url == "http://h.example/bad.map")
        #expect(await store.download(["http://h.example/loop.js"]) == [.tooManyRedirects(url: "http://h.example/loop.js")])
        #expect(fetcher.asked.filter { $0 == "http://h.example/loop.js" }.count == SourceMapDownloader.maximumRedirects + 1)
    }

    @Test func concurrentCallersShareOneDownload() async throws {
        let fetcher = TableFetcher(try Self.fooFiles(), held: [Self.script])
        let store = try Self.store(fetcher)
        let first = Task { await store.download([Self.script]) }
        for _ in 0..<2000 where fetcher.asked.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        #expect(store.needsDownload(Self.script))
        let others = (0..<8).map { _ in Task { await store.download([Self.script]) } }
        for _ in 0..<100 { await Task.yield() }
        fetcher.release()
        #expect(await first.value.isEmpty)
        for other in others { #expect(await other.value.isEmpty) }
        #expect(fetcher.asked == [Self.script, "http://h.example/static/foo.js.map"])
        #expect(store.sourceMap(forScript: Self.script, release: "") != nil)
    }

    @Test func evictsTheLeastRecentlyUsed() async throws {
        let fetcher = TableFetcher(try Self.fooFiles())
        let store = try Self.store(fetcher, capacity: 2)
        _ = await store.download([Self.script])
        _ = await store.download(["http://h.example/a.js"])
        _ = store.sourceMap(forScript: Self.script, release: "")
        _ = await store.download(["http://h.example/b.js"])  // evicts the failure of a.js
        #expect(store.count == 2)
        #expect(!store.needsDownload(Self.script))
        #expect(store.needsDownload("http://h.example/a.js"))
        #expect(!store.needsDownload("http://h.example/b.js"))
    }

    /// Standard Base64 with padding.
    static func base64(_ bytes: [UInt8]) -> String {
        let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var group = 0
            for (offset, byte) in chunk.enumerated() { group |= Int(byte) << (16 - 8 * offset) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? digits[(group >> (18 - 6 * position)) & 0x3F] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
