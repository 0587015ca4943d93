import LokiPushCodec
import Testing

@Suite("LokiLabels: building, quoting, parsing")
struct LokiLabelsTests {
    @Test("building sorts by name bytes, drops empty values, renders Prometheus' form")
    func building() throws {
        let labels = try LokiLabels([
            LokiLabelPair(name: "service_name", value: "shop"), LokiLabelPair(name: "Z", value: "1"),
            LokiLabelPair(name: "app", value: "web"), LokiLabelPair(name: "empty", value: ""),
        ])
        #expect(labels.rendered == #"{Z="1", app="web", service_name="shop"}"#)
        #expect(labels.description == labels.rendered)
        #expect(labels.pairs.map(\.name) == ["Z", "app", "service_name"])
        #expect(labels["app"] == "web")
        #expect(labels["empty"] == nil)
        #expect(Array(labels.canonicalBytes) == Array(labels.rendered.utf8))
        let fromDictionary = try LokiLabels(["service_name": "shop", "app": "web", "Z": "1"])
        #expect(fromDictionary == labels)
        #expect(fromDictionary.hashValue == labels.hashValue)
    }

    @Test("building refuses invalid names, duplicates and empty sets")
    func buildingErrors() {
        #expect(throws: LokiLabelError.invalidName("1a")) { try LokiLabels(["1a": "x"]) }
        #expect(throws: LokiLabelError.invalidName("a-b")) { try LokiLabels(["a-b": "x"]) }
        #expect(throws: LokiLabelError.invalidName("")) { try LokiLabels(["": "x"]) }
        #expect(throws: LokiLabelError.invalidName("é")) { try LokiLabels(["é": "x"]) }
        #expect(throws: LokiLabelError.duplicateName("a", offset: nil)) {
            try LokiLabels([LokiLabelPair(name: "a", value: "1"), LokiLabelPair(name: "a", value: "2")])
        }
        #expect(throws: LokiLabelError.noLabels) { try LokiLabels([LokiLabelPair]()) }
        #expect(throws: LokiLabelError.noLabels) { try LokiLabels(["a": ""]) }
    }

    @Test(
        "values are quoted as Go's strconv.Quote",
        arguments: [
            ("plain", #""plain""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("\u{07}\u{08}\u{0C}\n\r\t\u{0B}", #""\a\b\f\n\r\t\v""#),
            ("\u{00}\u{1F}\u{7F}", #""\x00\x1f\x7f""#),
            ("héllo 日本 🎉", #""héllo 日本 🎉""#),
            ("\u{2028}\u{2029}\u{00AD}\u{00A0}", #""\u2028\u2029\u00ad\u00a0""#),
            ("\u{FEFF}x\u{E000}", #""\ufeffx\ue000""#),
            ("\u{F0000}", #""\U000f0000""#),
            ("'`", #""'`""#),
        ])
    func quoting(value: String, quoted: String) throws {
        let labels = try LokiLabels(["a": value])
        #expect(labels.rendered == "{a=\(quoted)}")
        #expect(try LokiLabels(parsing: labels.rendered) == labels)
        #expect(try LokiLabels(parsing: labels.rendered).pairs == [LokiLabelPair(name: "a", value: value)])
    }

    @Test("parsing accepts whitespace, any order, and gives the canonical form")
    func parsingCanonical() throws {
        let labels = try LokiLabels(parsing: " \t{ b = \"x\" ,\n\ra=\"y\",c=``}\n ")
        #expect(labels.rendered == #"{a="y", b="x"}"#)
        #expect(try LokiLabels(parsing: #"{a="y", b="x"}"#) == labels)
        #expect(try LokiLabels(parsing: #"{__name__="up"}"#).rendered == #"{__name__="up"}"#)
    }

    @Test(
        "parsing decodes every Go escape and raw strings",
        arguments: [
            (#"{a="\a\b\f\n\r\t\v\\\"\'"}"#, "\u{07}\u{08}\u{0C}\n\r\t\u{0B}\\\"'"),
            (#"{a="\x41\x7a\101\172\000"}"#, "AzAz\u{00}"),
            (#"{a="\xc3\xa9\303\251"}"#, "éé"),
            (#"{a="\u00e9\U0001F389\u2028"}"#, "é🎉\u{2028}"),
            ("{a=`raw \\n \"q\" \r\nline`}", "raw \\n \"q\" \nline"),
            (#"{a="日本"}"#, "日本"),
        ])
    func parsingEscapes(text: String, value: String) throws {
        #expect(try LokiLabels(parsing: text).pairs == [LokiLabelPair(name: "a", value: value)])
    }

    @Test(
        "parsing errors carry the byte offset",
        arguments: [
            ("", LokiLabelError.unexpected(.openingBrace, offset: 0)),
            ("  a", .unexpected(.openingBrace, offset: 2)),
            ("{", .unexpected(.name, offset: 1)),
            ("{}", .noLabels),
            (#"{a=""}"#, .noLabels),
            (#"{1a="x"}"#, .unexpected(.name, offset: 1)),
            (#"{a-b="x"}"#, .unexpected(.equals, offset: 2)),
            (#"{a!="x"}"#, .unexpected(.equals, offset: 2)),
            (#"{a=~"x"}"#, .unexpected(.value, offset: 3)),
            (#"{a='x'}"#, .unexpected(.value, offset: 3)),
            (#"{a=x}"#, .unexpected(.value, offset: 3)),
            (#"{a="x" b="y"}"#, .unexpected(.commaOrClosingBrace, offset: 7)),
            (#"{a="x",}"#, .unexpected(.name, offset: 7)),
            (#"{a="x"} x"#, .unexpected(.end, offset: 8)),
            (#"{a="x"}}"#, .unexpected(.end, offset: 7)),
            (#"{a="x"#, .unterminatedString(offset: 3)),
            ("{a=\"x\ny\"}", .unterminatedString(offset: 3)),
            ("{a=`x", .unterminatedString(offset: 3)),
            (#"{a="x\"#, .unterminatedString(offset: 3)),
            (#"{a="\q"}"#, .invalidEscape(offset: 4)),
            (#"{a="x\x4g"}"#, .invalidEscape(offset: 5)),
            (#"{a="\400"}"#, .invalidEscape(offset: 4)),
            (#"{a="\08"}"#, .invalidEscape(offset: 4)),
            (#"{a="\ud800"}"#, .invalidEscape(offset: 4)),
            (#"{a="\U00110000"}"#, .invalidEscape(offset: 4)),
            (#"{a="\xff"}"#, .invalidUTF8(offset: 3)),
            (#"{a="1", b="2", a="3"}"#, .duplicateName("a", offset: 15)),
        ])
    func parsingErrors(text: String, error: LokiLabelError) {
        #expect(throws: error) { try LokiLabels(parsing: text) }
    }

    @Test("parsing bytes that are not UTF-8 reports the first bad byte")
    func parsingInvalidUTF8() throws {
        let bytes: [UInt8] = Array(#"{a=""#.utf8) + [0x61, 0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: LokiLabelError.invalidUTF8(offset: 5)) {
            try bytes.withUnsafeBytes { try LokiLabels(parsing: $0) }
        }
        let valid = Array(#"{b="2",a="1"}"#.utf8)
        #expect(try valid.withUnsafeBytes { try LokiLabels(parsing: $0) }.rendered == #"{a="1", b="2"}"#)
    }
}
