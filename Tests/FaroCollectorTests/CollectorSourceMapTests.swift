import AsyncHTTPClient
import Foundation
import NIOHTTP1
import TestSupport
import Testing

/// Exceptions' stack frames rewritten from source maps in a local directory or downloaded, by the
/// running collector, in the lines it writes; and Alloy's source-map metrics on `/metrics`.
@Suite("faro-collector: source maps")
struct CollectorSourceMapTests {
    @Test("frames of a mapped script point at the original source; others stay as sent")
    func framesResolved() async throws {
        let maps = FileManager.default.temporaryDirectory.appendingPathComponent("maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: maps.appendingPathComponent("v7/static"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: maps) }
        try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js.map").write(to: maps.appendingPathComponent("v7/static/foo.js.map"))
        let configuration = """
            sourcemaps:
              location:
                - { path: "\(maps.path)/{{ .Release }}", minified_path_prefix: "http://shop.example/" }
            """
        let collector = try await CollectorProcess.start(configuration: configuration)
        // Frames at positions from foo.mappings.tsv: (1, 56) is applyCoupon at 5:0, (1, 84) is 7:4 with no name.
        let payload = """
            {"meta":{"app":{"name":"shop","release":"v7"}},"exceptions":[{"type":"Error","value":"coupon expired","timestamp":"2026-01-02T03:04:05Z",
            "stacktrace":{"frames":[
              {"filename":"http://shop.example/static/foo.js","function":"o","lineno":1,"colno":84},
              {"filename":"http://shop.example/static/foo.js","function":"n","lineno":1,"colno":56},
              {"filename":"http://cdn.example/vendor.js","function":"x","lineno":3,"colno":9}]}}]}
            """
        let answer = try await collector.post(body: Array(payload.utf8))
        #expect(answer.status == 202, "\(answer.body)")
        #expect(await collector.stop() == 0)
        let lines = try collector.lokiLines()
        #expect(lines.count == 1)
        let expected =
            #"stacktrace="Error: coupon expired\n  at ? (http://shop.example/static/src/checkout.js:7:4)\n"#
            + #"  at applyCoupon (http://shop.example/static/src/checkout.js:5:0)\n  at x (http://cdn.example/vendor.js:3:9)""#
        #expect(lines.first?.contains(expected) == true, "\(lines.first ?? "no line")")
    }

    @Test("local map reads and cached maps are counted on /metrics by origin, as Alloy counts them")
    func localReadsCounted() async throws {
        let maps = FileManager.default.temporaryDirectory.appendingPathComponent("maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: maps.appendingPathComponent("v7/static"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: maps) }
        try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js.map").write(to: maps.appendingPathComponent("v7/static/foo.js.map"))
        let collector = try await CollectorProcess.start(
            configuration: "sourcemaps: { location: [{ path: \"\(maps.path)/{{ .Release }}\", minified_path_prefix: \"http://shop.example/\" }] }\n")
        let payload = Self.payload([
            ("http://shop.example/static/foo.js", "o", 1, 84), ("http://shop.example/static/foo.js", "n", 1, 56),
            ("http://shop.example/static/missing.js", "m", 1, 1), ("http://shop.example/static/a..b.js", "d", 1, 1),
            ("http://cdn.example/vendor.js", "x", 3, 9),
        ])
        // The second payload finds every map and absence in the cache: nothing is read again.
        for _ in 0..<2 {
            let answer = try await collector.post(body: payload)
            #expect(answer.status == 202, "\(answer.body)")
        }
        let metrics = try await Self.metricLines(of: collector)
        #expect(await collector.stop() == 0)
        let expected = [
            #"faro_receiver_sourcemap_file_reads_total{origin="http://shop.example",status="ok"} 1"#,
            #"faro_receiver_sourcemap_file_reads_total{origin="http://shop.example",status="not_found"} 1"#,
            #"faro_receiver_sourcemap_file_reads_total{origin="http://shop.example",status="invalid_path"} 1"#,
            #"faro_receiver_sourcemap_cache_size{origin="http://shop.example"} 1.0"#,
        ]
        for line in expected { #expect(metrics.contains(line), "\(metrics)") }
        // Only scripts under a location's prefix are looked for; nothing was downloaded.
        #expect(!metrics.contains { $0.contains("cdn.example") || $0.hasPrefix("faro_receiver_sourcemap_downloads_total") }, "\(metrics)")
    }

    @Test("a map unused for the cache ttl is evicted by the sweep, and the cache size falls")
    func idleMapEvicted() async throws {
        let maps = FileManager.default.temporaryDirectory.appendingPathComponent("maps-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: maps.appendingPathComponent("v7/static"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: maps) }
        try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js.map").write(to: maps.appendingPathComponent("v7/static/foo.js.map"))
        let collector = try await CollectorProcess.start(
            configuration: """
                sourcemaps:
                  location: [{ path: "\(maps.path)/{{ .Release }}", minified_path_prefix: "http://shop.example/" }]
                  cache: { ttl: 5s, cleanup_check_interval: 50ms }
                """)
        let answer = try await collector.post(body: Self.payload([("http://shop.example/static/foo.js", "n", 1, 56)]))
        #expect(answer.status == 202, "\(answer.body)")
        let gauge = #"faro_receiver_sourcemap_cache_size{origin="http://shop.example"}"#
        var metrics = try await Self.metricLines(of: collector)
        #expect(metrics.contains(gauge + " 1.0"), "\(metrics)")
        for _ in 0..<300 where !metrics.contains(gauge + " 0.0") {
            try await Task.sleep(for: .milliseconds(50))
            metrics = try await Self.metricLines(of: collector)
        }
        #expect(await collector.stop() == 0)
        #expect(metrics.contains(gauge + " 0.0"), "\(metrics)")
        #expect(metrics.contains(#"faro_receiver_sourcemap_file_reads_total{origin="http://shop.example",status="ok"} 1"#), "\(metrics)")
    }

    /// The lines of the collector's `/metrics` answer.
    private static func metricLines(of collector: CollectorProcess) async throws -> [String] {
        var request = HTTPClientRequest(url: collector.base + "/metrics")
        request.method = .GET
        let answer = try await collector.send(request)
        #expect(answer.status == 200)
        return answer.body.split(separator: "\n").map(String.init)
    }

    /// `foo.js` and `foo.js.map` of the shared vectors, as text.
    private static func vectors() throws -> (script: String, map: String) {
        (
            String(decoding: try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js"), as: UTF8.self),
            String(decoding: try TestEnvironment.sharedFile("vectors/sourcemaps/foo.js.map"), as: UTF8.self)
        )
    }

    /// A loopback server answering each path of `files` with its text (after `delay`, or the path's
    /// own in `delays`), and 404 otherwise.
    private static func fileServer(
        _ files: [String: String], delay: Duration = .zero, delays: [String: Duration] = [:]
    ) async throws -> RecordingHTTPServer {
        try await RecordingHTTPServer { _, request in
            guard let body = files[request.path] else { return HTTPAnswer(status: .notFound) }
            return HTTPAnswer(
                status: .ok, headers: [("Content-Type", "application/javascript")], body: body, delay: delays[request.path] ?? delay)
        }
    }

    /// A payload with one exception whose frames are `(filename, function, line, column)`.
    private static func payload(_ frames: [(String, String, Int, Int)]) -> [UInt8] {
        let frameText = frames.map { #"{"filename":"\#($0.0)","function":"\#($0.1)","lineno":\#($0.2),"colno":\#($0.3)}"# }
        return Array(
            ("""
            {"meta":{"app":{"name":"shop","release":"v7"}},"exceptions":[{"type":"Error","value":"coupon expired",
            "timestamp":"2026-01-02T03:04:05Z","stacktrace":{"frames":[\(frameText.joined(separator: ","))]}}]}
            """).utf8)
    }

    @Test("maps are downloaded from allowed origins, once; other origins are never asked")
    func framesResolvedFromDownloads() async throws {
        let (script, map) = try Self.vectors()
        let server = try await Self.fileServer(["/static/foo.js": script, "/static/foo.js.map": map])
        let elsewhere = try await Self.fileServer(["/vendor.js": script])
        let configuration = """
            sourcemaps:
              download: true
              download_from_origins: ["http://127.0.0.1:\(server.port)"]
              download_timeout: 20s
            """
        let collector = try await CollectorProcess.start(configuration: configuration)
        // Frames at positions from foo.mappings.tsv: (1, 56) is applyCoupon at 5:0, (1, 84) is 7:4 with no name.
        let payload = Self.payload([
            (server.url("/static/foo.js"), "o", 1, 84), (server.url("/static/foo.js"), "n", 1, 56),
            (elsewhere.url("/vendor.js"), "x", 3, 9),
        ])
        for _ in 0..<2 {
            let answer = try await collector.post(body: payload)
            #expect(answer.status == 202, "\(answer.body)")
        }
        let metrics = try await Self.metricLines(of: collector)
        #expect(await collector.stop() == 0)
        await server.close()
        await elsewhere.close()
        // The script and its map, each asked once; the map stays cached.
        let origin = "http://127.0.0.1:\(server.port)"
        #expect(metrics.contains(#"faro_receiver_sourcemap_downloads_total{origin=""# + origin + #"",http_status="200"} 2"#), "\(metrics)")
        #expect(metrics.contains(#"faro_receiver_sourcemap_cache_size{origin=""# + origin + #""} 1.0"#), "\(metrics)")
        #expect(!metrics.contains { $0.contains(":\(elsewhere.port)\"") || $0.hasPrefix("faro_receiver_sourcemap_file_reads_total") })
        let lines = try collector.lokiLines()
        #expect(lines.count == 2)
        let source = server.url("/static/src/checkout.js")
        let expected =
            #"stacktrace="Error: coupon expired\n  at ? ("# + source + #":7:4)\n  at applyCoupon ("# + source + #":5:0)\n"#
            + #"  at x ("# + elsewhere.url("/vendor.js") + #":3:9)""#
        for line in lines { #expect(line.contains(expected), "\(line)") }
        // The second payload found the map in the cache.
        #expect(server.received.map(\.path) == ["/static/foo.js", "/static/foo.js.map"])
        #expect(elsewhere.received.isEmpty)
    }

    @Test("a map inlined in its script as a data URL resolves frames")
    func inlineMapResolved() async throws {
        let (script, map) = try Self.vectors()
        let code = script.split(separator: "\n").filter { !$0.hasPrefix("//# sourceMappingURL=") }.joined(separator: "\n")
        let inline = code + "\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,"
            + Data(map.utf8).base64EncodedString() + "\n"
        let server = try await Self.fileServer(["/static/inline.js": inline])
        let collector = try await CollectorProcess.start(
            configuration: "sourcemaps: { download: true, download_from_origins: [\"*\"], download_timeout: 20s }\n")
        let answer = try await collector.post(body: Self.payload([(server.url("/static/inline.js"), "n", 1, 56)]))
        #expect(answer.status == 202, "\(answer.body)")
        #expect(await collector.stop() == 0)
        await server.close()
        let lines = try collector.lokiLines()
        #expect(lines.count == 1)
        // An inline map stands for the script's URL with `.map`: its sources resolve beside the script.
        let expected = #"stacktrace="Error: coupon expired\n  at applyCoupon ("# + server.url("/static/src/checkout.js") + #":5:0)""#
        #expect(lines.first?.contains(expected) == true, "\(lines.first ?? "no line")")
        #expect(server.received.map(\.path) == ["/static/inline.js"])
    }

    @Test("a server slower than download_timeout leaves frames as sent, and the payload is taken")
    func slowDownloadLeavesFrames() async throws {
        let (script, map) = try Self.vectors()
        let server = try await Self.fileServer(["/static/foo.js": script, "/static/foo.js.map": map], delay: .seconds(60))
        let collector = try await CollectorProcess.start(
            configuration: "sourcemaps: { download: true, download_from_origins: [\"http://127.0.0.1:\(server.port)\"], download_timeout: 300ms }\n")
        let started = ContinuousClock.now
        let answer = try await collector.post(body: Self.payload([(server.url("/static/foo.js"), "n", 1, 56)]))
        #expect(answer.status == 202, "\(answer.body)")
        // Answered at the download timeout, long before the server would have answered.
        #expect(ContinuousClock.now - started < .seconds(30))
        // A request that got no answer is counted with `?`; a failure is not cached.
        let metrics = try await Self.metricLines(of: collector)
        let origin = "http://127.0.0.1:\(server.port)"
        #expect(metrics.contains(#"faro_receiver_sourcemap_downloads_total{origin=""# + origin + #"",http_status="?"} 1"#), "\(metrics)")
        #expect(!metrics.contains { $0.hasPrefix("faro_receiver_sourcemap_cache_size{") && !$0.hasSuffix(" 0.0") }, "\(metrics)")
        #expect(await collector.stop() == 0)
        await server.close()
        let lines = try collector.lokiLines()
        #expect(lines.count == 1)
        let expected = #"stacktrace="Error: coupon expired\n  at n ("# + server.url("/static/foo.js") + #":1:56)""#
        #expect(lines.first?.contains(expected) == true, "\(lines.first ?? "no line")")
        #expect(server.received.map(\.path) == ["/static/foo.js"])
    }

    @Test("a server that sends its head at once and holds back its body is given up at download_timeout too")
    func heldBackBodyLeavesFrames() async throws {
        let (script, _) = try Self.vectors()
        // A 200 head as soon as the request comes, the script and the end only a minute later.
        let server = try await RecordingHTTPServer(headFirst: true) { _, _ in HTTPAnswer(body: script, delay: .seconds(60)) }
        let collector = try await CollectorProcess.start(
            configuration: "sourcemaps: { download: true, download_from_origins: [\"http://127.0.0.1:\(server.port)\"], download_timeout: 300ms }\n")
        let started = ContinuousClock.now
        let answer = try await collector.post(body: Self.payload([(server.url("/static/foo.js"), "n", 1, 56)]))
        #expect(answer.status == 202, "\(answer.body)")
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(await collector.stop() == 0)
        await server.close()
        let lines = try collector.lokiLines()
        #expect(lines.count == 1)
        let expected = #"stacktrace="Error: coupon expired\n  at n ("# + server.url("/static/foo.js") + #":1:56)""#
        #expect(lines.first?.contains(expected) == true, "\(lines.first ?? "no line")")
    }

    @Test("while maps download, pipelined requests wait in order and a closed connection loses nothing")
    func connectionsWhileWaiting() async throws {
        let (script, map) = try Self.vectors()
        let files = ["/static/foo.js": script, "/static/bar.js": script, "/static/foo.js.map": map]
        let server = try await Self.fileServer(files, delays: ["/static/bar.js": .milliseconds(500), "/static/foo.js": .seconds(1)])
        let collector = try await CollectorProcess.start(
            configuration: "sourcemaps: { download: true, download_from_origins: [\"http://127.0.0.1:\(server.port)\"], download_timeout: 20s }\n")
        func post(_ script: String) -> String {
            let body = String(decoding: Self.payload([(server.url(script), "n", 1, 56)]), as: UTF8.self)
            return "POST /collect HTTP/1.1\r\nHost: c\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        }
        // A client that leaves before its answer: the payload is still taken.
        let leaving = try await RawHTTPConnection.connect(port: collector.service.port)
        try await leaving.send(post("/static/bar.js"))
        await leaving.close()
        // Its map is asked for once its script came; the payload is taken right after, long before
        // the next script (a second late) has come.
        for _ in 0..<3000 where !server.received.contains(where: { $0.path == "/static/foo.js.map" }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // Two requests in one write: the second is answered after the first, which waits for its map.
        let pipelined = try await RawHTTPConnection.connect(port: collector.service.port)
        try await pipelined.send(post("/static/foo.js") + "GET /-/healthy HTTP/1.1\r\nHost: c\r\n\r\n")
        let first = try await pipelined.readResponse(timeout: .seconds(30))
        let second = try await pipelined.readResponse(timeout: .seconds(30))
        #expect(first.status == 202, "\(first)")
        #expect(second.status == 200 && second.text.contains("healthy"), "\(second)")
        await pipelined.close()
        #expect(await collector.stop() == 0)
        await server.close()
        let lines = try collector.lokiLines()
        #expect(lines.count == 2)
        let resolved = #"at applyCoupon ("# + server.url("/static/src/checkout.js") + #":5:0)""#
        #expect(lines.allSatisfy { $0.contains(resolved) }, "\(lines)")
    }

    @Test("download settings are checked, with their lines and columns")
    func downloadConfigurationChecked() async throws {
        let missing = try await CollectorProcess.checkConfiguration("sourcemaps: { download: true }\n")
        #expect(missing.status == 1)
        #expect(
            missing.output
                == "collector.yaml:1:25: download needs download_from_origins: a payload names the URLs, so list the origins that may be asked (or \"*\")\n"
        )
        let invalid = """
            sourcemaps:
              download: true
              download_from_origins: ["https://app.example.com", "app.example.com", "https://cdn.example/static"]
              download_timeout: soon
              download_max_size: 0
            """
        let result = try await CollectorProcess.checkConfiguration(invalid)
        #expect(result.status == 1)
        let reason = "is not an origin: expected *, or scheme://host[:port] (http or https, host optionally *.domain) without a path"
        #expect(
            result.output == """
                collector.yaml:3:54: app.example.com \(reason)
                collector.yaml:3:73: https://cdn.example/static \(reason)
                collector.yaml:4:21: expected a duration such as 30s, 500ms or 1m, not soon
                collector.yaml:5:22: download_max_size must be more than 0 bytes

                """)
        let valid = """
            sourcemaps:
              download: true
              download_from_origins: ["https://app.example.com", "https://*.cdn.example", "http://127.0.0.1:8080"]
              download_timeout: 2s
              download_max_size: 5MiB
              cache_capacity: 100
            """
        let accepted = try await CollectorProcess.checkConfiguration(valid)
        #expect(accepted.status == 0, "\(accepted.output)")
        #expect(accepted.output == "collector.yaml: ok\n")
    }

    @Test("Alloy's cache block is read, and its settings checked with their lines and columns")
    func cacheConfigurationChecked() async throws {
        let invalid = """
            sourcemaps:
              cache:
                ttl: 0s
                error_cleanup_interval: soon
                cleanup_check_interval: -1s
                size: 10
            """
        let result = try await CollectorProcess.checkConfiguration(invalid)
        #expect(result.status == 1)
        #expect(
            result.output == """
                collector.yaml:3:10: expected a duration such as 30s, 500ms or 1m, not 0s
                collector.yaml:4:29: expected a duration such as 30s, 500ms or 1m, not soon
                collector.yaml:5:29: expected a duration such as 30s, 500ms or 1m, not -1s
                collector.yaml:6:5: unknown attribute size; expected one of ttl, error_cleanup_interval, cleanup_check_interval

                """)
        let notABlock = try await CollectorProcess.checkConfiguration("sourcemaps: { cache: 1h }\n")
        #expect(notABlock.status == 1)
        #expect(notABlock.output == "collector.yaml:1:22: expected a block of ttl, error_cleanup_interval, cleanup_check_interval\n")
        let valid = """
            sourcemaps:
              cache_capacity: 100
              cache:
                ttl: 24h
                error_cleanup_interval: 1h
                cleanup_check_interval: 30s
            """
        let accepted = try await CollectorProcess.checkConfiguration(valid)
        #expect(accepted.status == 0, "\(accepted.output)")
        #expect(accepted.output == "collector.yaml: ok\n")
    }
}
