import SourceMaps
import Testing

/// `sources` resolved against `sourceRoot` or the map's URL, as go-sourcemap's `absSource` does.
@Suite struct SourceResolutionTests {
    @Test(arguments: [
        // No sourceRoot: relative sources join the directory of an absolute map URL, keeping its query and fragment.
        ("", "http://localhost:1234/foo.js", "src/checkout.js", "http://localhost:1234/src/checkout.js"),
        ("", "http://localhost:1234/static/js/foo.js?v=1#x", "../src/a.ts", "http://localhost:1234/static/src/a.ts?v=1#x"),
        ("", "http://host", "a.ts", "http://host/a.ts"),
        ("", "http://h/a%20b/x.js", "s.ts", "http://h/a%20b/s.ts"),
        ("", "http://h/x.js", "my file(1).ts", "http://h/my%20file%281%29.ts"),
        ("", "http://h/x.js", "%zz.ts", "http://h/%25zz.ts"),
        ("", "http://h/x.js", "../../../../a.ts", "http://h/a.ts"),
        ("", "http://h/a/b/c.js", "./x/../y/.//z.ts", "http://h/a/b/y/z.ts"),
        ("", "http://h/a/b/c.js", "x/../../..", "http://h/"),
        ("", "http://h/x.js", "src/ü #1?.ts", "http://h/src/%C3%BC%20%231%3F.ts"),
        ("", "HTTP://H/x.js?q", "a.ts", "http://H/a.ts?q"),
        ("", "https://user:pw@h:8443/app/x.js", "a.ts", "https://user:pw@h:8443/app/a.ts"),
        ("", "file:///srv/x.js", "a.ts", "file:///srv/a.ts"),
        // Absolute sources stay as they are.
        ("", "http://h/x.js", "webpack:///./src/a.ts", "webpack:///./src/a.ts"),
        ("", "http://h/x.js", "/__parcel_source_root/demo/src/actions.ts", "/__parcel_source_root/demo/src/actions.ts"),
        ("https://cdn/src", "http://h/x.js", "webpack://app/a.ts", "webpack://app/a.ts"),
        // A relative map URL, or none, leaves relative sources alone.
        ("", "foo.js", "src/a.ts", "src/a.ts"),
        ("", "", "./src/a.ts", "./src/a.ts"),
        // An absolute sourceRoot is joined whole (no directory taken off), the map URL unused.
        ("https://cdn.example/src/", "http://h/x.js", "a.ts", "https://cdn.example/src/a.ts"),
        ("https://cdn.example/src", "http://h/x.js", "./a.ts", "https://cdn.example/src/a.ts"),
        // A relative sourceRoot is path-joined and cleaned.
        ("/src", "http://h/x.js", "a.ts", "/src/a.ts"),
        ("./lib/", "", "./a.ts", "lib/a.ts"),
        ("lib", "", "../../a.ts", "../a.ts"),
    ])
    func resolves(sourceRoot: String, url: String, source: String, expected: String) throws {
        let json = Fixtures.map(#""sourceRoot":"\#(sourceRoot)","sources":["\#(source)"],"mappings":"AAAA""#)
        let map = try Fixtures.parse(json, url: url)
        #expect(map.sources == [expected])
        #expect(map.sourceRoot == sourceRoot)
        #expect(map.originalPosition(line: 1, column: 0)?.source == expected)
    }
}
