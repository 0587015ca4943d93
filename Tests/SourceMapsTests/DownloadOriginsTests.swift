import SourceMaps
import Testing

/// Which URLs `download_from_origins` allows, and which entries it accepts.
@Suite struct DownloadOriginsTests {
    @Test func anyOriginWithAStar() throws {
        let origins = try DownloadOrigins(["*"])
        #expect(origins.allows("http://anything.example/a.js"))
        #expect(origins.allows("https://127.0.0.1:8443/a.js"))
        #expect(!origins.allows("ftp://anything.example/a.js"))
        #expect(!origins.allows("file:///etc/passwd"))
        #expect(!origins.allows("data:text/javascript,1"))
        #expect(!origins.allows("/relative/a.js"))
    }

    @Test func wholeOriginsWithTheirPorts() throws {
        let origins = try DownloadOrigins(["https://app.example.com", "http://127.0.0.1:8080/"])
        #expect(origins.allows("https://app.example.com/static/a.js"))
        #expect(origins.allows("https://APP.Example.com:443/a.js"))
        #expect(origins.allows("HTTPS://app.example.com?x"))
        #expect(origins.allows("http://127.0.0.1:8080/a.js"))
        #expect(!origins.allows("http://127.0.0.1/a.js"))
        #expect(!origins.allows("http://127.0.0.1:8081/a.js"))
        #expect(!origins.allows("http://app.example.com/a.js"))
        #expect(!origins.allows("https://app.example.com:8443/a.js"))
        #expect(!origins.allows("https://app.example.com.attacker.net/a.js"))
        #expect(!origins.allows("https://attacker.net/https://app.example.com/a.js"))
    }

    @Test func urlsThatParsersReadDifferentlyAreRefused() throws {
        let origins = try DownloadOrigins(["*"])
        #expect(!origins.allows("https://app.example.com@attacker.net/a.js"))
        #expect(!origins.allows("https://attacker.net\\@app.example.com/a.js"))
        #expect(!origins.allows("https://app%2eexample.com/a.js"))
        #expect(!origins.allows("https://app.example.com:99999/a.js"))
        #expect(!origins.allows("https:///a.js"))
        #expect(!origins.allows("https://app.example.com/a\n.js"))
        #expect(origins.allows("http://[::1]:8080/a.js"))
    }

    @Test func subdomainsWithAWildcard() throws {
        let origins = try DownloadOrigins(["https://*.example.com"])
        #expect(origins.allows("https://cdn.example.com/a.js"))
        #expect(origins.allows("https://a.b.example.com/a.js"))
        #expect(!origins.allows("https://example.com/a.js"))
        #expect(!origins.allows("https://cdnexample.com/a.js"))
        #expect(!origins.allows("http://cdn.example.com/a.js"))
    }

    @Test func nothingWhenEmpty() throws {
        let origins = try DownloadOrigins([])
        #expect(origins.isEmpty)
        #expect(!origins.allows("https://app.example.com/a.js"))
    }

    @Test func refusesEntriesThatAreNoOrigins() {
        for entry in ["app.example.com", "https://app.example.com/static", "ftp://app.example.com", "https://a:99999", "**", "",
            "https://user@app.example.com", "https://*", "https://app.*.com"]
        {
            #expect(throws: DownloadOriginError.invalid(entry)) { try DownloadOrigins([entry]) }
        }
    }
}
