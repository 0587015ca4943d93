import OTLPCodec
import ProtobufWire
import Testing

/// Broken OTLP protobuf: each a typed error with its offset and field path, never a crash.
@Suite struct MalformedProtobufTests {
    static func decodeTraces(_ bytes: [UInt8], maxDepth: Int = ProtobufReader.defaultMaxDepth) -> Result<OTLPTracesData, OTLPDecodingError> {
        bytes.withUnsafeBytes { raw in
            Result { () throws(OTLPDecodingError) in try OTLPTracesData(protobuf: raw, maxDepth: maxDepth) }
        }
    }

    static func error(_ bytes: [UInt8]) -> OTLPDecodingError? {
        if case .failure(let error) = decodeTraces(bytes) { return error }
        return nil
    }

    /// A request of one span, written field by field so that the offsets below can be counted.
    static func request(span: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeMessage(field: 2) { scopeSpans in
                scopeSpans.writeMessage(field: 2, span)
            }
        }
        return Array(writer.bytes)
    }

    @Test func idsOfTheWrongLength() throws {
        let shortTrace = Self.request { $0.writeBytes(field: 1, [UInt8](repeating: 1, count: 15)) }
        let error = try #require(Self.error(shortTrace))
        #expect(error.reason == .invalidIDLength(expected: 16, found: 15))
        #expect(error.offset == 8)
        #expect(error.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].traceId")

        let longSpan = Self.request { $0.writeBytes(field: 2, [UInt8](repeating: 1, count: 9)) }
        #expect(Self.error(longSpan)?.reason == .invalidIDLength(expected: 8, found: 9))
        #expect(Self.error(longSpan)?.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].spanId")

        let parent = Self.request { $0.writeBytes(field: 4, [UInt8](repeating: 1, count: 16)) }
        #expect(Self.error(parent)?.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].parentSpanId")

        let link = Self.request { span in span.writeMessage(field: 13) { $0.writeBytes(field: 1, [1, 2, 3]) } }
        #expect(Self.error(link)?.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].links[0].traceId")
    }

    @Test func invalidUTF8InStrings() {
        let name = Self.request { $0.writeBytes(field: 5, [0x61, 0xC3, 0x28]) }
        #expect(Self.error(name)?.reason == .wire(.invalidUTF8))
        #expect(Self.error(name)?.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].name")
        let attribute = Self.request { span in
            span.writeMessage(field: 9) { keyValue in
                keyValue.writeString(field: 1, "k")
                keyValue.writeMessage(field: 2) { $0.writeBytes(field: 1, [0xED, 0xA0, 0x80]) }
            }
        }
        #expect(Self.error(attribute)?.reason == .wire(.invalidUTF8))
        #expect(Self.error(attribute)?.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.stringValue")
    }

    @Test func wireTypesThatDoNotFitTheField() {
        let kindAsString = Self.request { $0.writeString(field: 6, "server") }
        #expect(Self.error(kindAsString)?.reason == .wire(.wireTypeMismatch(field: 6, expected: .varint, found: .lengthDelimited)))
        let startAsVarint = Self.request { $0.writeVarint(field: 7, 5) }
        #expect(Self.error(startAsVarint)?.reason == .wire(.wireTypeMismatch(field: 7, expected: .fixed64, found: .varint)))
        let spanAsVarint: [UInt8] = [0x0A, 0x04, 0x12, 0x02, 0x10, 0x01]
        #expect(Self.error(spanAsVarint)?.reason == .wire(.wireTypeMismatch(field: 2, expected: .lengthDelimited, found: .varint)))
        #expect(Self.error(spanAsVarint)?.pathDescription == "resourceSpans[0].scopeSpans[0].spans[0]")
    }

    @Test func unknownFieldsAreSkippedAtEveryLevel() throws {
        var writer = ProtobufWriter()
        writer.writeVarint(field: 99, 1)
        writer.writeMessage(field: 1) { resourceSpans in
            resourceSpans.writeFixed32(field: 77, 5)
            resourceSpans.writeMessage(field: 2) { scopeSpans in
                scopeSpans.writeString(field: 50, "future")
                scopeSpans.writeMessage(field: 2) { span in
                    span.writeString(field: 5, "kept")
                    span.writeFixed64(field: 100, 1)
                    span.writeMessage(field: 101) { $0.writeString(field: 1, "unknown message") }
                }
            }
        }
        writer.appendTag(field: 98, wireType: .startGroup)
        writer.writeVarint(field: 1, 1)
        writer.appendTag(field: 98, wireType: .endGroup)
        let data = try writer.bytes.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }
        #expect(data.resourceSpans.first?.scopeSpans.first?.spans.map(\.name) == ["kept"])
    }

    @Test func everyTruncationOfAnEncodedRequestIsAnErrorOrAShorterRequest() async {
        var bytes = ContiguousArray<UInt8>()
        OTLPSamples.everyFieldTraces.encodeProtobuf(into: &bytes)
        var errors = 0
        for length in 0..<bytes.count {
            // A long loop: it lets the concurrency pool's two threads serve timing-sensitive tests too.
            await Task.yield()
            switch Self.decodeTraces(Array(bytes[..<length])) {
            case .failure(let error):
                errors += 1
                if case .wire = error.reason {} else { Issue.record("\(length): \(error)") }
                #expect(error.offset <= length)
            case .success(let data):
                // Only a cut between the top-level fields leaves a valid request.
                #expect(data.resourceSpans.count < OTLPSamples.everyFieldTraces.resourceSpans.count, "\(length)")
            }
        }
        #expect(errors > bytes.count - 10)
    }

    /// A span whose one attribute is an AnyValue array nested `depth` deep.
    static func nestedArrays(depth: Int) -> [UInt8] {
        var value = ProtobufWriter()
        value.writeString(field: 1, "leaf")
        for _ in 0..<depth {
            let inner = value.bytes
            value = ProtobufWriter()
            value.writeMessage(field: 5) { array in
                array.writeMessage(field: 1) { $0.bytes.append(contentsOf: inner) }
            }
        }
        return Self.request { span in
            span.writeMessage(field: 9) { keyValue in
                keyValue.writeString(field: 1, "deep")
                keyValue.writeMessage(field: 2) { $0.bytes.append(contentsOf: value.bytes) }
            }
        }
    }

    @Test func nestingBombs() {
        let error = Self.error(Self.nestedArrays(depth: 10_000))
        #expect(error?.reason == .wire(.nestingTooDeep(limit: 100)))
        #expect(error?.pathDescription.hasPrefix("resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0]") == true)
        // Within the limit (the span's attribute value is the sixth message down, each array two more), it decodes.
        if case .failure(let error) = Self.decodeTraces(Self.nestedArrays(depth: 47)) { Issue.record("\(error)") }
        #expect(Self.error(Self.nestedArrays(depth: 48))?.reason == .wire(.nestingTooDeep(limit: 100)))
    }
}
