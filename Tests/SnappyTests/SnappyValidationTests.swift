import Snappy
import Testing
import TestSupport

/// Malformed blocks: each is refused with the exact error, and random damage never crashes.
@Suite struct SnappyValidationTests {
    static let malformed: [(String, [UInt8], Int, SnappyError)] = [
        ("empty input", [], 100, .truncatedLength(offset: 0)),
        ("truncated varint", [0x80], 100, .truncatedLength(offset: 1)),
        ("truncated four-byte varint", [0xFF, 0xFF, 0xFF, 0xFF], 100, .truncatedLength(offset: 4)),
        ("varint over five bytes", [0x80, 0x80, 0x80, 0x80, 0x80, 0x01], 100, .malformedLength(offset: 4)),
        ("varint over UInt32.max", [0xFF, 0xFF, 0xFF, 0xFF, 0x10], 100, .malformedLength(offset: 4)),
        ("UInt32.max over the limit", [0xFF, 0xFF, 0xFF, 0xFF, 0x0F], 1 << 30, .lengthOverLimit(length: 4_294_967_295, limit: 1 << 30)),
        ("declared length over the limit", [0x65, 0x00, 0x61], 100, .lengthOverLimit(length: 101, limit: 100)),
        ("literal past the end", [5, 0x10, 0x61, 0x62], 100, .truncatedLiteral(offset: 1)),
        ("long literal's length missing", [70, 0xF0], 100, .truncatedElement(offset: 1)),
        ("long literal's length truncated", [0x80, 0x02, 0xF4, 0xFF], 1000, .truncatedElement(offset: 2)),
        ("1-byte offset copy truncated", [5, 0x00, 0x61, 0x01], 100, .truncatedElement(offset: 3)),
        ("2-byte offset copy truncated", [5, 0x00, 0x61, 0x0E, 0x01], 100, .truncatedElement(offset: 3)),
        ("4-byte offset copy truncated", [5, 0x00, 0x61, 0x0F, 0x01, 0x00, 0x00], 100, .truncatedElement(offset: 3)),
        ("copy offset 0", [5, 0x00, 0x61, 0x01, 0x00], 100, .zeroCopyOffset(offset: 3)),
        ("copy offset 0 (4-byte)", [5, 0x00, 0x61, 0x0F, 0, 0, 0, 0], 100, .zeroCopyOffset(offset: 3)),
        ("copy offset beyond output", [5, 0x00, 0x61, 0x01, 0x02], 100, .copyOffsetBeyondOutput(offset: 3, copyOffset: 2, produced: 1)),
        ("copy before any output", [4, 0x01, 0x01], 100, .copyOffsetBeyondOutput(offset: 1, copyOffset: 1, produced: 0)),
        (
            "4-byte offset far beyond output", [5, 0x00, 0x61, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF], 100,
            .copyOffsetBeyondOutput(offset: 3, copyOffset: 4_294_967_295, produced: 1)
        ),
        ("copy past the declared length", [4, 0x00, 0x61, 0x01, 0x01], 100, .outputOverrun(offset: 3)),
        ("literal past the declared length", [1, 0x04, 0x61, 0x62], 100, .outputOverrun(offset: 1)),
        ("element after a complete output", [0, 0x00, 0x61], 100, .outputOverrun(offset: 1)),
        ("output shorter than declared", [3, 0x00, 0x61], 100, .outputTooShort(offset: 3, expected: 3, produced: 1)),
        ("no elements", [1], 100, .outputTooShort(offset: 1, expected: 1, produced: 0)),
    ]

    @Test(arguments: malformed.map(\.0))
    func malformedInputIsRefused(name: String) throws {
        let (_, bytes, limit, expected) = try #require(Self.malformed.first { $0.0 == name })
        var output = ContiguousArray<UInt8>([9])
        #expect(throws: expected) { try Snappy.decompress(bytes, into: &output, maximumLength: limit) }
        #expect(Array(output) == [9], "the output is left as it was")
    }

    @Test func uncompressedLengthChecksTheHeader() throws {
        #expect(try Snappy.uncompressedLength(of: [0x00]) == 0)
        #expect(try Snappy.uncompressedLength(of: [0xFE, 0xFF, 0x7F]) == 2_097_150)
        #expect(try Snappy.uncompressedLength(of: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) == Int(UInt32.max))
        #expect(throws: SnappyError.truncatedLength(offset: 2)) { try Snappy.uncompressedLength(of: [0x80, 0x80]) }
        #expect(throws: SnappyError.malformedLength(offset: 4)) {
            try Snappy.uncompressedLength(of: [0xFF, 0xFF, 0xFF, 0xFF, 0x1F])
        }
    }

    @Test func limitEqualToTheLengthIsAccepted() throws {
        let input = SnappyInputs.logLines(count: 5)
        var output = ContiguousArray<UInt8>()
        try Snappy.decompress(Snappy.compress(input), into: &output, maximumLength: input.count)
        #expect(Array(output) == input)
        #expect(throws: SnappyError.lengthOverLimit(length: input.count, limit: input.count - 1)) {
            try Snappy.decompress(Snappy.compress(input), into: &output, maximumLength: input.count - 1)
        }
    }

    /// Thousands of random edits of valid blocks: each decodes or throws, never crashes, and
    /// what decodes has exactly the declared length.
    @Test func mutationsDecodeOrThrow() throws {
        var random = SplitMix64(state: 2026)
        let alphabet = (0...255).map { UInt8($0) } + [0x00, 0x01, 0x02, 0x03, 0xFF, 0xFC, 0xFD, 0xFE]
        let seeds = [
            Array(Snappy.compress(SnappyInputs.logLines(count: 30))),
            Array(Snappy.compress(SnappyInputs.binary(count: 2_000))),
            Array(Snappy.compress(SnappyInputs.random(count: 300))),
            Array(Snappy.compress(SnappyInputs.repeated([1, 2, 3, 4, 5], count: 5_000))),
            Array(Snappy.compress([UInt8](repeating: 0, count: 100_000))),
        ]
        var decoded = 0
        var refused = 0
        var output = ContiguousArray<UInt8>()
        for _ in 0..<20_000 {
            var bytes = random.pick(seeds)
            random.mutate(&bytes, from: alphabet)
            output.removeAll(keepingCapacity: true)
            do {
                try Snappy.decompress(bytes, into: &output, maximumLength: 1 << 20)
                #expect(output.count == (try Snappy.uncompressedLength(of: bytes)))
                decoded += 1
            } catch {
                #expect(output.isEmpty)
                refused += 1
            }
        }
        #expect(decoded > 100 && refused > 100, "decoded \(decoded), refused \(refused)")
    }
}
