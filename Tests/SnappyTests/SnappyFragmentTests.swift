import Testing

@testable import Snappy

/// Compression of a block given in fragments (`beginFragments(totalLength:into:)` and
/// `compressFragment(_:into:)`): the same bytes as compressing the whole input at once.
@Suite struct SnappyFragmentTests {
    /// Compresses `input`, the whole of a block begun for it, in fragments of `Snappy.blockSize`.
    static func compressFragments(of input: [UInt8], with compressor: inout SnappyCompressor, into output: inout ContiguousArray<UInt8>) {
        #expect(compressor.remainingFragmentLength == input.count)
        input.withUnsafeBytes { bytes in
            for start in stride(from: 0, to: input.count, by: Snappy.blockSize) {
                let end = min(start + Snappy.blockSize, input.count)
                compressor.compressFragment(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: &output)
                #expect(compressor.remainingFragmentLength == input.count - end)
            }
        }
    }

    /// `input` compressed in fragments by a new compressor, appended to `prefix`.
    static func compressedInFragments(_ input: [UInt8], after prefix: [UInt8] = []) -> ContiguousArray<UInt8> {
        var compressor = SnappyCompressor()
        var output = ContiguousArray(prefix)
        compressor.beginFragments(totalLength: input.count, into: &output)
        compressFragments(of: input, with: &compressor, into: &output)
        return output
    }

    @Test(arguments: SnappyInputs.all.map(\.0))
    func fragmentsGiveTheOneShotBytes(name: String) throws {
        let input = try #require(SnappyInputs.all.first { $0.0 == name }?.1)
        #expect(Self.compressedInFragments(input) == Snappy.compress(input))
    }

    @Test func fragmentsAppendAfterWhatTheOutputHeld() {
        let input = SnappyInputs.logLines(count: 600, seed: 21)
        let prefix: [UInt8] = [1, 2, 3]
        #expect(Self.compressedInFragments(input, after: prefix) == ContiguousArray(prefix) + Snappy.compress(input))
    }

    @Test func anEmptyBlockIsItsHeader() {
        #expect(Array(Self.compressedInFragments([])) == [0x00])
    }

    @Test func beginningReservesTheWholeBlock() {
        let input = SnappyInputs.random(count: 3 * Snappy.blockSize + 17, seed: 22)
        var compressor = SnappyCompressor()
        var output = ContiguousArray<UInt8>()
        compressor.beginFragments(totalLength: input.count, into: &output)
        let capacity = output.capacity
        Self.compressFragments(of: input, with: &compressor, into: &output)
        #expect(output.capacity == capacity)
        #expect(output == Snappy.compress(input))
    }

    @Test func aCompressorKeepsWorkingAfterAFragmentedBlock() {
        let first = SnappyInputs.logLines(count: 300, seed: 23)
        let second = SnappyInputs.binary(count: 90_000, seed: 24)
        var compressor = SnappyCompressor()
        var output = ContiguousArray<UInt8>()
        compressor.beginFragments(totalLength: first.count, into: &output)
        Self.compressFragments(of: first, with: &compressor, into: &output)
        #expect(output == Snappy.compress(first))
        output.removeAll()
        compressor.compress(second, into: &output)
        #expect(output == Snappy.compress(second))
    }

    @Test func aShortFragmentBeforeTheLastIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            var compressor = SnappyCompressor()
            var output = ContiguousArray<UInt8>()
            compressor.beginFragments(totalLength: 2 * Snappy.blockSize, into: &output)
            [UInt8](repeating: 1, count: 100).withUnsafeBytes { compressor.compressFragment($0, into: &output) }
        }
    }

    @Test func aFragmentPastTheDeclaredLengthIsAProgrammingError() async {
        await #expect(processExitsWith: .failure) {
            var compressor = SnappyCompressor()
            var output = ContiguousArray<UInt8>()
            compressor.beginFragments(totalLength: 10, into: &output)
            [UInt8](repeating: 1, count: 11).withUnsafeBytes { compressor.compressFragment($0, into: &output) }
        }
    }
}
