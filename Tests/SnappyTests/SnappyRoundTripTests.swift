import Testing

@testable import Snappy

/// Compression and decompression of generated inputs, and the exact bytes of small cases.
@Suite struct SnappyRoundTripTests {
    static func decompressed(_ compressed: ContiguousArray<UInt8>, maximumLength: Int = 1 << 26) throws -> [UInt8] {
        var output = ContiguousArray<UInt8>()
        try Snappy.decompress(compressed, into: &output, maximumLength: maximumLength)
        return Array(output)
    }

    @Test(arguments: SnappyInputs.all.map(\.0))
    func roundTrip(name: String) throws {
        let input = try #require(SnappyInputs.all.first { $0.0 == name }?.1)
        let compressed = Snappy.compress(input)
        #expect(compressed.count <= Snappy.maximumCompressedLength(input.count))
        #expect(try Snappy.uncompressedLength(of: compressed) == input.count)
        #expect(try Self.decompressed(compressed) == input)
    }

    @Test func exactBytesOfSmallInputs() {
        #expect(Array(Snappy.compress([UInt8]())) == [0x00])
        #expect(Array(Snappy.compress([0x61])) == [0x01, 0x00, 0x61])
        // Twenty 'a's: a literal of one byte (the search starts at the second), then a copy of
        // 19 bytes at offset 1 with a 2-byte offset, since it is 12 or longer.
        let twenty = [UInt8](repeating: 0x61, count: 20)
        #expect(Array(Snappy.compress(twenty)) == [0x14, 0x00, 0x61, 0x4A, 0x01, 0x00])
    }

    @Test func longCopiesAreSplitAsTheReferenceDoes() {
        // 200 bytes of one value: a 1-byte literal, then a copy of 199 bytes as 64 + 64 + 64 + 7
        // (the last with a 1-byte offset).
        let compressed = Array(Snappy.compress([UInt8](repeating: 0x62, count: 200)))
        #expect(compressed == [0xC8, 0x01, 0x00, 0x62, 0xFE, 0x01, 0x00, 0xFE, 0x01, 0x00, 0xFE, 0x01, 0x00, 0x0D, 0x01])
        // 130 bytes: a copy of 129 as 64 + 60 + 5, so that the last is not under 4.
        let split = Array(Snappy.compress([UInt8](repeating: 0x62, count: 130)))
        #expect(split == [0x82, 0x01, 0x00, 0x62, 0xFE, 0x01, 0x00, 0xEE, 0x01, 0x00, 0x05, 0x01])
    }

    @Test func longLiteralsUseExtraLengthBytes() throws {
        for count in [60, 61, 256, 257, 65_536, 70_000] {
            let input = SnappyInputs.random(count: count, seed: UInt64(count))
            let compressed = Snappy.compress(input)
            #expect(try Self.decompressed(compressed) == input, "\(count)")
        }
        // 61 random bytes: a literal of 61 with one extra length byte (60 = length - 1).
        let compressed = Array(Snappy.compress(SnappyInputs.random(count: 61, seed: 5)))
        #expect(compressed.prefix(3) == [61, 60 << 2, 60])
    }

    @Test func compressorIsReusedAndAppends() throws {
        var compressor = SnappyCompressor()
        var output = ContiguousArray<UInt8>([0xEE])
        let first = SnappyInputs.logLines(count: 50)
        let second = SnappyInputs.binary(count: 3_000)
        compressor.compress(first, into: &output)
        let firstEnd = output.count
        compressor.compress(second, into: &output)
        #expect(output.first == 0xEE)
        #expect(try Self.decompressed(ContiguousArray(output[1..<firstEnd])) == first)
        #expect(try Self.decompressed(ContiguousArray(output[firstEnd...])) == second)
        // The same input through a fresh compressor gives the same bytes: the table is cleared per block.
        #expect(Array(output[firstEnd...]) == Array(Snappy.compress(second)))
    }

    @Test func decompressAppendsAfterExistingBytes() throws {
        let input = SnappyInputs.logLines(count: 20)
        var output = ContiguousArray<UInt8>([1, 2, 3])
        try Snappy.decompress(Snappy.compress(input), into: &output, maximumLength: input.count)
        #expect(Array(output) == [1, 2, 3] + input)
    }

    @Test func nonContiguousCollectionsAreAccepted() throws {
        let input = SnappyInputs.logLines(count: 10)
        let compressed = Snappy.compress(input.lazy.map { $0 })
        #expect(compressed == Snappy.compress(input))
        var output = ContiguousArray<UInt8>()
        try Snappy.decompress(compressed.lazy.map { $0 }, into: &output, maximumLength: input.count)
        #expect(Array(output) == input)
    }

    @Test func allFourElementKindsDecode() throws {
        // "abcd" literal, then copies of "abcd" with a 1-, 2- and 4-byte offset, and a copy of
        // length 1 with offset 1 ("d").
        let compressed: [UInt8] = [
            17, 0x0C, 0x61, 0x62, 0x63, 0x64,
            0x01, 0x04,  // copy 4, offset 4 (1-byte offset)
            0x0E, 0x08, 0x00,  // copy 4, offset 8 (2-byte offset)
            0x0F, 0x0C, 0x00, 0x00, 0x00,  // copy 4, offset 12 (4-byte offset)
            0x03, 0x01, 0x00, 0x00, 0x00,  // copy 1, offset 1
        ]
        var output = ContiguousArray<UInt8>()
        try Snappy.decompress(compressed, into: &output, maximumLength: 100)
        #expect(Array(output) == Array("abcdabcdabcdabcdd".utf8))
    }

    @Test func overlappingCopiesOfEveryShortOffset() throws {
        // A literal of `offset` bytes, then a 64-byte copy at that offset, near the end of the
        // output (no slack) and with room after it.
        for offset in 1...16 {
            for trailing in [0, 40] {
                let literal = (0..<offset).map { UInt8($0 + 0x41) }
                let length = offset + 64 + trailing
                var compressed: [UInt8] = []
                var varint = length
                while varint >= 0x80 {
                    compressed.append(UInt8(varint & 0x7F) | 0x80)
                    varint >>= 7
                }
                compressed.append(UInt8(varint))
                compressed.append(UInt8((offset - 1) << 2))
                compressed += literal
                compressed += [0x02 | 63 << 2, UInt8(offset), 0]
                if trailing > 0 { compressed += [UInt8((trailing - 1) << 2)] + [UInt8](repeating: 0x7A, count: trailing) }
                var output = ContiguousArray<UInt8>()
                try Snappy.decompress(compressed, into: &output, maximumLength: length)
                let expected = (0..<(offset + 64)).map { literal[$0 % offset] } + [UInt8](repeating: 0x7A, count: trailing)
                #expect(Array(output) == expected, "offset \(offset), trailing \(trailing)")
            }
        }
    }
}
