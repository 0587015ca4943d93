import FaroModel
import Foundation
import SourceMaps
import Testing

/// Maps read from directories, and exceptions resolved with them, as Alloy reads and resolves them.
@Suite struct LocalSourceMapStoreTests {
    /// A temporary directory, removed by `remove()`.
    struct Directory {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("sourcemaps-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        /// Writes `bytes` at `relativePath`, creating directories.
        func write(_ bytes: [UInt8], at relativePath: String) throws {
            let file = url.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: file)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    @Test func resolvesAnExceptionAsAlloyDoes() throws {
        let directory = try Directory()
        defer { directory.remove() }
        try directory.write(try Fixtures.fooMap(), at: "v1.2/static/js/foo.js.map")
        let store = try LocalSourceMapStore(locations: [
            .init(path: directory.url.path + "/{{ .Release }}", minifiedPathPrefix: "http://localhost:1234/")
        ])
        let resolver = StackFrameResolver(store: CachingSourceMapStore(store))
        let frames = [
            FaroStackFrame(function: "b", module: "bundle", filename: "http://localhost:1234/static/js/foo.js?v=3", lineno: 1, colno: 60),
            FaroStackFrame(function: "a", filename: "http://localhost:1234/static/js/foo.js", lineno: 1, colno: 20),
            FaroStackFrame(function: "x", filename: "http://other.host/static/js/foo.js", lineno: 1, colno: 20),
            FaroStackFrame(function: "y", filename: "http://localhost:1234/static/js/foo.js", lineno: 2, colno: 0),
            FaroStackFrame(function: "z", filename: "http://localhost:1234/static/js/missing.js", lineno: 1, colno: 20),
            FaroStackFrame(function: "w", filename: "", lineno: 1, colno: 20),
        ]
        let exception = FaroException(
            type: "Error", value: "coupon expired: X", stacktrace: FaroStacktrace(frames: frames),
            trace: FaroTraceContext(traceID: "0af7651916cd43dd8448eb211c80319c", spanID: "b7ad6b7169203331"),
            context: ["component": "Checkout"])
        var errors: [SourceMapStoreError] = []
        // The release is cleaned as Alloy cleans it: slashes and backslashes removed, leading dots trimmed.
        let resolved = resolver.resolve(exception, release: "../v1.2") { errors.append($0) }
        #expect(errors == [])
        #expect(resolved.stacktrace?.frames == [
            // The script's URL, query included, is the map's URL that relative sources join.
            FaroStackFrame(function: "applyCoupon", filename: "http://localhost:1234/static/js/src/checkout.js?v=3", lineno: 5, colno: 0),
            FaroStackFrame(function: "?", filename: "http://localhost:1234/static/js/src/checkout.js", lineno: 2, colno: 2),
            frames[2], frames[3], frames[4], frames[5],
        ])
        var expected = exception
        expected.stacktrace = resolved.stacktrace
        #expect(resolved == expected)
        // Without a stack trace, the exception is returned as it is.
        let bare = FaroException(type: "Error", value: "v")
        #expect(resolver.resolve(bare, release: "v1.2") == bare)
    }

    @Test func searchesLocationsInOrder() throws {
        let directory = try Directory()
        defer { directory.remove() }
        try directory.write(try Fixtures.fooMap(), at: "second/foo.js.map")
        let store = try LocalSourceMapStore(locations: [
            .init(path: "https://maps.example/{{ .Release }}", minifiedPathPrefix: "http://h/"),
            .init(path: directory.url.path + "/first", minifiedPathPrefix: "http://h/"),
            .init(path: directory.url.path + "/second", minifiedPathPrefix: "http://h/"),
        ])
        #expect(try store.sourceMap(forScript: "http://h/./a/../foo.js", release: "1") == nil)
        let map = try store.sourceMap(forScript: "http://h/foo.js", release: "1")
        #expect(map?.sources == ["http://h/src/checkout.js"])
        #expect(try store.sourceMap(forScript: "http://h/", release: "1") == nil)
        #expect(try store.sourceMap(forScript: "http://elsewhere/foo.js", release: "1") == nil)
    }

    @Test func buildsFilePathsAsAlloyDoes() throws {
        let directory = try Directory()
        defer { directory.remove() }
        // `.` and `..` elements and empty ones are dropped (`..` does not go up), the query cut off.
        try directory.write(try Fixtures.fooMap(), at: "r/a/foo.js.map")
        let store = try LocalSourceMapStore(locations: [
            .init(path: directory.url.path + "/{{.Release}}", minifiedPathPrefix: "http://h/")
        ])
        #expect(try store.sourceMap(forScript: "http://h/./a//../foo.js?x=/y", release: "r")?.file == "foo.js")
        #expect(try store.sourceMap(forScript: "http://h/a/./foo.js?x=/y", release: "r")?.file == "foo.js")
        #expect(try store.sourceMap(forScript: "http://h//a/foo.js", release: "/r") != nil)
    }

    @Test func refusesPathsWithDotDot() throws {
        let store = try LocalSourceMapStore(locations: [.init(path: "/srv/maps", minifiedPathPrefix: "http://h/")])
        #expect(throws: SourceMapStoreError.invalidPath("/srv/maps/a..b.js.map")) {
            try store.sourceMap(forScript: "http://h/a..b.js", release: "")
        }
        let frame = FaroStackFrame(function: "f", filename: "http://h/a..b.js", lineno: 1, colno: 1)
        var errors: [SourceMapStoreError] = []
        let exception = FaroException(stacktrace: FaroStacktrace(frames: [frame]))
        let resolved = StackFrameResolver(store: store).resolve(exception, release: "") { errors.append($0) }
        #expect(resolved == exception)
        #expect(errors == [.invalidPath("/srv/maps/a..b.js.map")])
    }

    @Test func reportsMapsThatDoNotParseOrRead() throws {
        let directory = try Directory()
        defer { directory.remove() }
        try directory.write(Array(#"{"version":4}"#.utf8), at: "bad.js.map")
        try directory.write(Array(#"{"version":3}"#.utf8), at: "dir.js.map/inside")
        let store = try LocalSourceMapStore(
            locations: [.init(path: directory.url.path, minifiedPathPrefix: "http://h/")], maxBytes: 500)
        #expect(throws: SourceMapStoreError.invalidMap(url: "http://h/bad.js", .unsupportedVersion(4, offset: 11))) {
            try store.sourceMap(forScript: "http://h/bad.js", release: "")
        }
        // A directory exists, as Go's `os.Stat` sees it, and fails to read.
        #expect(throws: SourceMapStoreError.readFailed(path: directory.url.path + "/dir.js.map", errno: EISDIR)) {
            try store.sourceMap(forScript: "http://h/dir.js", release: "")
        }
        try directory.write(try Fixtures.fooMap(), at: "big.js.map")
        #expect(throws: SourceMapStoreError.invalidMap(url: "http://h/big.js", .tooLarge(limit: 500))) {
            try store.sourceMap(forScript: "http://h/big.js", release: "")
        }
    }

    @Test(arguments: [
        ("/maps/{{ .Release }}/js", "/maps/v2/js"),
        ("/maps/{{.Release}}", "/maps/v2"),
        ("/maps/ {{- .Release -}} /x", "/maps/v2/x"),
        ("/maps/{{  .Release\t}}-{{ .Release }}", "/maps/v2-v2"),
        ("/maps/}}", "/maps/}}"),
    ])
    func templates(path: String, rendered: String) throws {
        let directory = try Directory()
        defer { directory.remove() }
        try directory.write(try Fixtures.fooMap(), at: String(rendered.dropFirst()) + "/foo.js.map")
        let location = directory.url.path + path
        let store = try LocalSourceMapStore(locations: [.init(path: location, minifiedPathPrefix: "http://h/")])
        #expect(try store.sourceMap(forScript: "http://h/foo.js", release: "v2") != nil)
    }

    @Test(arguments: [("/m/{{ .Version }}", 3), ("/m/{{ .Release", 3), ("/m/{{-.Release}}", 3), ("{{/* c */}}", 0)])
    func unsupportedTemplates(path: String, offset: Int) {
        #expect(throws: SourceMapLocationError.unsupportedTemplate(path: path, offset: offset)) {
            try LocalSourceMapStore(locations: [.init(path: path, minifiedPathPrefix: "")])
        }
    }
}
