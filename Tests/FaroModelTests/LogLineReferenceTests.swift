import TestSupport
import Testing

@testable import FaroModel

/// The line encoder against a plain transcription of Alloy's `KeyVal` code (an ordered map
/// with Go's `Set` semantics), on generated payloads whose keys collide in every way Alloy's can.
@Suite struct LogLineReferenceTests {
    /// Alloy's `payload.KeyVal`: keys in first-insertion order, the last value wins.
    struct OrderedKeyVal {
        enum Value {
            case text(String)
            case number(Double)
        }
        var entries: [(key: [UInt8], value: Value)] = []

        mutating func set(_ key: String, _ value: Value) {
            let bytes = Array(key.utf8)
            if let index = entries.firstIndex(where: { $0.key == bytes }) {
                entries[index].value = value
            } else {
                entries.append((bytes, value))
            }
        }

        /// `KeyValAdd`: only non-empty strings.
        mutating func add(_ key: String, _ value: String) {
            if !value.isEmpty { set(key, .text(value)) }
        }

        mutating func add(prefix: String, _ map: FaroAttributes) {
            for element in map { add(prefix + element.key, element.value) }
        }

        mutating func merge(_ other: OrderedKeyVal) {
            for entry in other.entries { set(String(decoding: entry.key, as: UTF8.self), entry.value) }
        }
    }

    static func goString(_ timestamp: FaroTimestamp) -> String {
        var bytes = ContiguousArray<UInt8>()
        timestamp.appendGoString(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func format(_ build: (inout ContiguousArray<UInt8>) -> Void) -> String {
        var bytes = ContiguousArray<UInt8>()
        build(&bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func meta(_ meta: FaroMeta) -> OrderedKeyVal {
        var kv = OrderedKeyVal()
        kv.add("sdk_name", meta.sdk.name)
        kv.add("sdk_version", meta.sdk.version)
        if !meta.sdk.integrations.isEmpty {
            kv.add("sdk_integrations", meta.sdk.integrations.map { "\($0.name):\($0.version)" }.joined(separator: ","))
        }
        kv.add("app_name", meta.app.name)
        kv.add("app_namespace", meta.app.namespace)
        kv.add("app_release", meta.app.release)
        kv.add("app_version", meta.app.version)
        kv.add("app_environment", meta.app.environment)
        kv.add("user_email", meta.user.email)
        kv.add("user_id", meta.user.id)
        kv.add("user_username", meta.user.username)
        kv.add(prefix: "user_attr_", meta.user.attributes)
        kv.add("session_id", meta.session.id)
        kv.add(prefix: "session_attr_", meta.session.attributes)
        kv.add("page_id", meta.page.id)
        kv.add("page_url", meta.page.url)
        kv.add(prefix: "page_attr_", meta.page.attributes)
        kv.add("browser_name", meta.browser.name)
        kv.add("browser_version", meta.browser.version)
        kv.add("browser_os", meta.browser.os)
        kv.add("browser_mobile", meta.browser.mobile ? "true" : "false")
        kv.add("browser_userAgent", meta.browser.userAgent)
        kv.add("browser_language", meta.browser.language)
        kv.add("browser_viewportWidth", meta.browser.viewportWidth)
        kv.add("browser_viewportHeight", meta.browser.viewportHeight)
        kv.add("view_name", meta.view.name)
        return kv
    }

    static func items(_ payload: FaroPayload) -> [OrderedKeyVal] {
        var result: [OrderedKeyVal] = []
        for log in payload.logs {
            var kv = OrderedKeyVal()
            kv.add("timestamp", goString(log.timestamp))
            kv.add("kind", "log")
            kv.add("message", log.message)
            kv.add("level", log.level.rawValue)
            kv.add(prefix: "context_", log.context)
            kv.add("traceID", log.trace.traceID)
            kv.add("spanID", log.trace.spanID)
            result.append(kv)
        }
        for exception in payload.exceptions {
            var kv = OrderedKeyVal()
            kv.add("timestamp", goString(exception.timestamp))
            kv.add("kind", "exception")
            kv.add("type", exception.type)
            kv.add("value", exception.value)
            var stacktrace = "\(exception.type): \(exception.value)"
            for frame in exception.stacktrace?.frames ?? [] {
                stacktrace += "\n  at \(frame.function) (\(frame.module.isEmpty ? "" : frame.module + "|")\(frame.filename):\(frame.lineno):\(frame.colno))"
            }
            kv.add("stacktrace", stacktrace)
            kv.add("hash", String(XXH3.hash64(exception.value)))
            kv.add(prefix: "context_", exception.context)
            kv.add("traceID", exception.trace.traceID)
            kv.add("spanID", exception.trace.spanID)
            result.append(kv)
        }
        for measurement in payload.measurements {
            var kv = OrderedKeyVal()
            kv.add("timestamp", goString(measurement.timestamp))
            kv.add("kind", "measurement")
            kv.add("type", measurement.type)
            for value in measurement.values { kv.add(value.key, format { GoNumberFormat.appendFixed6(value.value, to: &$0) }) }
            kv.add("traceID", measurement.trace.traceID)
            kv.add("spanID", measurement.trace.spanID)
            kv.add(prefix: "context_", measurement.context)
            for value in measurement.values { kv.set("value_" + value.key, .number(value.value)) }
            result.append(kv)
        }
        for event in payload.events {
            var kv = OrderedKeyVal()
            kv.add("timestamp", goString(event.timestamp))
            kv.add("kind", "event")
            kv.add("event_name", event.name)
            kv.add("event_domain", event.domain)
            kv.add(prefix: "event_data_", event.attributes)
            kv.add("traceID", event.trace.traceID)
            kv.add("spanID", event.trace.spanID)
            result.append(kv)
        }
        let meta = meta(payload.meta)
        return result.map { var kv = $0; kv.merge(meta); return kv }
    }

    /// The logfmt line, or nil where go-logfmt fails on an empty key.
    static func logfmt(_ kv: OrderedKeyVal) -> String? {
        var out = ContiguousArray<UInt8>()
        for (position, entry) in kv.entries.enumerated() {
            if position > 0 { out.append(UInt8(ascii: " ")) }
            guard entry.key.withUnsafeBytes({ Logfmt.appendKey($0, to: &out) }) else { return nil }
            out.append(UInt8(ascii: "="))
            switch entry.value {
            case .text(let text): Array(text.utf8).withUnsafeBytes { Logfmt.appendValue($0, to: &out) }
            case .number(let number): GoNumberFormat.appendShortest(number, to: &out)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func json(_ kv: OrderedKeyVal) -> String {
        var out: ContiguousArray<UInt8> = [UInt8(ascii: "{")]
        for (position, entry) in kv.entries.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }).enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            entry.key.withUnsafeBytes { GoJSONString.append($0, to: &out) }
            out.append(UInt8(ascii: ":"))
            switch entry.value {
            case .text(let text): GoJSONString.append(text, to: &out)
            case .number(let number): GoNumberFormat.appendJSON(number, to: &out)
            }
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    static func labels(_ kv: OrderedKeyVal, _ extra: [String: String]) -> String {
        var parts: [String] = []
        for name in extra.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            var value = extra[name]!
            if value.isEmpty {
                guard let entry = kv.entries.first(where: { $0.key == Array(name.utf8) }) else { continue }
                switch entry.value {
                case .text(let text): value = text
                case .number(let number): value = format { GoNumberFormat.appendShortest(number, to: &$0) }
                }
            }
            parts.append(name + "=" + format { GoQuote.append(value, to: &$0) })
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static let names = [
        "x", "a", "kind", "type", "timestamp", "traceID", "spanID", "context_a", "context_x", "value_x", "value_value_x",
        "app_name", "sdk_name", "browser_mobile", "view_name", "user_attr_plan", "page_attr_route", "é", "a=b", "q\"",
        "\u{FFFD}", "tab\there", "hash", "message",
    ]
    static let texts = [
        "", "v", "null", "with space", "a=b", "quote\"d", "back\\slash", "new\nline", "\u{7F}", "<&>", "\u{2028}",
        "é", "😀", "\u{FFFD}", "\u{1}", "tab\t",
    ]

    static func attributes(_ generator: inout SplitMix64) -> FaroAttributes {
        var map = FaroAttributes()
        for _ in 0..<generator.next() % 4 { map[generator.pick(["a", "x", "plan", "", "b c", "é", "route", "q\"", "<&>"])] = generator.pick(texts) }
        return map
    }

    static func payload(_ generator: inout SplitMix64) -> FaroPayload {
        var payload = FaroPayload()
        let time = FaroTimestamp(secondsSince1970: Int64(generator.next() % 4_000_000_000), nanoseconds: Int32(generator.next() % 1_000_000_000), utcOffsetSeconds: generator.pick([0, 3600, -19800]))
        let trace = FaroTraceContext(traceID: generator.pick(["", "abc"]), spanID: generator.pick(["", "def"]))
        for _ in 0..<generator.next() % 3 {
            payload.logs.append(FaroLog(message: generator.pick(texts), level: FaroLogLevel(rawValue: generator.pick(["", "info"])), context: attributes(&generator), timestamp: time, trace: trace))
        }
        for _ in 0..<generator.next() % 2 {
            let frames = (0..<generator.next() % 5).map { _ in FaroStackFrame(function: generator.pick(texts), module: generator.pick(["", "m"]), filename: generator.pick(texts), lineno: generator.chance(10) ? generator.pick([Int.min, Int.max, -1_000_000_007]) : Int(truncatingIfNeeded: generator.next() % 1000) - 5, colno: generator.chance(10) ? generator.pick([Int.min, Int.max]) : Int(generator.next() % 100)) }
            payload.exceptions.append(FaroException(type: generator.pick(texts), value: generator.pick(texts), stacktrace: generator.chance(70) ? FaroStacktrace(frames: frames) : nil, timestamp: time, trace: trace, context: attributes(&generator)))
        }
        for _ in 0..<generator.next() % 4 {
            var values = FaroMap<Double>()
            for _ in 0..<generator.next() % 5 {
                values[generator.pick(names + ["", " "])] = generator.pick([0, 1, -1.5, 312.4000000000001, 1e21, 1e-7, 123456789, 0.1])
            }
            payload.measurements.append(FaroMeasurement(type: generator.pick(texts), values: values, timestamp: time, trace: trace, context: attributes(&generator)))
        }
        for _ in 0..<generator.next() % 3 {
            payload.events.append(FaroEvent(name: generator.pick(texts), domain: generator.pick(texts), attributes: attributes(&generator), timestamp: time, trace: trace))
        }
        payload.meta = FaroMeta(
            sdk: FaroSDK(name: generator.pick(texts), version: "1", integrations: generator.chance(50) ? [FaroSDKIntegration(name: "i", version: "1")] : []),
            app: FaroApp(name: generator.pick(texts), namespace: generator.pick(texts), environment: "prod"),
            user: FaroUser(id: generator.pick(texts), attributes: attributes(&generator)),
            session: FaroSession(id: "s", attributes: attributes(&generator)),
            page: FaroPage(url: generator.pick(texts), attributes: attributes(&generator)),
            browser: FaroBrowser(name: "b", mobile: generator.chance(50), userAgent: generator.pick(texts)),
            view: FaroView(name: generator.pick(texts)))
        return payload
    }

    /// Labels that read the line's values, and labels that do not (the encoder's one-pass logfmt path).
    static let labelSets: [[String: String]] = [
        ["kind": "", "app_name": "", "x": "", "value_x": "", "static": "v", "context_a": ""],
        ["static": "v", "team": "web \"front\""],
        [:],
    ]

    @Test(arguments: FaroLogFormat.allCases, labelSets.indices)
    func generatedPayloadsMatchAlloysKeyValSemantics(format: FaroLogFormat, labelSet: Int) async {
        var generator = SplitMix64(state: UInt64(labelSet * 2) + (format == .logfmt ? 1 : 2))
        let extra = Self.labelSets[labelSet]
        var encoder = FaroLogLineEncoder(format: format, extraLogLabels: extra)
        var buffer = ContiguousArray<UInt8>()
        var lines: [FaroLogLine] = []
        var compared = 0
        for _ in 0..<2_000 {
            // A long loop: it lets the concurrency pool's two threads serve timing-sensitive tests too.
            await Task.yield()
            let payload = Self.payload(&generator)
            buffer.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            let dropped = encoder.encode(payload, into: &buffer, lines: &lines)
            var expected: [(String, String)] = []
            for kv in Self.items(payload) {
                let line = format == .logfmt ? Self.logfmt(kv) : Self.json(kv)
                if let line { expected.append((line, Self.labels(kv, extra))) }
            }
            #expect(lines.count + dropped == payload.itemCount)
            #expect(lines.count == expected.count)
            for (line, (text, labelSet)) in zip(lines, expected) {
                #expect(String(decoding: buffer[line.line], as: UTF8.self) == text)
                #expect(String(decoding: buffer[line.labels], as: UTF8.self) == labelSet)
                compared += 1
            }
        }
        #expect(compared > 5_000)
    }

    /// Successive lines copy the date and time of the last timestamp when it is of the same
    /// wall-clock second: the fraction and zone are still their own, and a line of another second,
    /// another day, a five-digit year or another payload gets its own.
    @Test(arguments: FaroLogFormat.allCases)
    func timestampsOfSuccessiveLinesAreEachTheirOwn(format: FaroLogFormat) throws {
        let texts = [
            "2021-09-30T10:46:17.680Z", "2021-09-30T10:46:17.681Z", "2021-09-30T10:46:17Z",
            "2021-09-30T10:46:17+02:00", "2021-09-30T10:46:18Z", "2021-09-30T12:46:17.5+02:00",
            "2021-10-01T10:46:18Z", "2021-10-01T10:46:18-00:30", "2021-10-01T10:46:18.000000001Z",
        ]
        var timestamps = try texts.map { try #require(FaroTimestamp(rfc3339: $0)) }
        timestamps.append(FaroTimestamp(secondsSince1970: 253_402_300_800))  // 10000-01-01 00:00:00
        timestamps.append(timestamps[0])
        var encoder = FaroLogLineEncoder(format: format)
        var buffer = ContiguousArray<UInt8>()
        var lines: [FaroLogLine] = []
        for payloadTimestamps in [timestamps, [timestamps[1]], timestamps.reversed()] {
            let payload = FaroPayload(logs: payloadTimestamps.map { FaroLog(message: "m", timestamp: $0) })
            buffer.removeAll(keepingCapacity: true)
            lines.removeAll(keepingCapacity: true)
            encoder.encode(payload, into: &buffer, lines: &lines)
            try #require(lines.count == payloadTimestamps.count)
            for (line, timestamp) in zip(lines, payloadTimestamps) {
                let text = String(decoding: buffer[line.line], as: UTF8.self)
                let expected = Self.goString(timestamp)
                #expect(text.contains(format == .logfmt ? "timestamp=\"\(expected)\"" : "\"timestamp\":\"\(expected)\""))
            }
        }
    }

    @Test(arguments: FaroLogFormat.allCases)
    func longLabelValuesTakenFromTheLine(format: FaroLogFormat) {
        // Labels far longer than the line's scratch memory, so that writing them moves it.
        let long = String(repeating: "é\"x ", count: 3_000)
        let payload = FaroPayload(
            logs: [FaroLog(message: long, context: ["a": long + "a", "b": long + "b"])],
            measurements: [FaroMeasurement(values: ["kind": 1, "x": 2], context: ["a": long])])
        let extra = ["message": "", "context_a": "", "context_b": "", "kind": "", "value_x": ""]
        var encoder = FaroLogLineEncoder(format: format, extraLogLabels: extra)
        var buffer = ContiguousArray<UInt8>()
        var lines: [FaroLogLine] = []
        encoder.encode(payload, into: &buffer, lines: &lines)
        let expected = Self.items(payload).map { kv in
            (format == .logfmt ? Self.logfmt(kv)! : Self.json(kv), Self.labels(kv, extra))
        }
        #expect(lines.count == expected.count)
        for (line, (text, labels)) in zip(lines, expected) {
            #expect(String(decoding: buffer[line.line], as: UTF8.self) == text)
            #expect(String(decoding: buffer[line.labels], as: UTF8.self) == labels)
        }
    }

    /// The metadata's fields in key order, which JSON lines render them in so that they need no
    /// sort, are `addFields`'s fields, each once, sorted by key bytes.
    @Test func metadataFieldsInKeyOrderAreTheFieldsSorted() {
        let attributes: FaroAttributes = ["": "empty key", "A": "upper", "id": "same as a field", "z": "last", "é": "accent", "x": ""]
        let meta = FaroMeta(
            sdk: FaroSDK(name: "n", version: "1", integrations: [FaroSDKIntegration(name: "i", version: "2")]),
            app: FaroApp(name: "a", namespace: "ns", release: "r", version: "v", environment: "e"),
            user: FaroUser(email: "m", id: "u", username: "un", attributes: attributes),
            session: FaroSession(id: "s", attributes: attributes),
            page: FaroPage(id: "p", url: "https://x", attributes: attributes),
            browser: FaroBrowser(
                name: "b", version: "bv", os: "o", mobile: true, userAgent: "ua", language: "l", viewportWidth: "w",
                viewportHeight: "h"),
            view: FaroView(name: "vn"))
        Self.expectKeyOrder(
            fieldCount: 23 + 3 * 5, lineOrder: { meta.addFields(to: &$0, in: &$1) },
            keyOrder: { meta.addFieldsInKeyOrder(to: &$0, in: &$1) })
    }

    /// Likewise the fields of logs, exceptions, measurements and events in key order: `addFields`'
    /// fields sorted. A measurement's value names sort before, between and after its fixed keys and
    /// the `context_` and `value_` keys.
    @Test func itemFieldsInKeyOrderAreTheFieldsSorted() {
        let attributes: FaroAttributes = ["": "empty key", "A": "upper", "kind": "like a field", "z": "last", "é": "accent", "x": ""]
        let time = FaroTimestamp(secondsSince1970: 1_700_000_000, nanoseconds: 5, utcOffsetSeconds: 3600)
        let trace = FaroTraceContext(traceID: "t", spanID: "s")
        let frames = [FaroStackFrame(function: "f", module: "m", filename: "https://x/a.js", lineno: 1, colno: 2)]
        func expectSorted(_ item: some AlloyLogItem, fieldCount: Int, sourceLocation: SourceLocation = #_sourceLocation) {
            Self.expectKeyOrder(
                fieldCount: fieldCount, sourceLocation: sourceLocation, lineOrder: { item.addFields(to: &$0, in: &$1) },
                keyOrder: { item.addFieldsInKeyOrder(to: &$0, in: &$1) })
        }
        expectSorted(FaroLog(message: "m", level: "info", context: attributes, timestamp: time, trace: trace), fieldCount: 6 + 5)
        expectSorted(
            FaroException(type: "T", value: "v", stacktrace: FaroStacktrace(frames: frames), timestamp: time, trace: trace, context: attributes),
            fieldCount: 8 + 5)
        expectSorted(FaroEvent(name: "n", domain: "d", attributes: attributes, timestamp: time, trace: trace), fieldCount: 6 + 5)
        let names = [
            "", "A", "a", "context", "contextz", "k", "kinda", "spanIC", "spanIE", "timestam", "timestampz", "trace", "traceIE",
            "typ", "typez", "valu", "value", "valuez", "zzz", "é",
        ]
        var values = FaroMap<Double>()
        for (index, name) in names.enumerated() { values[name] = Double(index) / 4 }
        let measurement = FaroMeasurement(type: "web-vitals", values: values, timestamp: time, trace: trace, context: attributes)
        #expect(!measurement.mayRepeatKeys)
        expectSorted(measurement, fieldCount: 5 + 5 + 2 * names.count)
        // With no values, and with one name at each end.
        expectSorted(FaroMeasurement(type: "t", timestamp: time, trace: trace, context: attributes), fieldCount: 5 + 5)
        expectSorted(FaroMeasurement(type: "t", values: ["a": 1, "zz": 2], timestamp: time), fieldCount: 3 + 4)
    }

    /// Expects the fields that `keyOrder` adds to be those that `lineOrder` adds (`fieldCount` of
    /// them), sorted by key bytes.
    static func expectKeyOrder(
        fieldCount: Int, sourceLocation: SourceLocation = #_sourceLocation,
        lineOrder: (inout LogLineFields, inout ByteWriter) -> Void, keyOrder: (inout LogLineFields, inout ByteWriter) -> Void
    ) {
        var scratch = ByteWriter(ByteStorage())
        var inLineOrder = LogLineFields()
        lineOrder(&inLineOrder, &scratch)
        var inKeyOrder = LogLineFields()
        keyOrder(&inKeyOrder, &scratch)
        let pairs = { (fields: LogLineFields) in
            fields.fields.map { (key: String(decoding: scratch[$0.key], as: UTF8.self), value: String(decoding: scratch[$0.value], as: UTF8.self)) }
        }
        let sorted = pairs(inLineOrder).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        #expect(sorted.count == fieldCount, sourceLocation: sourceLocation)
        #expect(pairs(inKeyOrder).map(\.key) == sorted.map(\.key), sourceLocation: sourceLocation)
        #expect(pairs(inKeyOrder).map(\.value) == sorted.map(\.value), sourceLocation: sourceLocation)
    }

    /// Values written raw and then quoted (a stack trace, a bridged string) are moved out of the way
    /// of their escaped form, up to six times as long and written sixteen bytes at a time: short
    /// values that are all escapes must not overwrite their own bytes before they are read.
    @Test func valuesQuotedAfterTheyAreWrittenAreNotOverwritten() {
        for length in 1...20 {
            for escaped in [UInt8(0x01), UInt8(ascii: "\""), UInt8(0x1F)] {
                for position in 0..<length {
                    var raw = [UInt8](repeating: 0x01, count: length)
                    raw[position] = escaped
                    var scratch = ByteWriter(ByteStorage(capacity: 16))
                    var writer = LogfmtLineWriter()
                    writer.add("k", in: &scratch) { out in raw.withUnsafeBytes { out.appendBytes($0) } }
                    var expected = ContiguousArray("k=".utf8)
                    raw.withUnsafeBytes { Logfmt.appendValue($0, to: &expected) }
                    #expect(Array(scratch[0..<scratch.count]) == Array(expected), "length \(length), position \(position)")
                }
            }
        }
    }

    @Test func emptyMeasurementNameDropsTheLogfmtLineAsAlloyDoes() {
        let payload = FaroPayload(measurements: [FaroMeasurement(values: ["": 1]), FaroMeasurement(values: ["ok": 1])])
        var encoder = FaroLogLineEncoder()
        var buffer = ContiguousArray<UInt8>()
        var lines: [FaroLogLine] = []
        #expect(encoder.encode(payload, into: &buffer, lines: &lines) == 1)
        #expect(lines.map(\.index) == [1])
        var json = FaroLogLineEncoder(format: .json)
        lines.removeAll()
        #expect(json.encode(payload, into: &buffer, lines: &lines) == 0)
        #expect(String(decoding: buffer[lines[0].line], as: UTF8.self).hasPrefix(#"{"":"1.000000","#))
    }

    /// `json.Marshal` fails on NaN and infinities (`UnsupportedValueError`), so Alloy writes no JSON
    /// line for a measurement holding one (its `value_` member is a float64); logfmt writes them
    /// as `fmt` does. A value named like a fixed key takes no part: its `%f` text is a string.
    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteMeasurementValueDropsTheJSONLineAsAlloyDoes(value: Double) {
        let payload = FaroPayload(measurements: [
            FaroMeasurement(values: ["a": 1, "b": value]), FaroMeasurement(values: ["ok": 1]),
            FaroMeasurement(values: ["kind": value]),
        ])
        for labels in [[:], ["kind": ""]] {
            var json = FaroLogLineEncoder(format: .json, extraLogLabels: labels)
            var buffer = ContiguousArray<UInt8>()
            var lines: [FaroLogLine] = []
            #expect(json.encode(payload, into: &buffer, lines: &lines) == 2)
            #expect(lines.map(\.index) == [1])
            var logfmt = FaroLogLineEncoder(format: .logfmt, extraLogLabels: labels)
            lines.removeAll()
            #expect(logfmt.encode(payload, into: &buffer, lines: &lines) == 0)
            let expected = Self.items(payload).map { Self.logfmt($0)! }
            #expect(lines.map { String(decoding: buffer[$0.line], as: UTF8.self) } == expected)
        }
    }
}
