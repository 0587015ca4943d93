import Foundation
import TestSupport
import Testing

@testable import FaroModel

/// XXH3-64 against published reference values, the hashes Alloy emitted, and the `xxhash` package.
struct XXH3Tests {
    /// The buffer of xxHash's sanity check (`XSUM_fillTestBuffer` in cli/xsum_sanity_check.c):
    /// byte `i` is the top byte of `2654435761 * 11400714785074694797^i` (mod 2^64).
    static func sanityBuffer(count: Int) -> [UInt8] {
        var generator: UInt64 = 2_654_435_761
        return (0..<count).map { _ in
            defer { generator &*= 11_400_714_785_074_694_797 }
            return UInt8(truncatingIfNeeded: generator >> 56)
        }
    }

    /// Seed-0 rows of `XSUM_XXH3_testdata` in xxHash's cli/xsum_sanity_check.c: (length, XXH3_64bits).
    static let sanityVectors: [(length: Int, hash: UInt64)] = [
        (0, 0x2D06_8005_38D3_94C2),  // empty
        (1, 0xC44B_DFF4_074E_ECDB),  // 1-3
        (6, 0x27B5_6A84_CD2D_7325),  // 4-8
        (12, 0xA713_DAF0_DFBB_77E7),  // 9-16
        (24, 0xA3FE_70BF_9D35_10EB),  // 17-32
        (48, 0x397D_A259_ECBA_1F11),  // 33-64
        (80, 0xBCDE_FBBB_2C47_C90A),  // 65-96
        (195, 0xCD94_217E_E362_EC3A),  // 129-240
        (403, 0xCDEB_804D_65C6_DEA4),  // one block, overlapping last stripe
        (512, 0x617E_4959_9013_CB6B),  // one block, ending on a stripe boundary
        (2048, 0xDD59_E2C3_A5F0_38E0),  // two blocks, ending on a block boundary
        (2099, 0xC6B9_D9B3_FC9A_C765),  // two blocks and a partial one
        (2240, 0x6E73_A905_39CF_2948),  // three blocks, ending on a stripe boundary
        (2367, 0xCB37_AEB9_E5D3_61ED),  // three blocks, overlapping last stripe
    ]

    @Test func emptyInput() {
        #expect(XXH3.hash64("") == 0x2D06_8005_38D3_94C2)
        #expect(XXH3.hash64(UnsafeRawBufferPointer(start: nil, count: 0)) == 0x2D06_8005_38D3_94C2)
    }

    @Test(arguments: sanityVectors.map(\.length))
    func referenceSanityVector(length: Int) {
        let expected = Self.sanityVectors.first { $0.length == length }!.hash
        let buffer = Self.sanityBuffer(count: length)
        #expect(buffer.withUnsafeBytes { XXH3.hash64($0) } == expected)
    }

    /// The `hash` values Alloy put on these exceptions' values.
    @Test func alloyExceptionHashes() {
        #expect(XXH3.hash64("Cannot read property 'find' of undefined") == 2_735_541_995_122_471_342)
        #expect(XXH3.hash64("Cannot read properties of undefined (reading 'total')") == 10_154_177_574_515_962_953)
    }

    @Test func stringHashesItsUTF8Bytes() {
        for text in ["a", "héllo wörld", "日本語のテキスト", String(repeating: "🙂 ", count: 100)] {
            let bytes = Array(text.utf8)
            #expect(XXH3.hash64(text) == bytes.withUnsafeBytes { XXH3.hash64($0) })
        }
    }

    /// Every length class read at every misalignment gives the same hash as an aligned copy.
    @Test func unalignedInput() {
        let buffer = Self.sanityBuffer(count: 2_500)
        for length in [0, 1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241, 1_024, 2_367] {
            for shift in 0..<8 {
                let slice = buffer.withUnsafeBytes {
                    XXH3.hash64(UnsafeRawBufferPointer(rebasing: $0[shift..<(shift + length)]))
                }
                let copy = Array(buffer[shift..<(shift + length)]).withUnsafeBytes { XXH3.hash64($0) }
                #expect(slice == copy, "length \(length), shift \(shift)")
            }
        }
    }

    /// Compares a few hundred pseudo-random inputs (every length 0...300, boundaries of the long
    /// path, and random lengths of 1000...5000 bytes) with `xxhash.xxh3_64_intdigest` in one batch.
    @Test func matchesPythonXXHash() async throws {
        var generator = SplitMix64(state: 0x5EED)
        var lengths = Array(0...300)
        lengths += [319, 320, 321, 383, 384, 385, 1_023, 1_024, 1_025, 1_087, 1_088, 1_089, 2_047, 2_048, 2_049, 4_096]
        lengths += (0..<50).map { _ in Int.random(in: 1_000...5_000, using: &generator) }
        let inputs = lengths.map { length in (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) } }

        var hexLines: [UInt8] = []
        let digits = Array("0123456789abcdef".utf8)
        for input in inputs {
            for byte in input {
                hexLines += [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
            }
            hexLines.append(UInt8(ascii: "\n"))
        }
        let code = """
            import sys, xxhash
            for line in sys.stdin.read().split("\\n")[:-1]:
                print(xxhash.xxh3_64_intdigest(bytes.fromhex(line)))
            """
        let output = try await TestEnvironment.runPython(code: code, input: Data(hexLines))
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map { UInt64($0) }
        try #require(expected.count == inputs.count)
        let mismatches = zip(inputs, expected).filter { input, oracle in
            input.withUnsafeBytes { XXH3.hash64($0) } != oracle
        }
        #expect(mismatches.isEmpty, "lengths that differ from xxhash: \(mismatches.prefix(20).map(\.0.count))")
    }
}
