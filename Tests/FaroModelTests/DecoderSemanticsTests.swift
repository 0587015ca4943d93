import Testing
import TestSupport

@testable import FaroModel

/// Go `encoding/json` semantics that Alloy's decoding has and ours must match.
@Suite struct DecoderSemanticsTests {
    func decode(_ json: String, invalidUTF8: InvalidUTF8Handling = .reject) throws -> FaroPayload {
        try FaroPayloadDecoder(invalidUTF8: invalidUTF8).decode(json)
    }

    @Test func keysMatchCaseInsensitivelyWithSimpleFolding() throws {
        let payload = try decode(#"{"LOGS":[{"Message":"a","LEVEL":"info"}],"meta":{"browser":{"USERAGENT":"ua","Mobile":true}}}"#)
        #expect(payload.logs == [FaroLog(message: "a", level: .info)])
        #expect(payload.meta.browser.userAgent == "ua" && payload.meta.browser.mobile)
        // U+017F LONG S folds to s, U+212A KELVIN SIGN to k; escaped keys are unescaped first.
        let folded = try decode(#"{"logs":[{"meſſage":"b","\u006cevel":"warn"}],"events":[{"name":"e","attributes":{"\u212A":"v"}}],"meta":{"\u212Aitten":1,"ſdk":{"name":"n"}}}"#)
        #expect(folded.logs[0].message == "b" && folded.logs[0].level == .warn)
        #expect(folded.meta.sdk.name == "n")
        // Map keys are kept as sent, never folded.
        #expect(folded.events[0].attributes.keys == ["\u{212A}"])
    }

    /// Field names matched by length and case-folded words: letters at the ends of the alphabet
    /// are lowered, the bytes next to them (`@`, `[`, `` ` ``, `{`) are not, names of 1 to 16 bytes.
    @Test func fieldNamesMatchLettersOfAnyCaseOnly() {
        let names = JSONFieldNames("az", "za", "a@", "a[", "b", "abc", "abcdefg", "abcdefgh", "abcdefghijklmnop")
        func index(_ key: String) -> Int? { key.utf8.withContiguousStorageIfAvailable { names.index(of: UnsafeRawBufferPointer($0)) }! }
        let matches: [(String, Int?)] = [
            ("az", 0), ("AZ", 0), ("aZ", 0), ("ZA", 1), ("A@", 2), ("a`", nil), ("A[", 3), ("a{", nil), ("A{", nil),
            ("B", 4), ("c", nil), ("ABC", 5), ("AbCdEfG", 6), ("abcdefg ", nil), ("ABCDEFGH", 7), ("abcdefgi", nil),
            ("ABCDEFGHIJKLMNOP", 8), ("abcdefghijklmnoP", 8), ("abcdefghijklmnoq", nil), ("abcdefghijklmnopq", nil), ("", nil),
        ]
        for (key, expected) in matches { #expect(index(key) == expected, "\(key)") }
    }

    /// The decoder expects each object's members in the order the last object of its type had;
    /// objects that differ (order, case, escapes, keys sharing a prefix with a field's name,
    /// unknown and repeated members) must decode as they do alone.
    @Test func objectsDecodeTheSameWhateverTheObjectsBeforeThem() throws {
        let members = [
            #""message":"m""#, #""level":"warn""#, #""MESSAGE":"M""#, #""mess\u0061ge":"e""#, #""messagex":"x""#,
            #""messag":"y""#, #""unknown":{"message":"no"}"#, #""context":{"k":"v"}"#, #""timestamp":"2021-09-30T10:46:17.680Z""#,
            #""trace":{"trace_id":"t","span_id":"s"}"#, #""Level":"debug""#, #""message":"again""#,
        ]
        var generator = SystemRandomNumberGenerator()
        var logs: [String] = []
        for _ in 0..<300 {
            let count = Int.random(in: 0...6, using: &generator)
            logs.append("{" + (0..<count).map { _ in members.randomElement(using: &generator)! }.joined(separator: ",") + "}")
        }
        // Pretty-printed too: the expected key is then compared after whitespace.
        let together = try decode(#"{"logs":[ "# + logs.joined(separator: ",\n  ") + "]}")
        #expect(together.logs.count == logs.count)
        for (index, log) in logs.enumerated() {
            let alone = try decode(#"{"logs":["# + log + "]}")
            #expect(together.logs[index] == alone.logs[0], "\(log)")
        }
    }

    @Test func repeatedKeysDecodeAgainIntoWhatTheEarlierFilled() throws {
        let payload = try decode(
            #"{"meta":{"app":{"name":"a","version":"1"}},"meta":{"app":{"version":"2"}},"#
                + #""logs":[{"message":"x","level":"info"},{"message":"y"}],"logs":[{"message":"z"}],"#
                + #""events":[{"name":"e","attributes":{"a":"1","b":"2"}}],"events":[{"attributes":{"a":"3"}}]}"#)
        #expect(payload.meta.app == FaroApp(name: "a", version: "2"))
        #expect(payload.logs == [FaroLog(message: "z", level: .info)])
        #expect(payload.events == [FaroEvent(name: "e", attributes: ["a": "3", "b": "2"])])
    }

    /// Go shortens a slice for a shorter repeat of its key and keeps the elements past its length;
    /// a longer repeat decodes into them again (golang/go#21092), at every level.
    @Test func longerRepeatsTakeUpTheElementsThatShorterOnesCutOff() throws {
        let logs = try decode(
            #"{"logs":[{"message":"a","level":"info"},{"message":"b","level":"warn"},{"message":"c"}],"logs":[{}],"#
                + #""logs":[{"level":"debug"},{"message":"d"}]}"#)
        #expect(logs.logs == [FaroLog(message: "a", level: .debug), FaroLog(message: "d", level: .warn)])
        // Two cuts in a row, then one repeat that takes up all and one more.
        let twice = try decode(
            #"{"events":[{"name":"a"},{"name":"b"},{"name":"c"}],"events":[{},{}],"events":[{}],"#
                + #""events":[{},{},{},{"name":"d"}]}"#)
        #expect(twice.events.map(\.name) == ["a", "b", "c", "d"])
        // The integrations of the SDK, repeated inside one object.
        let integrations = try decode(
            #"{"meta":{"sdk":{"integrations":[{"name":"a","version":"1"},{"name":"b","version":"2"}],"#
                + #""integrations":[{"name":"c"}],"integrations":[{},{"version":"3"}]}}}"#)
        #expect(integrations.meta.sdk.integrations == [FaroSDKIntegration(name: "c", version: "1"), FaroSDKIntegration(name: "b", version: "3")])
        // An exception cut off keeps its stack frames, and their own cut-off frames.
        let exceptions = try decode(
            #"{"exceptions":[{"type":"A"},{"type":"B","stacktrace":{"frames":[{"function":"f"},{"function":"g","lineno":2}]}}],"#
                + #""exceptions":[{},{"stacktrace":{"frames":[{"lineno":1}]}}],"exceptions":[{"value":"v"}],"#
                + #""measurements":[{"type":"m"}],"exceptions":[{},{"stacktrace":{"frames":[{},{"colno":3}]}}]}"#)
        #expect(exceptions.exceptions.map(\.type) == ["A", "B"])
        #expect(exceptions.exceptions[0].value == "v")
        #expect(
            exceptions.exceptions[1].stacktrace?.frames
                == [FaroStackFrame(function: "f", lineno: 1), FaroStackFrame(function: "g", lineno: 2, colno: 3)])
        #expect(exceptions.measurements.map(\.type) == ["m"])
    }

    /// `null` (a nil slice or pointer) and `[]` (a new empty slice) drop what was cut off, with the
    /// stack frames of the exceptions dropped.
    @Test func nullAndEmptyArraysDropTheCutOffElements() throws {
        for reset in ["null", "[]"] {
            let logs = try decode(#"{"logs":[{"message":"a"},{"message":"b"}],"logs":[{}],"logs":"# + reset + #","logs":[{},{}]}"#)
            #expect(logs.logs == [FaroLog(), FaroLog()], "\(reset)")
            let exceptions = try decode(
                #"{"exceptions":[{"type":"A","stacktrace":{"frames":[{"function":"f"},{"function":"g"}]}}],"#
                    + #""exceptions":[{"stacktrace":{"frames":[{}]}}],"exceptions":"# + reset
                    + #","exceptions":[{"stacktrace":{"frames":[{},{}]}}]}"#)
            #expect(exceptions.exceptions == [FaroException(stacktrace: FaroStacktrace(frames: [FaroStackFrame(), FaroStackFrame()]))], "\(reset)")
        }
        // A stack trace set to nil takes its frames with it; the next one is new.
        let stacktrace = try decode(
            #"{"exceptions":[{"stacktrace":{"frames":[{"function":"f"},{"function":"g"}]}}],"#
                + #""exceptions":[{"stacktrace":{"frames":[{}]}}],"exceptions":[{"stacktrace":null}],"#
                + #""exceptions":[{"stacktrace":{"frames":[{},{}]}}]}"#)
        #expect(stacktrace.exceptions[0].stacktrace?.frames == [FaroStackFrame(), FaroStackFrame()])
        // The frames of one exception are not another's.
        let apart = try decode(
            #"{"exceptions":[{"stacktrace":{"frames":[{"function":"f"},{"function":"g"}]}},{"stacktrace":{"frames":[{}]}}],"#
                + #""exceptions":[{"stacktrace":{"frames":[{}]}},{"stacktrace":{"frames":[{}]}}],"#
                + #""exceptions":[{"stacktrace":{"frames":[{}]}},{"stacktrace":{"frames":[{},{}]}}]}"#)
        #expect(apart.exceptions[1].stacktrace?.frames == [FaroStackFrame(), FaroStackFrame()])
    }

    /// Cutting off and taking up many elements again and again stays linear in the input, and so
    /// do many short repeats while many elements are cut off.
    @Test(.timeLimit(.minutes(1))) func cuttingOffAndTakingUpManyElementsIsLinear() throws {
        let many = "[" + Array(repeating: "{}", count: 200_000).joined(separator: ",") + "]"
        let json = #"{"logs":[{"message":"a"},{"message":"b"}],"logs":[{}],"# + Array(repeating: #""logs":"# + many + #","logs":[{}]"#, count: 3).joined(separator: ",")
            + "," + Array(repeating: #""logs":[{}]"#, count: 100_000).joined(separator: ",") + #","logs":"# + many + "}"
        let payload = try decode(json)
        #expect(payload.logs.count == 200_000)
        #expect(payload.logs[0].message == "a" && payload.logs[1].message == "b")
    }

    @Test func nullLeavesScalarsAndEmptiesContainers() throws {
        let payload = try decode(
            #"{"logs":[{"message":"m","message":null,"context":{"a":"1"},"context":null,"timestamp":"2021-01-01T00:00:00Z","timestamp":null}],"#
                + #""exceptions":[{"stacktrace":{"frames":[{}]},"stacktrace":null}],"#
                + #""measurements":[{"values":{"a":null,"b":2}}],"events":[{"attributes":{"k":null}}],"#
                + #""traces":{"resourceSpans":[]},"traces":null,"meta":null}"#)
        #expect(payload.logs[0].message == "m")
        #expect(payload.logs[0].context.isEmpty)
        #expect(payload.logs[0].timestamp == FaroTimestamp(rfc3339: "2021-01-01T00:00:00Z"))
        #expect(payload.exceptions[0].stacktrace == nil)
        #expect(payload.measurements[0].values == ["a": 0, "b": 2])
        #expect(payload.events[0].attributes == ["k": ""])
        #expect(payload.traces == nil)
        #expect(try decode("null") == FaroPayload())
        #expect(try decode(#"{"logs":null}"#) == FaroPayload())
    }

    @Test func unknownMembersAreCheckedAndSkipped() throws {
        let payload = try decode(
            #"{"x":{"a":[1,2.5e3,-0,true,false,null,"s\n\u00e9",{"b":{}},[]]},"logs":[{"message":"m","extra":[[{}]]}],"#
                + #""meta":{"app":{"bundleId":"ignored"},"browser":{"brands":[{"brand":"Chromium","version":"141"}]}}}"#)
        #expect(payload.logs == [FaroLog(message: "m")])
        #expect(payload.meta.app == FaroApp())
    }

    @Test func mapsSortByBytesAndLaterKeysWin() throws {
        let payload = try decode(#"{"logs":[{"context":{"b":"1","a":"2","é":"3","Z":"4","a":"5"}}]}"#)
        #expect(payload.logs[0].context.map(\.key) == ["Z", "a", "b", "é"])
        #expect(payload.logs[0].context["a"] == "5")
    }

    @Test func integersFollowParseInt() throws {
        let payload = try decode(
            #"{"exceptions":[{"stacktrace":{"frames":[{"lineno":-0,"colno":9223372036854775807},{"lineno":-9223372036854775808}]}}]}"#)
        let frames = try #require(payload.exceptions[0].stacktrace).frames
        #expect(frames[0].lineno == 0 && frames[0].colno == Int.max && frames[1].lineno == Int.min)
    }

    @Test func invalidUTF8IsReplacedAsGoDoesWhenAsked() throws {
        let cases: [([UInt8], String)] = [
            (Array("a".utf8) + [0xFF] + Array("b".utf8), "a\u{FFFD}b"),
            ([0xE2, 0x82] + Array("a".utf8), "\u{FFFD}\u{FFFD}a"),
            ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}"),
            ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}"),
            (Array(#"\ud800"#.utf8), "\u{FFFD}"),
            (Array(#"\udc00\ud83d\ude00"#.utf8), "\u{FFFD}😀"),
            (Array(#"\ud800\u0041"#.utf8), "\u{FFFD}A"),
        ]
        for (bytes, expected) in cases {
            let json = ContiguousArray(Array(#"{"logs":[{"message":""#.utf8) + bytes + Array(#""}]}"#.utf8))
            let payload = try FaroPayloadDecoder(invalidUTF8: .replace).decode(json)
            #expect(payload.logs[0].message == expected)
        }
    }

    /// Strings of runs, escapes, non-ASCII characters and (when replaced) ill-formed bytes in every
    /// order and length, runs crossing the sixteen-byte blocks that unescaping copies, decode to the
    /// text they spell in both modes.
    @Test(arguments: [InvalidUTF8Handling.reject, .replace])
    func escapesBetweenRunsOfAnyLengthDecode(invalidUTF8: InvalidUTF8Handling) throws {
        var random = SplitMix64(state: invalidUTF8 == .replace ? 2 : 1)
        let pieces: [(json: [UInt8], text: String)] = [
            (Array(#"\""#.utf8), "\""), (Array(#"\n"#.utf8), "\n"), (Array(#"\\"#.utf8), "\\"), (Array(#"\/"#.utf8), "/"),
            (Array(#"\u00e9"#.utf8), "é"), (Array(#"\ud83d\ude00"#.utf8), "😀"), (Array("é".utf8), "é"), (Array("抹茶".utf8), "抹茶"),
            (Array("😀".utf8), "😀"),
        ]
        let illFormed: [(json: [UInt8], text: String)] = [([0xFF], "\u{FFFD}"), ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}")]
        for _ in 0..<300 {
            var json: [UInt8] = []
            var text = ""
            for _ in 0..<(1 + random.next() % 12) {
                let run = String(repeating: random.pick(["a", "Z", "7", " "]), count: Int(random.next() % 40))
                json += Array(run.utf8)
                text += run
                let piece = invalidUTF8 == .replace && random.chance(20) ? random.pick(illFormed) : random.pick(pieces)
                json += piece.json
                text += piece.text
            }
            let payload = try FaroPayloadDecoder(invalidUTF8: invalidUTF8).decode(
                ContiguousArray(Array(#"{"logs":[{"message":""#.utf8) + json + Array(#""}]}"#.utf8)))
            #expect(payload.logs[0].message == text, "\(json)")
        }
    }

    /// Strings of every length up to 40 bytes, across the sixteen and thirty-two bytes that the
    /// scanner's first masks cover, with the input ending at every distance after them: plain
    /// ones decode, one over the string limit fails at its quote, and one with an escape, a
    /// non-ASCII character or a raw control byte at any place decodes or fails at that byte.
    @Test func stringsOfEveryLengthNearTheEndOfInputScanAlike() throws {
        let prefix = Array(#"{"logs":[{"message":""#.utf8)
        let letters = Array("abc XYZ/09:.-_~{}[],=".utf8)
        for length in 0...40 {
            let plain = (0..<length).map { letters[$0 % letters.count] }
            for padding in [0, 1, 2, 12, 13, 14, 15, 16, 28, 29, 30, 31, 40] {
                let end = Array(#""}]}"#.utf8) + Array(repeating: UInt8(ascii: " "), count: padding)
                let json = ContiguousArray(prefix + plain + end)
                let text = String(decoding: plain, as: UTF8.self)
                #expect(try FaroPayloadDecoder().decode(json).logs[0].message == text, "\(length) + \(padding)")
                // Keys count too: the limits left below the longest, `message`, are not tried.
                if length > 7 {
                    let limited = FaroPayloadDecoder(limits: FaroDecodingLimits(maxStringBytes: length - 1))
                    let tooLong = #expect(throws: FaroDecodingError.self) { try limited.decode(json) }
                    #expect(tooLong?.reason == .stringTooLong(limit: length - 1) && tooLong?.offset == prefix.count - 1)
                    #expect(try FaroPayloadDecoder(limits: FaroDecodingLimits(maxStringBytes: length)).decode(json).logs[0].message == text)
                }
                for place in stride(from: 0, to: length, by: 3) {
                    for (insert, decoded) in [(Array(#"\n"#.utf8), "\n"), (Array("é".utf8), "é")] {
                        let json = ContiguousArray(prefix + plain[..<place] + insert + plain[place...] + end)
                        let text = String(decoding: plain[..<place], as: UTF8.self) + decoded + String(decoding: plain[place...], as: UTF8.self)
                        #expect(try FaroPayloadDecoder().decode(json).logs[0].message == text, "\(length) + \(padding) at \(place)")
                    }
                    let control = ContiguousArray(prefix + plain[..<place] + [0x01] + plain[place...] + end)
                    let failure = #expect(throws: FaroDecodingError.self) { try FaroPayloadDecoder().decode(control) }
                    #expect(failure?.reason == .controlCharacterInString && failure?.offset == prefix.count + place)
                }
            }
        }
    }

    /// String values with escapes are unescaped while they are scanned. Random strings of plain
    /// runs, escapes of every kind (surrogate pairs, lone and malformed ones too), UTF-8 sequences,
    /// ill-formed bytes and control bytes, long enough to pass the reader's first buffer, some cut
    /// short, under limits at and below their length: the decoder's message or error equals
    /// what the scanner's two passes (`scanString`, then `string(_:)`) give.
    @Test func stringValuesUnescapedInOnePassMatchTheTwoPasses() throws {
        let prefix = Array(#"{"logs":[{"message":""#.utf8)
        let suffix = Array(#""}]}"#.utf8)
        let escapes = [#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#].map { Array($0.utf8) }
        let unicodeEscapes = [
            #"\u0041"#, #"\u00e9"#, #"\u20AC"#, #"\uFFFF"#, #"\u0000"#, #"\uD83D\uDE00"#, #"\uDBFF\uDFFF"#,
            #"\uD800"#, #"\uDC00"#, #"\uD800\u0041"#, #"\u12G4"#, #"\u12"#, #"\x"#,
        ].map { Array($0.utf8) }
        let sequences: [[UInt8]] = [Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0xC3], [0xE2, 0x82], [0xFF], [0xED, 0xA0, 0x80]]
        // The well-formed ones come first in each list, and most of the time.
        let wellFormedUnicodeEscapes = Array(unicodeEscapes.prefix(7))
        let wellFormedSequences = Array(sequences.prefix(3))
        var random = SplitMix64(state: 0x5EED_0F_57A1_5CA4)
        for trial in 0..<3_000 {
            var content: [UInt8] = []
            // An escape early, so that most strings take the one-pass scan from there.
            content += Array("abcdefghijklmnopqrstuvwxyz0123456789 ".utf8).prefix(Int(random.next() % 24))
            content += random.pick(escapes)
            let length = Int(random.next() % 1_500)
            while content.count < length {
                switch random.next() % 100 {
                case 0..<40: content += (0..<Int(random.next() % 40)).map { _ in UInt8(0x20 + random.next() % 0x5F) }.filter { $0 != 0x22 && $0 != 0x5C }
                case 40..<70: content += random.pick(escapes)
                case 70..<85: content += random.chance(95) ? random.pick(wellFormedUnicodeEscapes) : random.pick(unicodeEscapes)
                case 85..<97: content += random.chance(97) ? random.pick(wellFormedSequences) : random.pick(sequences)
                default: content.append(random.chance(50) ? 0x01 : 0x1F)
                }
            }
            // One in ten inputs ends inside the string.
            let json = random.chance(10) ? prefix + content.prefix(Int(random.next() % UInt64(content.count))) : prefix + content + suffix
            let bytes = ContiguousArray(json)
            let expected: Result<String, FaroDecodingError> = bytes.withUnsafeBytes { input in
                var scanner = JSONScanner(input)
                scanner.offset = prefix.count - 1
                return Result { () throws(FaroDecodingError) -> String in scanner.string(try scanner.scanString()) }
            }
            var limits: [Int] = [.max]
            if case .success(let text) = expected, text.utf8.count > 7 { limits += [text.utf8.count, text.utf8.count - 1] }
            for limit in limits {
                let decoder = FaroPayloadDecoder(limits: FaroDecodingLimits(maxStringBytes: limit))
                let decoded = Result { () throws(FaroDecodingError) -> String in try decoder.decode(bytes).logs[0].message }
                switch (expected, decoded) {
                case (.success(let text), .success(let message)) where limit >= text.utf8.count:
                    #expect(Array(message.utf8) == Array(text.utf8), "trial \(trial)")
                case (.success(let text), .failure(let error)) where limit < text.utf8.count:
                    #expect(error.reason == .stringTooLong(limit: limit) && error.offset == prefix.count - 1, "trial \(trial)")
                case (.failure(let failure), .failure(let error)):
                    #expect(error.reason == failure.reason && error.offset == failure.offset, "trial \(trial): \(error)")
                default:
                    Issue.record("trial \(trial), limit \(limit): \(expected) against \(decoded)")
                }
            }
        }
    }

    /// Integers are read in one pass when they are short and plain. Random numbers in an integer
    /// field (a stack frame's `lineno`): signs, leading zeros, 1 to 22 digits, fractions, exponents
    /// and stray bytes after them. The decoder's value or error equals what the scanner's number
    /// grammar and `parseInt64` give: the value, the number out of range at its start, a grammar
    /// error, or the byte after the number where the next member should start.
    @Test func integersReadInOnePassMatchTheNumberGrammar() throws {
        let prefix = Array(#"{"exceptions":[{"type":"t","stacktrace":{"frames":[{"lineno":"#.utf8)
        let suffix = Array(#","colno":1}]}}]}"#.utf8)
        let tails = ["", "", "", ".5", ".", "e3", "E+2", "e", "x", "-", "0", "5"].map { Array($0.utf8) }
        var random = SplitMix64(state: 0x1A7E_6E25)
        for trial in 0..<10_000 {
            var number: [UInt8] = random.chance(30) ? [UInt8(ascii: "-")] : []
            let digits = 1 + Int(random.next() % 22)
            for place in 0..<digits {
                let leadingZero = place == 0 && random.chance(digits == 1 ? 30 : 10)
                number.append(leadingZero ? UInt8(ascii: "0") : UInt8(ascii: "0") + UInt8(random.next() % 10) | (place == 0 ? 1 : 0))
            }
            if random.chance(10) { number = Array("9223372036854775807".utf8) }
            if random.chance(5) { number = Array("-9223372036854775808".utf8) }
            number += random.pick(tails)
            let bytes = ContiguousArray(prefix + number + suffix)
            let expected: Result<Int, FaroDecodingError> = bytes.withUnsafeBytes { input in
                var scanner = JSONScanner(input)
                scanner.offset = prefix.count
                return Result { () throws(FaroDecodingError) -> Int in
                    guard let value = GoNumberFormat.parseInt64(try scanner.scanNumber()) else {
                        throw FaroDecodingError(.numberOutOfRange, offset: prefix.count)
                    }
                    guard input[scanner.offset] == UInt8(ascii: ",") else {
                        throw FaroDecodingError(.unexpectedCharacter(input[scanner.offset]), offset: scanner.offset)
                    }
                    return Int(value)
                }
            }
            let decoded = Result { () throws(FaroDecodingError) -> Int in
                try FaroPayloadDecoder().decode(bytes).exceptions[0].stacktrace!.frames[0].lineno
            }
            switch (expected, decoded) {
            case (.success(let value), .success(let lineno)):
                #expect(lineno == value, "trial \(trial): \(String(decoding: number, as: UTF8.self))")
            case (.failure(let failure), .failure(let error)):
                #expect(error.reason == failure.reason && error.offset == failure.offset, "trial \(trial): \(String(decoding: number, as: UTF8.self)): \(error)")
            default:
                Issue.record("trial \(trial): \(String(decoding: number, as: UTF8.self)): \(expected) against \(decoded)")
            }
        }
    }

    /// Every lead byte from 0x80 with continuation bytes at and beyond the edges of their ranges,
    /// in strings of plain text before and after: accepted exactly when the standard library finds
    /// the bytes well-formed, and then decoded to them; else refused at the lead byte.
    @Test func utf8SequencesAreAcceptedExactlyWhenWellFormed() throws {
        let prefix = Array(#"{"logs":[{"message":""#.utf8) + Array("plain text before ".utf8)
        let suffix = Array(" and plain text after, longer than sixteen bytes".utf8) + Array(#""}]}"#.utf8)
        let seconds: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0]
        let thirds: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0]
        for lead in UInt8(0x80)...0xFF {
            for second in seconds {
                for third in thirds {
                    for sequence in [[lead, second], [lead, second, third], [lead, second, third, 0x80], [lead, second, 0x80, third]] {
                        let json = ContiguousArray(prefix + sequence + suffix)
                        let text = String(validating: prefix[21...] + sequence + suffix.dropLast(4), as: UTF8.self)
                        do {
                            let message = try FaroPayloadDecoder().decode(json).logs[0].message
                            #expect(message == text, "\(sequence)")
                        } catch {
                            #expect(text == nil && error.reason == .invalidUTF8, "\(sequence)")
                            if error.reason == .invalidUTF8 { #expect(error.offset >= prefix.count, "\(sequence)") }
                        }
                    }
                }
            }
        }
    }

    /// Runs of the four whitespace bytes, of every length up to 40, after each token (the last
    /// too, where the input ends), decode as compact JSON does; a control byte or a stray letter
    /// after a run fails there.
    @Test func whitespaceOfEveryKindAndLengthBetweenTokensIsSkipped() throws {
        let tokens = [#"{"#, #""logs""#, ":", "[", "{", #""message""#, ":", #""m""#, ",", #""level""#, ":", #""warn""#, "}", "]", "}"]
        let compact = try FaroPayloadDecoder().decode(tokens.joined())
        let kinds: [UInt8] = [0x20, 0x0A, 0x0D, 0x09]
        for length in 0...40 {
            let run = (0..<length).map { kinds[($0 * 7 + length) % kinds.count] }
            for gap in tokens.indices {
                var json: [UInt8] = []
                for (index, token) in tokens.enumerated() {
                    json += Array(token.utf8)
                    if index == gap { json += run }
                }
                #expect(try FaroPayloadDecoder().decode(ContiguousArray(json)) == compact, "\(length) after token \(gap)")
                guard gap < tokens.count - 1 else { continue }
                for stray: UInt8 in [0x01, 0x1F, UInt8(ascii: "x")] {
                    let before = Array(tokens[...gap].joined().utf8) + run
                    let bad = ContiguousArray(before + [stray] + Array(tokens[(gap + 1)...].joined().utf8))
                    let failure = #expect(throws: FaroDecodingError.self) { try FaroPayloadDecoder().decode(bad) }
                    #expect(failure?.reason == .unexpectedCharacter(stray) && failure?.offset == before.count, "\(length) after token \(gap)")
                }
            }
        }
    }

    @Test func replacedTextInTracesIsRepairedToo() throws {
        let json = ContiguousArray(Array(#"{"traces":{"a\nb":[""#.utf8) + [0xBB] + Array(#"","\ud800",1]}}"#.utf8))
        let payload = try FaroPayloadDecoder(invalidUTF8: .replace).decode(json)
        let traces = try #require(payload.traces)
        #expect(String(decoding: traces.json, as: UTF8.self) == "{\"a\\nb\":[\"\u{FFFD}\",\"\u{FFFD}\",1]}")
        let again = try FaroPayloadDecoder().decode(try FaroPayloadEncoder().encode(payload))
        #expect(again == payload)
    }

    @Test(arguments: [
        ("2021-09-30T10:46:17.680Z", "2021-09-30 10:46:17.68 +0000 UTC"),
        ("2026-11-20T08:15:30.123456789Z", "2026-11-20 08:15:30.123456789 +0000 UTC"),
        ("2026-11-20T08:15:30.1234567891234Z", "2026-11-20 08:15:30.123456789 +0000 UTC"),
        ("2026-11-20T08:15:30.000000010Z", "2026-11-20 08:15:30.00000001 +0000 UTC"),
        ("2026-11-20T08:15:30.000100Z", "2026-11-20 08:15:30.0001 +0000 UTC"),
        ("2026-11-20T08:15:30.000000001Z", "2026-11-20 08:15:30.000000001 +0000 UTC"),
        ("2021-09-30T10:46:17+02:00", "2021-09-30 10:46:17 +0200 +0200"),
        ("2021-09-30T10:46:17.5-07:30", "2021-09-30 10:46:17.5 -0730 -0730"),
        ("2021-09-30T10:46:17+00:00", "2021-09-30 10:46:17 +0000 UTC"),
        ("2021-09-30T10:46:17-00:00", "2021-09-30 10:46:17 +0000 UTC"),
        ("2021-09-30T1:46:17Z", "2021-09-30 01:46:17 +0000 UTC"),
        ("2021-09-30T10:46:17,25Z", "2021-09-30 10:46:17.25 +0000 UTC"),
        ("2021-09-30T10:46:17+24:00", "2021-09-30 10:46:17 +2400 +2400"),
        ("0000-01-01T00:00:00Z", "0000-01-01 00:00:00 +0000 UTC"),
        ("9999-12-31T23:59:59.999999999Z", "9999-12-31 23:59:59.999999999 +0000 UTC"),
        ("2024-02-29T12:00:00Z", "2024-02-29 12:00:00 +0000 UTC"),
    ])
    func timestampsParseAndPrintAsGo(text: String, goString: String) throws {
        let timestamp = try #require(FaroTimestamp(rfc3339: text))
        var bytes = ContiguousArray<UInt8>()
        timestamp.appendGoString(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == goString)
    }

    @Test(arguments: [
        "", "2021-09-30", "2021-09-30t10:46:17Z", "2021-09-30T10:46:17", "2021-09-30T24:00:00Z",
        "2021-09-30T10:60:00Z", "2021-09-30T10:46:60Z", "2021-02-29T10:46:17Z", "2021-13-01T10:46:17Z",
        "2021-00-01T10:46:17Z", "2021-09-00T10:46:17Z", "2021-09-30T10:46:17.Z", "2021-09-30T10:46:17z",
        "2021-09-30T10:46:17+25:00", "2021-09-30T10:46:17+02:61", "2021-09-30T10:46:17+0200",
        "2021-09-30T10:46:17Z ", " 2021-09-30T10:46:17Z", "21-09-30T10:46:17Z", "2021-9-30T10:46:17Z",
        "2021-09-30T010:46:17Z", "+2021-09-30T10:46:17Z", "2021-09-3aT10:46:17Z", "2021-09-30T10:46:1/Z",
        "2021-09-30T10:46:1:Z", "2O21-09-30T10:46:17Z", "2021-09-30T10:4\u{0}:17Z",
    ])
    func timestampsGoRejects(text: String) {
        #expect(FaroTimestamp(rfc3339: text) == nil)
    }

    @Test func missingTimestampIsGoZeroTime() throws {
        var bytes = ContiguousArray<UInt8>()
        try decode(#"{"logs":[{}]}"#).logs[0].timestamp.appendGoString(to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "0001-01-01 00:00:00 +0000 UTC")
        #expect(FaroTimestamp.zero.isZero)
    }

    @Test func timestampsRoundTripThroughRFC3339() throws {
        for text in ["2026-11-20T08:15:30.123456789Z", "2021-09-30T10:46:17.5-07:30", "0001-01-01T00:00:00Z"] {
            #expect(try #require(FaroTimestamp(rfc3339: text)).description == text)
        }
        #expect(FaroTimestamp(rfc3339: "2021-09-30T10:46:17.680Z")?.unixNanoseconds == 1_632_998_777_680_000_000)
    }
}
