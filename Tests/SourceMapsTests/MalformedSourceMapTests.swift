import FaroModel
import SourceMaps
import Testing

/// Maps that do not parse, each with its exact error.
@Suite struct MalformedSourceMapTests {
    /// A malformed map: its JSON and its error, given the offsets of `marker` in it where relevant.
    struct Case: CustomTestStringConvertible, Sendable {
        let json: String
        let error: @Sendable (String) -> SourceMapError
        var testDescription: String { json }

        init(_ json: String, _ error: @escaping @Sendable (String) -> SourceMapError) {
            self.json = json
            self.error = error
        }
    }

    static let cases: [Case] = [
        Case("") { _ in .invalidJSON(.unexpectedEndOfInput, offset: 0) },
        Case("{") { _ in .invalidJSON(.unexpectedEndOfInput, offset: 1) },
        Case(#"{"version":3,}"#) { _ in .invalidJSON(.unexpectedCharacter(UInt8(ascii: "}")), offset: 13) },
        Case(#"{"version":3,"sources":["a"],"mappings":"A"} x"#) { _ in .invalidJSON(.trailingData, offset: 45) },
        Case(#"{"sources":["a\x"],"mappings":"A"}"#) { _ in .invalidJSON(.invalidEscape, offset: 14) },
        Case("[]") { _ in .typeMismatch(field: "", offset: 0) },
        Case("null") { _ in .emptyMappings(offset: 0) },
        Case(#"{"version":3,"sources":["a"]}"#) { _ in .emptyMappings(offset: 0) },
        Case(#"{"version":3,"sources":["a"],"mappings":""}"#) { json in .emptyMappings(offset: Fixtures.offset(of: #""""#, in: json)) },
        Case(#"{"version":2,"sources":["a"],"mappings":"A"}"#) { _ in .unsupportedVersion(2, offset: 11) },
        Case(#"{"version":-3,"sources":["a"],"mappings":"A"}"#) { _ in .unsupportedVersion(-3, offset: 11) },
        Case(#"{"version":3.0,"sources":["a"],"mappings":"A"}"#) { _ in .invalidVersion(offset: 11) },
        Case(#"{"version":3e0,"sources":["a"],"mappings":"A"}"#) { _ in .invalidVersion(offset: 11) },
        Case(#"{"version":99999999999999999999,"mappings":"A"}"#) { _ in .invalidVersion(offset: 11) },
        Case(#"{"version":"3","sources":["a"],"mappings":"A"}"#) { _ in .typeMismatch(field: "version", offset: 11) },
        Case(#"{"version":3,"file":1,"mappings":"A"}"#) { _ in .typeMismatch(field: "file", offset: 20) },
        Case(#"{"version":3,"sources":"a.js","mappings":"A"}"#) { _ in .typeMismatch(field: "sources", offset: 23) },
        Case(#"{"version":3,"sources":["a", 1],"mappings":"A"}"#) { _ in .typeMismatch(field: "sources", offset: 29) },
        Case(#"{"version":3,"sourcesContent":[{}],"sources":["a"],"mappings":"A"}"#) { _ in
            .typeMismatch(field: "sourcesContent", offset: 31)
        },
        Case(#"{"version":3,"names":{},"sources":["a"],"mappings":"A"}"#) { _ in .typeMismatch(field: "names", offset: 21) },
        Case(#"{"version":3,"sources":["a"],"mappings":["A"]}"#) { _ in .typeMismatch(field: "mappings", offset: 40) },
        Case(#"{"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{}}]}"#) { _ in .indexMapUnsupported(offset: 24) },
        // The last `sections` member counts; the version is checked first, as go-sourcemap does.
        Case(#"{"version":3,"sections":[],"sections":[{"map":{}}],"mappings":"A"}"#) { _ in .indexMapUnsupported(offset: 38) },
        Case(#"{"version":2,"sections":[{"map":{}}],"mappings":"A"}"#) { _ in .unsupportedVersion(2, offset: 11) },
        Case(#"{"version":3,"sections":{},"mappings":"A"}"#) { _ in .typeMismatch(field: "sections", offset: 24) },
        Case(#"{"version":3,"sourceRoot":":x","sources":["a"],"mappings":"A"}"#) { _ in .invalidSourceRoot(offset: 26) },
        Case(#"{"version":3,"sourceRoot":"http://h/%zz","sources":["a"],"mappings":"A"}"#) { _ in .invalidSourceRoot(offset: 26) },
        Case(#"{"version":3,"sourceRoot":"http://h:port/","sources":["a"],"mappings":"A"}"#) { _ in .invalidSourceRoot(offset: 26) },
        Case(#"{"version":3,"sources":["a"],"mappings":"AA!A"}"#) { _ in .invalidVLQDigit(UInt8(ascii: "!"), offset: 2) },
        Case(#"{"version":3,"sources":["a"],"mappings":"AAAA;AA A"}"#) { _ in .invalidVLQDigit(0x20, offset: 7) },
        // Offsets count in the unescaped mappings: `\u0041` is one byte, `A`.
        Case(#"{"version":3,"sources":["a"],"mappings":"\u0041A=A"}"#) { _ in .invalidVLQDigit(UInt8(ascii: "="), offset: 2) },
        Case(#"{"version":3,"sources":["a"],"mappings":"AAAg"}"#) { _ in .truncatedVLQ(offset: 4) },
        Case(#"{"version":3,"sources":["a"],"mappings":"AAAA,ggggggC"}"#) { _ in .vlqOverflow(offset: 5) },
        Case(#"{"version":3,"sources":[],"mappings":"A"}"#) { _ in .sourceIndexOutOfRange(0, offset: 0) },
        Case(#"{"version":3,"sources":["a"],"mappings":"AAAA;ACAA"}"#) { _ in .sourceIndexOutOfRange(1, offset: 5) },
        // `null` empties a list member, as Go sets a slice to nil.
        Case(#"{"version":3,"sources":["a"],"sources":null,"mappings":"A"}"#) { _ in .sourceIndexOutOfRange(0, offset: 0) },
        Case(#"{"version":2,"version":null,"sources":["a"],"mappings":"A"}"#) { _ in .unsupportedVersion(2, offset: 11) },
    ]

    @Test(arguments: cases)
    func rejects(_ malformed: Case) {
        #expect(throws: malformed.error(malformed.json)) { try Fixtures.parse(malformed.json) }
    }

    @Test func mapURLThatGoCannotParse() {
        let json = Fixtures.map(#""sources":["a.js"],"mappings":"A""#)
        #expect(throws: SourceMapError.invalidMapURL) { try Fixtures.parse(json, url: "http://h/\u{7F}.js") }
        #expect(throws: SourceMapError.invalidMapURL) { try Fixtures.parse(json, url: ":foo.js") }
        // With a sourceRoot, the map's URL is never read.
        #expect(throws: Never.self) { try Fixtures.parse(Fixtures.map(#""sourceRoot":"/s","sources":["a.js"],"mappings":"A""#), url: ":x") }
    }

    @Test func sizeLimit() throws {
        let json = Array(Fixtures.map(#""sources":["a.js"],"mappings":"A""#).utf8)
        #expect(throws: SourceMapError.tooLarge(limit: json.count - 1)) { try SourceMap(json: json, maxBytes: json.count - 1) }
        #expect(try SourceMap(json: json, maxBytes: json.count).mappings.count == 1)
    }

    @Test func errorsSayWhere() {
        #expect(SourceMapError.invalidVLQDigit(UInt8(ascii: "!"), offset: 2).description == "mappings offset 2: invalid VLQ digit '!'")
        #expect(SourceMapError.invalidVLQDigit(0xC3, offset: 0).offset == 0)
        #expect(SourceMapError.tooLarge(limit: 1).offset == nil)
        #expect(SourceMapError.unsupportedVersion(2, offset: 11).description == "offset 11: version 2, only 3 is supported")
    }
}
