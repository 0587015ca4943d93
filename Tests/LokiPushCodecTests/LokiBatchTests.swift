import LokiPushCodec
import Testing

@Suite("LokiBatch: appending, accounting, merging")
struct LokiBatchTests {
    static let web = try! LokiLabels(["app": "web"])
    static let api = try! LokiLabels(["app": "api"])

    @Test("entries keep their append order per stream; streams their first-seen order")
    func order() throws {
        var batch = LokiBatch()
        #expect(batch.isEmpty)
        let web = batch.stream(Self.web)
        let api = batch.stream(Self.api)
        #expect(batch.stream(Self.web) == web)
        try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: 5, nanoseconds: 0), line: "w1"), to: web)
        try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: 1, nanoseconds: 0), line: "a1"), to: api)
        try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: 2, nanoseconds: 0), line: "w2"), to: web)
        #expect(batch.entryCount == 3)
        #expect(batch.streamCount == 2)
        #expect(
            batch.streams == [
                LokiStream(
                    labels: Self.web,
                    entries: [
                        LokiEntry(timestamp: LokiTimestamp(seconds: 5, nanoseconds: 0), line: "w1"),
                        LokiEntry(timestamp: LokiTimestamp(seconds: 2, nanoseconds: 0), line: "w2"),
                    ]),
                LokiStream(labels: Self.api, entries: [LokiEntry(timestamp: LokiTimestamp(seconds: 1, nanoseconds: 0), line: "a1")]),
            ])
    }

    @Test("byteCount is Promtail's entrySize: line bytes plus LabelAdapter.Size() of each metadata pair")
    func accounting() throws {
        var batch = LokiBatch()
        let web = batch.stream(Self.web)
        try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: 1, nanoseconds: 0), line: "hello"), to: web)
        #expect(batch.byteCount == 5)
        let metadata = [
            LokiLabelPair(name: "trace_id", value: "abc"), LokiLabelPair(name: "empty", value: ""),
            LokiLabelPair(name: "long", value: String(repeating: "x", count: 200)),
        ]
        try batch.append(LokiEntry(timestamp: LokiTimestamp(seconds: 2, nanoseconds: 0), line: "é", structuredMetadata: metadata), to: web)
        // "é" is 2 bytes; trace_id/abc: (1+1+8)+(1+1+3); empty/"": (1+1+5)+0; long/200 x: (1+1+4)+(1+2+200).
        #expect(batch.byteCount == 5 + 2 + 15 + 7 + 209)
        #expect(batch.streams[0].entries[1].structuredMetadata == metadata)
        batch.removeAll()
        #expect(batch.isEmpty && batch.byteCount == 0 && batch.streamCount == 0 && batch.streams.isEmpty)
    }

    @Test("invalid entries throw and append nothing")
    func errors() throws {
        var batch = LokiBatch()
        let web = batch.stream(Self.web)
        let now = LokiTimestamp(seconds: 1, nanoseconds: 0)
        let invalid: [UInt8] = Array("0123456789é".utf8) + [0xE2, 0x82] + Array("x".utf8)
        #expect(throws: LokiEntryError.invalidUTF8(offset: 12)) {
            try invalid.withUnsafeBytes { try batch.append(timestamp: now, line: $0, to: web) }
        }
        for bytes: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xFF], [0xF0, 0x9F, 0x98]] {
            #expect(throws: LokiEntryError.invalidUTF8(offset: 3)) {
                try ([0x61, 0x62, 0x63] + bytes).withUnsafeBytes { try batch.append(timestamp: now, line: $0, to: web) }
            }
        }
        let early = LokiTimestamp(seconds: LokiTimestamp.minimumSeconds - 1, nanoseconds: 0)
        #expect(throws: LokiEntryError.timestampOutOfRange(early)) {
            try batch.append(LokiEntry(timestamp: early, line: "x"), to: web)
        }
        #expect(throws: LokiEntryError.invalidMetadataName("a.b")) {
            try batch.append(
                LokiEntry(timestamp: now, line: "x", structuredMetadata: [LokiLabelPair(name: "ok", value: "1"), LokiLabelPair(name: "a.b", value: "2")]),
                to: web)
        }
        #expect(batch.isEmpty && batch.byteCount == 0)
        let valid = Array("plain ascii line over eight bytes, then 日本語 and 🎉 end".utf8)
        try valid.withUnsafeBytes { try batch.append(timestamp: now, line: $0, to: web) }
        #expect(batch.streams[0].entries == [LokiEntry(timestamp: now, line: "plain ascii line over eight bytes, then 日本語 and 🎉 end")])
    }

    @Test("a line said to be valid UTF-8 goes in as the checked append puts it; a time out of range still throws")
    func validUTF8Line() throws {
        let lines = ["plain ascii line over eight bytes", "日本語 and 🎉", "", "x"]
        let times = [LokiTimestamp(seconds: 3, nanoseconds: 1), LokiTimestamp(seconds: 1, nanoseconds: 0)]
        var checked = LokiBatch()
        var trusted = LokiBatch()
        for (index, line) in lines.enumerated() {
            let labels = index % 2 == 0 ? Self.web : Self.api
            let time = times[index % 2]
            let (checkedStream, trustedStream) = (checked.stream(labels), trusted.stream(labels))
            try Array(line.utf8).withUnsafeBytes { bytes in
                try checked.append(timestamp: time, line: bytes, to: checkedStream)
                try trusted.append(timestamp: time, validUTF8Line: bytes, to: trustedStream)
            }
        }
        #expect(trusted.streams == checked.streams)
        #expect(trusted.byteCount == checked.byteCount && trusted.entryCount == lines.count)
        var encoder = LokiPushEncoder()
        var (checkedBody, trustedBody) = (ContiguousArray<UInt8>(), ContiguousArray<UInt8>())
        encoder.encodeProtobufBody(checked, into: &checkedBody)
        encoder.encodeProtobufBody(trusted, into: &trustedBody)
        #expect(trustedBody == checkedBody)

        let late = LokiTimestamp(seconds: LokiTimestamp.endSeconds, nanoseconds: 0)
        let web = trusted.stream(Self.web)
        #expect(throws: LokiEntryError.timestampOutOfRange(late)) {
            try Array("x".utf8).withUnsafeBytes { try trusted.append(timestamp: late, validUTF8Line: $0, to: web) }
        }
        #expect(trusted.entryCount == lines.count)
    }

    @Test("append(contentsOf:) matches streams by labels and keeps entry order")
    func merging() throws {
        let t = { (second: Int64) in LokiTimestamp(seconds: second, nanoseconds: 0) }
        var first = try LokiBatch(streams: [LokiStream(labels: Self.web, entries: [LokiEntry(timestamp: t(1), line: "w1")])])
        let second = try LokiBatch(streams: [
            LokiStream(labels: Self.api, entries: [LokiEntry(timestamp: t(2), line: "a1", structuredMetadata: [LokiLabelPair(name: "k", value: "v")])]),
            LokiStream(labels: Self.web, entries: [LokiEntry(timestamp: t(3), line: "w2"), LokiEntry(timestamp: t(0), line: "w3")]),
        ])
        first.append(contentsOf: second)
        #expect(first.byteCount == 2 + second.byteCount)
        #expect(
            first.streams == [
                LokiStream(
                    labels: Self.web,
                    entries: [LokiEntry(timestamp: t(1), line: "w1"), LokiEntry(timestamp: t(3), line: "w2"), LokiEntry(timestamp: t(0), line: "w3")]),
                LokiStream(
                    labels: Self.api, entries: [LokiEntry(timestamp: t(2), line: "a1", structuredMetadata: [LokiLabelPair(name: "k", value: "v")])]),
            ])
        // Streams with the same labels given twice merge.
        let merged = try LokiBatch(streams: [
            LokiStream(labels: Self.web, entries: [LokiEntry(timestamp: t(1), line: "a")]),
            LokiStream(labels: try LokiLabels(parsing: #"{ app = "web" }"#), entries: [LokiEntry(timestamp: t(2), line: "b")]),
        ])
        #expect(merged.streamCount == 1 && merged.entryCount == 2)
    }
}
