import Testing

@testable import ProtobufWire

/// The wire primitives against the examples of the protobuf encoding guide and hand-checked bytes.
@Suite struct ProtobufWireTests {
    static func written(_ body: (inout ProtobufWriter) -> Void) -> [UInt8] {
        var writer = ProtobufWriter()
        body(&writer)
        return Array(writer.bytes)
    }

    static func fields(_ bytes: [UInt8]) throws -> [(Int, ProtobufWireType)] {
        try bytes.withUnsafeBytes { raw in
            var result: [(Int, ProtobufWireType)] = []
            var reader = ProtobufReader(raw)
            while let field = try reader.nextField() { result.append((field.number, field.wireType)) }
            return result
        }
    }

    static func error(_ bytes: [UInt8], maxDepth: Int = ProtobufReader.defaultMaxDepth) -> ProtobufWireError? {
        bytes.withUnsafeBytes { raw -> ProtobufWireError? in
            var reader = ProtobufReader(raw, maxDepth: maxDepth)
            do throws(ProtobufWireError) {
                while try reader.nextField() != nil {}
                return nil
            } catch {
                return error
            }
        }
    }

    static let varintExamples: [(UInt64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (150, [0x96, 0x01]),
        (16_383, [0xFF, 0x7F]), (16_384, [0x80, 0x80, 0x01]), (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test(arguments: varintExamples)
    func varints(value: UInt64, expected: [UInt8]) throws {
        var writer = ProtobufWriter()
        writer.appendVarint(value)
        #expect(Array(writer.bytes) == expected)
        #expect(ProtobufVarint.length(of: value) == expected.count)
        let read = try expected.withUnsafeBytes { raw in
            var reader = ProtobufReader(raw)
            return try reader.readVarint()
        }
        #expect(read == value)
    }

    @Test func varintLengthsAtEveryBoundary() throws {
        for bits in 0...64 {
            for value in [bits == 0 ? 0 : (UInt64(1) << (bits - 1)), bits == 64 ? UInt64.max : (UInt64(1) << bits) &- 1] {
                var writer = ProtobufWriter()
                writer.appendVarint(value)
                #expect(writer.count == ProtobufVarint.length(of: value), "\(value)")
                let read = try writer.bytes.withUnsafeBytes { raw in
                    var reader = ProtobufReader(raw)
                    return try reader.readVarint()
                }
                #expect(read == value)
            }
        }
    }

    @Test func zigZag() {
        let pairs: [(Int64, UInt64)] = [
            (0, 0), (-1, 1), (1, 2), (-2, 3), (2_147_483_647, 4_294_967_294), (-2_147_483_648, 4_294_967_295),
            (.max, .max - 1), (.min, .max),
        ]
        for (signed, encoded) in pairs {
            #expect(ProtobufVarint.zigZag(signed) == encoded)
            #expect(ProtobufVarint.unZigZag(encoded) == signed)
        }
    }

    /// The examples of https://protobuf.dev/programming-guides/encoding/.
    @Test func encodingGuideExamples() {
        #expect(Self.written { $0.writeVarint(field: 1, 150) } == [0x08, 0x96, 0x01])
        #expect(Self.written { $0.writeString(field: 2, "testing") } == [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
        #expect(Self.written { $0.writeMessage(field: 3) { $0.writeVarint(field: 1, 150) } } == [0x1A, 0x03, 0x08, 0x96, 0x01])
        #expect(Self.written { $0.writePackedVarints(field: 6, [3, 270, 86942]) } == [0x32, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        #expect(Self.written { $0.writeSInt64(field: 1, -2) } == [0x08, 0x03])
        #expect(Self.written { $0.writeInt32(field: 1, -2) } == [0x08, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect(Self.written { $0.writeFixed32(field: 1, 0x0403_0201) } == [0x0D, 0x01, 0x02, 0x03, 0x04])
        #expect(Self.written { $0.writeDouble(field: 1, 1.0) } == [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        #expect(Self.written { $0.writePackedDoubles(field: 7, []) } == [])
        #expect(Self.written { $0.writeVarint(field: 536_870_911, 0) } == [0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x00])
    }

    /// Bodies of every length around the one-, two- and three-byte length prefixes are moved right.
    @Test(arguments: [0, 1, 126, 127, 128, 129, 300, 16_382, 16_383, 16_384, 16_385, 70_000])
    func nestedMessageLengths(bodyLength: Int) throws {
        let body = (0..<bodyLength).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var writer = ProtobufWriter(bytes: [0xAA])
        writer.writeMessage(field: 5) { inner in
            inner.writeMessage(field: 1) { $0.writeBytes(field: 2, body) }
        }
        try writer.bytes.withUnsafeBytes { raw in
            var outer = ProtobufReader(UnsafeRawBufferPointer(rebasing: raw[1...]))
            let field = try #require(try outer.nextField())
            #expect(field.number == 5 && outer.isAtEnd)
            var middle = try field.message()
            var inner = try #require(try middle.nextField()).message()
            let bytes = try #require(try inner.nextField()).bytes()
            #expect(Array(bytes) == body)
            #expect(middle.isAtEnd && inner.isAtEnd)
        }
        #expect(writer.bytes.first == 0xAA)
    }

    @Test func thrownBodyLeavesNothing() {
        struct Stop: Error {}
        var writer = ProtobufWriter()
        writer.writeVarint(field: 1, 1)
        #expect(throws: Stop.self) {
            try writer.writeMessage(field: 2) { (inner: inout ProtobufWriter) throws(Stop) in
                inner.writeString(field: 1, String(repeating: "x", count: 500))
                throw Stop()
            }
        }
        #expect(Array(writer.bytes) == [0x08, 0x01])
    }

    @Test func appendToReusedBuffer() {
        var buffer: ContiguousArray<UInt8> = [1, 2]
        ProtobufWriter.append(to: &buffer) { $0.writeBool(field: 1, true) }
        #expect(Array(buffer) == [1, 2, 0x08, 0x01])
    }

    @Test func everyScalarTypeReadsBack() throws {
        let bytes = Self.written { writer in
            writer.writeVarint(field: 1, .max)
            writer.writeInt64(field: 2, -5)
            writer.writeInt32(field: 3, .min)
            writer.writeSInt64(field: 4, .min)
            writer.writeSInt32(field: 5, -7)
            writer.writeBool(field: 6, true)
            writer.writeFixed64(field: 7, 0x0102_0304_0506_0708)
            writer.writeSFixed64(field: 8, -9)
            writer.writeDouble(field: 9, -.infinity)
            writer.writeFixed32(field: 10, .max)
            writer.writeSFixed32(field: 11, -11)
            writer.writeFloat(field: 12, 1.5)
            writer.writeString(field: 13, "héllo 😀")
            writer.writePackedFixed64(field: 14, [1, .max])
            writer.writeFixed64(field: 14, 3)
            writer.writeVarint(field: 15, UInt64(UInt32.max) + 6)
        }
        try bytes.withUnsafeBytes { raw in
            var reader = ProtobufReader(raw)
            var packed: [UInt64] = []
            while let field = try reader.nextField() {
                switch field.number {
                case 1: #expect(try field.uint64() == .max)
                case 2: #expect(try field.int64() == -5)
                case 3: #expect(try field.int32() == .min)
                case 4: #expect(try field.sint64() == .min)
                case 5: #expect(try field.sint32() == -7)
                case 6: #expect(try field.bool())
                case 7: #expect(try field.fixed64() == 0x0102_0304_0506_0708)
                case 8: #expect(try field.sfixed64() == -9)
                case 9: #expect(try field.double() == -.infinity)
                case 10: #expect(try field.fixed32() == .max)
                case 11: #expect(try field.sfixed32() == -11)
                case 12: #expect(try field.float() == 1.5)
                case 13: #expect(try field.string() == "héllo 😀")
                case 14: try field.forEachFixed64 { packed.append($0) }
                case 15: #expect(try field.uint32() == 5)
                default: Issue.record("field \(field.number)")
                }
            }
            #expect(packed == [1, .max, 3])
        }
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        // Field 9 as varint, fixed64, bytes, a group holding a nested group, fixed32; then field 1.
        let bytes: [UInt8] =
            [0x48, 0x96, 0x01, 0x49] + [UInt8](repeating: 7, count: 8) + [0x4A, 0x02, 0xFF, 0xFE]
            + [0x4B, 0x08, 0x01, 0x13, 0x10, 0x02, 0x14, 0x4C] + [0x4D, 1, 2, 3, 4] + [0x08, 0x2A]
        let fields = try Self.fields(bytes)
        #expect(fields.map(\.0) == [9, 9, 9, 9, 9, 1])
        #expect(fields.map(\.1) == [.varint, .fixed64, .lengthDelimited, .startGroup, .fixed32, .varint])
    }

    @Test func malformedInput() {
        #expect(Self.error([0x08])?.reason == .truncated)
        #expect(Self.error([0x08, 0x80])?.reason == .truncated)
        #expect(Self.error([0x08] + [UInt8](repeating: 0x80, count: 10) + [0x01]) == ProtobufWireError(.malformedVarint, offset: 1))
        #expect(Self.error([0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x02]) == ProtobufWireError(.malformedVarint, offset: 1))
        #expect(Self.error([0x0E]) == ProtobufWireError(.invalidWireType(6), offset: 0))
        #expect(Self.error([0x08, 0x01, 0x0F]) == ProtobufWireError(.invalidWireType(7), offset: 2))
        #expect(Self.error([0x00, 0x01]) == ProtobufWireError(.invalidFieldNumber(0), offset: 0))
        #expect(Self.error([0x80, 0x80, 0x80, 0x80, 0x10, 0x00]) == ProtobufWireError(.invalidFieldNumber(1 << 29), offset: 0))
        #expect(Self.error([0x12, 0x05, 0x01]) == ProtobufWireError(.lengthPastEnd(length: 5), offset: 1))
        #expect(Self.error([0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) == ProtobufWireError(.lengthPastEnd(length: 1 << 63 - 1), offset: 1))
        #expect(Self.error([0x0C]) == ProtobufWireError(.unmatchedEndGroup, offset: 0))
        #expect(Self.error([0x0B, 0x14]) == ProtobufWireError(.unmatchedEndGroup, offset: 1))
        #expect(Self.error([0x0B, 0x08, 0x01])?.reason == .truncated)
        #expect(Self.error([0x09, 1, 2, 3])?.reason == .truncated)
        #expect(Self.error([0x0D, 1, 2, 3])?.reason == .truncated)
    }

    @Test func nestingBombs() {
        // 200 nested groups of field 1.
        let groups = [UInt8](repeating: 0x0B, count: 200) + [UInt8](repeating: 0x0C, count: 200)
        #expect(Self.error(groups)?.reason == .nestingTooDeep(limit: 100))
        #expect(Self.error(groups, maxDepth: 300) == nil)
        // 200 nested messages of field 1, read by recursion.
        var bytes: [UInt8] = []
        for _ in 0..<200 { bytes = Self.written { $0.writeBytes(field: 1, bytes) } }
        func descend(_ reader: inout ProtobufReader) throws(ProtobufWireError) -> Int {
            guard let field = try reader.nextField() else { return 0 }
            var inner = try field.message()
            return try descend(&inner) + 1
        }
        let result = bytes.withUnsafeBytes { raw in
            var reader = ProtobufReader(raw)
            return Result { () throws(ProtobufWireError) in try descend(&reader) }
        }
        #expect(throws: ProtobufWireError(.nestingTooDeep(limit: 100), offset: 303)) { try result.get() }
    }

    @Test func typedAccessorsCheckWireTypes() throws {
        let bytes = Self.written {
            $0.writeVarint(field: 1, 1)
            $0.writeBytes(field: 2, [0xC3, 0x28])
            $0.writeBytes(field: 3, [1, 2, 3])
        }
        try bytes.withUnsafeBytes { raw in
            var reader = ProtobufReader(raw)
            let varint = try #require(try reader.nextField())
            #expect(throws: ProtobufWireError(.wireTypeMismatch(field: 1, expected: .lengthDelimited, found: .varint), offset: 0)) {
                try varint.string()
            }
            #expect(throws: ProtobufWireError(.wireTypeMismatch(field: 1, expected: .fixed64, found: .varint), offset: 0)) {
                try varint.double()
            }
            let invalid = try #require(try reader.nextField())
            #expect(throws: ProtobufWireError(.invalidUTF8, offset: 4)) { try invalid.string() }
            let packed = try #require(try reader.nextField())
            #expect(throws: ProtobufWireError(.partialPackedElement, offset: 8)) { try packed.forEachFixed64 { _ in } }
        }
    }

    /// `stringBytes()` accepts exactly the strings `string()` accepts: hand-picked ill-formed
    /// sequences (overlong, surrogate, above U+10FFFF, truncated, stray continuation) and random bytes.
    @Test func stringBytesChecksUTF8AsStringDoes() throws {
        var samples: [[UInt8]] = [
            [], Array("plain ascii text".utf8), Array("héllo 😀 ∑".utf8), [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0x80], [0x61, 0xFF, 0x62], [0xEF, 0xBF, 0xBD],
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let length = Int.random(in: 1...12, using: &generator)
            // Mostly high bytes, so that valid multi-byte sequences occur too.
            samples.append((0..<length).map { _ in UInt8.random(in: 0x70...0xF5, using: &generator) })
        }
        for sample in samples {
            let bytes = Self.written { $0.writeBytes(field: 1, sample) }
            try bytes.withUnsafeBytes { raw in
                var reader = ProtobufReader(raw)
                let field = try #require(try reader.nextField())
                let viaString = Result { () throws(ProtobufWireError) in try field.string() }
                let viaBytes = Result { () throws(ProtobufWireError) in try field.stringBytes() }
                switch (viaString, viaBytes) {
                case (.success(let text), .success(let checked)):
                    #expect(Array(text.utf8) == sample && Array(checked) == sample)
                case (.failure(let a), .failure(let b)):
                    #expect(a == b)
                default:
                    Issue.record("string() and stringBytes() disagree on \(sample)")
                }
            }
        }
    }

    /// Every prefix of a message either reads as fewer whole fields or fails with a typed error.
    @Test func everyTruncationIsAnError() async {
        let bytes = Self.written { writer in
            writer.writeString(field: 1, "resource")
            writer.writeMessage(field: 2) { span in
                span.writeFixed64(field: 7, 1_700_000_000_000_000_000)
                span.writeString(field: 5, String(repeating: "n", count: 200))
                span.writeInt64(field: 3, -1)
                span.writeFixed32(field: 16, 1)
            }
        }
        for length in 0..<bytes.count {
            // A long loop: it lets the concurrency pool's two threads serve timing-sensitive tests too.
            await Task.yield()
            let prefix = Array(bytes[..<length])
            if let error = Self.error(prefix) {
                var expected = error.reason == .truncated
                if case .lengthPastEnd = error.reason { expected = true }
                #expect(expected, "\(length): \(error)")
                #expect(error.offset <= length)
            } else {
                #expect(length == 0 || length == 10, "prefix of \(length) bytes read without error")
            }
        }
    }
}
