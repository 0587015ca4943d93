import SourceMaps
import Testing

/// Resolving a script's `sourceMappingURL` to the map's URL, and decoding inline `data:` maps.
@Suite struct SourceMapReferenceTests {
    private func resolve(_ reference: String, _ base: String = "http://h.example/static/js/foo.js?v=3") throws -> String {
        try SourceMapDownloader.resolve(reference, against: base)
    }

    @Test func resolvesRelativeReferencesAgainstTheScript() throws {
        #expect(try resolve("foo.js.map") == "http://h.example/static/js/foo.js.map")
        #expect(try resolve("./maps/foo.js.map") == "http://h.example/static/js/maps/foo.js.map")
        #expect(try resolve("../maps/foo.js.map") == "http://h.example/static/maps/foo.js.map")
        #expect(try resolve("../../../../x.map") == "http://h.example/x.map")
        #expect(try resolve("/maps/foo.js.map") == "http://h.example/maps/foo.js.map")
        #expect(try resolve("//cdn.example/foo.js.map") == "http://cdn.example/foo.js.map")
        #expect(try resolve("foo.js.map?v=4#top") == "http://h.example/static/js/foo.js.map?v=4#top")
        #expect(try resolve("?v=4") == "http://h.example/static/js/foo.js?v=4")
        #expect(try resolve("a.map", "http://h.example:8080") == "http://h.example:8080/a.map")
    }

    @Test func keepsReferencesThatStartWithHTTP() throws {
        #expect(try resolve("https://maps.example/foo.js.map") == "https://maps.example/foo.js.map")
        #expect(try resolve("http://maps.example/a/../foo.js.map") == "http://maps.example/a/../foo.js.map")
    }

    @Test func refusesReferencesThatAreNoURL() {
        #expect(throws: SourceMapDownloadError.invalidReference(":b.map")) { try resolve(":b.map", "http://h/x.js") }
        #expect(throws: SourceMapDownloadError.invalidReference("%zz.map")) { try resolve("%zz.map") }
    }

    @Test func decodesDataURLs() {
        #expect(DataURL.decode("data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==") == Array(#"{"version":3}"#.utf8))
        #expect(DataURL.decode("data:application/json;charset=utf-8;base64,eyJ2ZXJzaW9uIjozfQ") == Array(#"{"version":3}"#.utf8))
        #expect(DataURL.decode("DATA:;BASE64,YWI=") == Array("ab".utf8))
        #expect(DataURL.decode("data:application/json,%7B%22version%22%3A3%7D") == Array(#"{"version":3}"#.utf8))
        #expect(DataURL.decode("data:,") == [])
    }

    @Test func refusesMalformedDataURLs() {
        #expect(DataURL.decode("data:application/json;base64") == nil)
        #expect(DataURL.decode("data:;base64,a") == nil)
        #expect(DataURL.decode("data:;base64,ab$c") == nil)
        #expect(DataURL.decode("data:,%4") == nil)
        #expect(DataURL.decode("http://h/a.map") == nil)
        #expect(DataURL.decode("dat") == nil)
    }
}
