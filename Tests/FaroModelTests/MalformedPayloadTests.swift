import TestSupport
import Testing

@testable import FaroModel

/// Malformed payloads, each with the exact error: reason, byte offset and JSON path.
@Suite struct MalformedPayloadTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: [UInt8]
        let reason: FaroDecodingError.Reason
        let offset: Int
        let path: String
        var limits = FaroDecodingLimits()
        var testDescription: String { name }

        init(_ name: String, _ input: [UInt8], _ reason: FaroDecodingError.Reason, at offset: Int, _ path: String, limits: FaroDecodingLimits = FaroDecodingLimits()) {
            self.name = name
            self.input = input
            self.reason = reason
            self.offset = offset
            self.path = path
            self.limits = limits
        }

        /// A case whose offset is that of the first occurrence of `marker` in the input (plus `adjust`).
        init(_ name: String, _ json: String, _ reason: FaroDecodingError.Reason, atMarker marker: String, plus adjust: Int = 0, _ path: String, limits: FaroDecodingLimits = FaroDecodingLimits()) {
            let bytes = Array(json.utf8)
            let needle = Array(marker.utf8)
            let index = (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }!
            self.init(name, bytes, reason, at: index + adjust, path, limits: limits)
        }
    }

    static func message(_ bytes: [UInt8]) -> [UInt8] {
        Array(#"{"logs":[{"message":""#.utf8) + bytes + Array(#""}]}"#.utf8)
    }
    /// Offset of the message's first content byte in `message(_:)`.
    static let messageStart = #"{"logs":[{"message":""#.utf8.count

    static let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)

    static let cases: [Case] = [
        Case("empty body", [], .unexpectedEndOfInput, at: 0, "$"),
        Case("whitespace only", Array(" \n\t".utf8), .unexpectedEndOfInput, at: 3, "$"),
        Case("array at top level", Array("[]".utf8), .typeMismatch(expected: .object, found: .array), at: 0, "$"),
        Case("string at top level", Array(#""x""#.utf8), .typeMismatch(expected: .object, found: .string), at: 0, "$"),
        Case("number at top level", Array(" 1".utf8), .typeMismatch(expected: .object, found: .number), at: 1, "$"),
        Case("bool at top level", Array("true".utf8), .typeMismatch(expected: .object, found: .bool), at: 0, "$"),
        Case("garbage at top level", Array("hello".utf8), .unexpectedCharacter(UInt8(ascii: "h")), at: 0, "$"),
        Case("trailing data", Array("{} x".utf8), .trailingData, at: 3, "$"),
        Case("two objects", Array("{}{}".utf8), .trailingData, at: 2, "$"),
        Case("trailing comma in object", #"{"logs":[],}"#, .unexpectedCharacter(UInt8(ascii: "}")), atMarker: ",}", plus: 1, "$"),
        Case("trailing comma in array", #"{"logs":[{},]}"#, .unexpectedCharacter(UInt8(ascii: "]")), atMarker: ",]", plus: 1, "$.logs[1]"),
        Case("missing colon", #"{"logs" []}"#, .unexpectedCharacter(UInt8(ascii: "[")), atMarker: "[", "$"),
        Case("unquoted key", Array(#"{logs:[]}"#.utf8), .unexpectedCharacter(UInt8(ascii: "l")), at: 1, "$"),
        Case("single quotes", Array(#"{'logs':[]}"#.utf8), .unexpectedCharacter(UInt8(ascii: "'")), at: 1, "$"),

        // Invalid UTF-8, at the offset of the first bad byte.
        Case("overlong 2-byte", message([0xC0, 0xAF]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("overlong 3-byte", message([0xE0, 0x80, 0xAF]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("overlong 4-byte", message([0xF0, 0x80, 0x80, 0xAF]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("UTF-8 surrogate", message([0x61, 0xED, 0xA0, 0x80]), .invalidUTF8, at: messageStart + 1, "$.logs[0].message"),
        Case("truncated 3-byte sequence", message([0xE2, 0x82]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("truncated 4-byte sequence", message([0xF0, 0x9F, 0x98]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("lone continuation byte", message([0x80]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("beyond U+10FFFF", message([0xF4, 0x90, 0x80, 0x80]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("byte 0xFF", message([0xFF]), .invalidUTF8, at: messageStart, "$.logs[0].message"),
        Case("invalid UTF-8 in a key", Array(#"{"a"#.utf8) + [0xFE] + Array(#"":1}"#.utf8), .invalidUTF8, at: 3, "$"),
        Case("invalid UTF-8 in skipped value", Array(#"{"x":[""#.utf8) + [0xC1, 0x81] + Array(#""]}"#.utf8), .invalidUTF8, at: 7, "$.x"),

        // Escapes.
        Case("lone high surrogate", message(Array(#"\ud800"#.utf8)), .loneSurrogate, at: messageStart, "$.logs[0].message"),
        Case("lone low surrogate", message(Array(#"ab\udc00"#.utf8)), .loneSurrogate, at: messageStart + 2, "$.logs[0].message"),
        Case("high surrogate then letter", message(Array(#"\ud83dx"#.utf8)), .loneSurrogate, at: messageStart, "$.logs[0].message"),
        Case("two high surrogates", message(Array(#"\ud83d\ud83d"#.utf8)), .loneSurrogate, at: messageStart, "$.logs[0].message"),
        Case("unknown escape", message(Array(#"\x41"#.utf8)), .invalidEscape, at: messageStart, "$.logs[0].message"),
        Case("short unicode escape", message(Array(#"\u12G4"#.utf8)), .invalidEscape, at: messageStart, "$.logs[0].message"),
        Case("raw control character", message([0x01]), .controlCharacterInString, at: messageStart, "$.logs[0].message"),
        Case("raw newline", message([0x0A]), .controlCharacterInString, at: messageStart, "$.logs[0].message"),

        // Numbers.
        Case("NaN", #"{"measurements":[{"values":{"a":NaN}}]}"#, .unexpectedCharacter(UInt8(ascii: "N")), atMarker: "NaN", "$.measurements[0].values.a"),
        Case("Infinity", #"{"measurements":[{"values":{"a":-Infinity}}]}"#, .unexpectedCharacter(UInt8(ascii: "I")), atMarker: "Infinity", "$.measurements[0].values.a"),
        Case("float overflow", #"{"measurements":[{"values":{"lcp":1e400}}]}"#, .numberOutOfRange, atMarker: "1e400", "$.measurements[0].values.lcp"),
        Case("negative float overflow", #"{"measurements":[{"values":{"lcp":-2e308}}]}"#, .numberOutOfRange, atMarker: "-2e308", "$.measurements[0].values.lcp"),
        Case("integer overflow", #"{"exceptions":[{"stacktrace":{"frames":[{"lineno":9223372036854775808}]}}]}"#, .numberOutOfRange, atMarker: "9223", "$.exceptions[0].stacktrace.frames[0].lineno"),
        Case("integer with fraction", #"{"exceptions":[{"stacktrace":{"frames":[{"colno":1.5}]}}]}"#, .numberOutOfRange, atMarker: "1.5", "$.exceptions[0].stacktrace.frames[0].colno"),
        Case("integer with exponent", #"{"exceptions":[{"stacktrace":{"frames":[{},{"colno":1e2}]}}]}"#, .numberOutOfRange, atMarker: "1e2", "$.exceptions[0].stacktrace.frames[1].colno"),
        Case("leading zero", #"{"x":01}"#, .unexpectedCharacter(UInt8(ascii: "1")), atMarker: "1}", "$"),
        Case("leading plus", #"{"x":+1}"#, .unexpectedCharacter(UInt8(ascii: "+")), atMarker: "+", "$.x"),
        Case("bare fraction", #"{"x":.5}"#, .unexpectedCharacter(UInt8(ascii: ".")), atMarker: ".", "$.x"),
        Case("missing fraction digits", #"{"x":1.}"#, .unexpectedCharacter(UInt8(ascii: "}")), atMarker: "}", "$.x"),
        Case("missing exponent digits", #"{"x":1e+}"#, .unexpectedCharacter(UInt8(ascii: "}")), atMarker: "}", "$.x"),
        Case("hex number", #"{"x":0x10}"#, .unexpectedCharacter(UInt8(ascii: "x")), atMarker: "x1", "$"),

        // Wrong types, one per kind of field.
        Case("logs not an array", #"{"logs":{}}"#, .typeMismatch(expected: .array, found: .object), atMarker: "{}", "$.logs"),
        Case("log not an object", #"{"logs":["x"]}"#, .typeMismatch(expected: .object, found: .string), atMarker: "\"x\"", "$.logs[0]"),
        Case("message a number", #"{"logs":[{"message":5}]}"#, .typeMismatch(expected: .string, found: .number), atMarker: "5", "$.logs[0].message"),
        Case("level a bool", #"{"logs":[{"level":true}]}"#, .typeMismatch(expected: .string, found: .bool), atMarker: "true", "$.logs[0].level"),
        Case("context an array", #"{"logs":[{"context":[]}]}"#, .typeMismatch(expected: .object, found: .array), atMarker: "[]", "$.logs[0].context"),
        Case("context value a number", #"{"logs":[{"context":{"a":1}}]}"#, .typeMismatch(expected: .string, found: .number), atMarker: "1", "$.logs[0].context.a"),
        Case("timestamp a number", #"{"events":[{"timestamp":1700000000}]}"#, .typeMismatch(expected: .string, found: .number), atMarker: "17", "$.events[0].timestamp"),
        Case("timestamp not RFC 3339", #"{"events":[{"timestamp":"yesterday"}]}"#, .invalidTimestamp, atMarker: "\"yesterday", "$.events[0].timestamp"),
        Case("timestamp with escape", #"{"events":[{"timestamp":"2021-09-30T10:46:17\u005a"}]}"#, .invalidTimestamp, atMarker: "\"2021", "$.events[0].timestamp"),
        Case("trace a string", #"{"events":[{"trace":"abc"}]}"#, .typeMismatch(expected: .object, found: .string), atMarker: "\"abc", "$.events[0].trace"),
        Case("trace id a number", #"{"events":[{"trace":{"trace_id":1}}]}"#, .typeMismatch(expected: .string, found: .number), atMarker: "1}", "$.events[0].trace.trace_id"),
        Case("stacktrace an array", #"{"exceptions":[{"stacktrace":[]}]}"#, .typeMismatch(expected: .object, found: .array), atMarker: "[]", "$.exceptions[0].stacktrace"),
        Case("frames an object", #"{"exceptions":[{"stacktrace":{"frames":{}}}]}"#, .typeMismatch(expected: .array, found: .object), atMarker: "{}}", "$.exceptions[0].stacktrace.frames"),
        Case("lineno a string", #"{"exceptions":[{"stacktrace":{"frames":[{"lineno":"1"}]}}]}"#, .typeMismatch(expected: .number, found: .string), atMarker: "\"1\"", "$.exceptions[0].stacktrace.frames[0].lineno"),
        Case("values a string", #"{"measurements":[{"values":"1"}]}"#, .typeMismatch(expected: .object, found: .string), atMarker: "\"1\"", "$.measurements[0].values"),
        Case("value a string", #"{"measurements":[{"values":{"lcp":"1"}}]}"#, .typeMismatch(expected: .number, found: .string), atMarker: "\"1\"", "$.measurements[0].values.lcp"),
        Case("meta an array", #"{"meta":[]}"#, .typeMismatch(expected: .object, found: .array), atMarker: "[]", "$.meta"),
        Case("mobile a string", #"{"meta":{"browser":{"mobile":"false"}}}"#, .typeMismatch(expected: .bool, found: .string), atMarker: "\"false", "$.meta.browser.mobile"),
        Case("integrations an object", #"{"meta":{"sdk":{"integrations":{}}}}"#, .typeMismatch(expected: .array, found: .object), atMarker: "{}", "$.meta.sdk.integrations"),
        Case("user id a number", #"{"meta":{"user":{"id":7}}}"#, .typeMismatch(expected: .string, found: .number), atMarker: "7", "$.meta.user.id"),
        Case("attributes an array", #"{"meta":{"session":{"attributes":[]}}}"#, .typeMismatch(expected: .object, found: .array), atMarker: "[]", "$.meta.session.attributes"),
        Case("traces an array", #"{"traces":[]}"#, .typeMismatch(expected: .object, found: .array), atMarker: "[]", "$.traces"),
        Case("traces malformed", #"{"traces":{"resourceSpans":[}}"#, .unexpectedCharacter(UInt8(ascii: "}")), atMarker: "}}", "$.traces"),

        // Limits.
        Case("nesting 100,000 deep in a skipped member", Array(#"{"x":"#.utf8) + Array(deep.utf8) + Array("}".utf8), .nestingTooDeep(limit: 10_000), at: 5 + 9_999, "$.x"),
        Case("nesting 100,000 deep in traces", Array(#"{"traces":{"a":"#.utf8) + Array(deep.utf8) + Array("}}".utf8), .nestingTooDeep(limit: 10_000), at: 15 + 9_998, "$.traces"),
        Case("nesting past a lower limit", #"{"logs":[{"context":{}}]}"#, .nestingTooDeep(limit: 3), atMarker: "{}", "$.logs[0].context", limits: FaroDecodingLimits(maxNestingDepth: 3)),
        Case("payload over the size limit", Array(repeating: UInt8(ascii: " "), count: 101), .payloadTooLarge(limit: 100), at: 100, "$", limits: FaroDecodingLimits(maxPayloadBytes: 100)),
        Case("a 1 MiB string over the string limit", message(Array(repeating: UInt8(ascii: "a"), count: 1 << 20)), .stringTooLong(limit: 65_536), at: messageStart - 1, "$.logs[0].message", limits: FaroDecodingLimits(maxStringBytes: 65_536)),
        Case("a long key over the string limit", Array(#"{"#.utf8) + Array(("\"" + String(repeating: "k", count: 70_000) + "\":1}").utf8), .stringTooLong(limit: 65_536), at: 1, "$", limits: FaroDecodingLimits(maxStringBytes: 65_536)),
        Case("100,000 items over the item limit", Array(("{\"events\":[" + Array(repeating: "{}", count: 100_000).joined(separator: ",") + "]}").utf8), .tooManyItems(limit: 10_000), at: 11 + 10_000 * 3, "$.events", limits: FaroDecodingLimits(maxItems: 10_000)),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: Case) {
        let decoder = FaroPayloadDecoder(limits: testCase.limits)
        let input = ContiguousArray(testCase.input)
        #expect(throws: FaroDecodingError.self) { try decoder.decode(input) }
        do {
            _ = try decoder.decode(input)
        } catch {
            #expect(error.reason == testCase.reason)
            #expect(error.offset == testCase.offset)
            #expect(error.pathDescription == testCase.path)
        }
    }

    @Test func everyTruncationOfPayloadJSONFails() async throws {
        let bytes = Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))
        let end = bytes.lastIndex(of: UInt8(ascii: "}"))!
        let decoder = FaroPayloadDecoder()
        for length in 0...end {
            // A long loop: it lets the concurrency pool's two threads serve timing-sensitive tests too.
            await Task.yield()
            let prefix = ContiguousArray(bytes[..<length])
            do {
                _ = try decoder.decode(prefix)
                Issue.record("a prefix of \(length) bytes decoded")
            } catch {
                #expect(error.reason == .unexpectedEndOfInput, "prefix of \(length) bytes")
                #expect(error.offset == length, "prefix of \(length) bytes")
            }
        }
        #expect(try decoder.decode(ContiguousArray(bytes[...end])).itemCount == 6)
    }

    @Test func largeInputsWithinDefaultLimitsDecode() throws {
        let decoder = FaroPayloadDecoder()
        let long = try decoder.decode(ContiguousArray(MalformedPayloadTests.message(Array(repeating: UInt8(ascii: "a"), count: 1 << 20))))
        #expect(long.logs[0].message.utf8.count == 1 << 20)
        let items = "{\"events\":[" + Array(repeating: "{\"name\":\"e\"}", count: 100_000).joined(separator: ",") + "]}"
        #expect(try decoder.decode(items).events.count == 100_000)
        let keys = (0..<100_000).reversed().map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        let context = try decoder.decode("{\"logs\":[{\"context\":{\(keys)}}]}").logs[0].context
        #expect(context.count == 100_000 && context.first?.key == "k0" && context["k99999"] == "v")
    }

    /// A map member repeated 30,000 times, a new key each time in descending order: the members
    /// merge in linear time (each repeat sorted the whole map before: quadratic, 33 s a megabyte),
    /// and the last of a repeated key wins, as in Go.
    @Test(.timeLimit(.minutes(1))) func repeatedMapMembersMergeInLinearTime() throws {
        let repeats = (0..<30_000).reversed().map { "\"context\":{\"k\($0)\":\"v\"}" }.joined(separator: ",")
        let started = ContinuousClock.now
        let log = try FaroPayloadDecoder().decode(
            "{\"logs\":[{\"context\":{\"k5\":\"first\"},\(repeats),\"message\":\"m\"}]}").logs[0]
        // A bound of complexity, not of speed: about a second in a debug build, minutes when quadratic.
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(log.context.count == 30_000 && log.context.first?.key == "k0" && log.context["k29999"] == "v")
        #expect(log.context["k5"] == "v" && log.message == "m")
        let values = (0..<30_000).map { "\"values\":{\"v\(29_999 - $0)\":\($0)}" }.joined(separator: ",")
        let measurement = try FaroPayloadDecoder().decode("{\"measurements\":[{\"type\":\"t\",\(values)}]}").measurements[0]
        #expect(measurement.values.count == 30_000 && measurement.values["v0"] == 29_999)
    }
}
