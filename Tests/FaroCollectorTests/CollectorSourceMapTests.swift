import Foundation
import TestSupport
import Testing

/// Exceptions' stack frames rewritten from source maps in a local directory, by the running
/// collector, in the lines it writes.
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

    @Test("download is refused in the configuration, with the reason")
    func downloadRefused() async throws {
        let result = try await CollectorProcess.checkConfiguration("sourcemaps: { download: true }\n")
        #expect(result.status == 1)
        #expect(
            result.output
                == "collector.yaml:1:25: downloading source maps is not supported: a payload names the URLs; list local directories in location\n")
    }
}
