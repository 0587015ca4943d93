import Sampler
import Testing
import TestSupport

/// `RejectionThreshold`: the examples of the specification ("TraceState: Probability Sampling" and
/// "TraceState Handling"), and the conversions checked against Python on random probabilities.
@Suite struct RejectionThresholdTests {
    /// The specification's table of 1-in-N probabilities: `th` at precision 3, 4 and 5.
    static let specificationTable: [(probability: Double, th: [String])] = [
        (1, ["0", "0", "0"]),
        (0.5, ["8", "8", "8"]),
        (1.0 / 3, ["aab", "aaab", "aaaab"]),
        (0.25, ["c", "c", "c"]),
        (0.2, ["ccd", "cccd", "ccccd"]),
        (0.125, ["e", "e", "e"]),
        (0.1, ["e66", "e666", "e6666"]),
        (0.0625, ["f", "f", "f"]),
        (0.01, ["fd71", "fd70a", "fd70a4"]),
        (0.001, ["ffbe7", "ffbe77", "ffbe76d"]),
        (0.0001, ["fff972", "fff9724", "fff97247"]),
        (0.00001, ["ffff584", "ffff583a", "ffff583a5"]),
        (0.000001, ["ffffef4", "ffffef39", "ffffef391"]),
    ]

    @Test func specificationTable() throws {
        for (probability, expected) in Self.specificationTable {
            let computed = try (3...5).map { try RejectionThreshold(probability: probability, precision: $0).th }
            #expect(computed == expected, "probability \(probability)")
        }
    }

    @Test func specificationExamples() throws {
        // "if the sampling probability is 1% …, the rejection threshold with 5 digits of precision
        // would be (1-0.01) * 2^56 ≈ 71337018784743424 = 0xfd70a400000000", written `th:fd70a4`.
        let onePercent = try RejectionThreshold(probability: 0.01, precision: 5)
        #expect(onePercent.rawValue == 71_337_018_784_743_424 && onePercent.rawValue == 0xfd70a4_0000_0000)
        #expect(onePercent.th == "fd70a4")
        // `ot=th:c`: c0000000000000, a rejection probability of 75%, a sampling probability of 25%.
        let quarter = try #require(RejectionThreshold(th: "c"))
        #expect(quarter.rawValue == 0xc0_0000_0000_0000 && quarter.probability == 0.25 && quarter.adjustedCount == 4)
        // `th:0`: 100% sampling.
        #expect(RejectionThreshold(th: "0") == .alwaysSample && RejectionThreshold.alwaysSample.adjustedCount == 1)
        #expect(RejectionThreshold(th: "8")?.adjustedCount == 2)
        // The table's exact adjusted counts of 1/3 at precision 3, 4 and 5.
        for (precision, count) in [(3, 3.0007326007326007), (4, 3.00004577706569), (5, 3.0000028610256777)] {
            let threshold = try RejectionThreshold(probability: 1.0 / 3, precision: precision)
            #expect(abs(threshold.adjustedCount - count) <= count * 0x1p-50)
        }
    }

    @Test func encodingAndDecodingAreExact() {
        var random = SplitMix64(state: 0x7E5_0001)
        for _ in 0..<10_000 {
            // Thresholds with any number of trailing (and leading) zero digits.
            let value = random.next() >> (8 + 4 * (random.next() % 14))
            let raw = (value << (4 * (random.next() % 14))) & (RejectionThreshold.maxAdjustedCount - 1)
            let threshold = RejectionThreshold(rawValue: raw)!
            let th = threshold.th
            #expect(RejectionThreshold(th: th) == threshold)
            #expect((1...14).contains(th.count) && (th == "0" || !th.hasSuffix("0")))
        }
        #expect(RejectionThreshold(rawValue: 1 << 46)?.th == "004")  // leading zeros are kept
        #expect(RejectionThreshold(rawValue: 1)?.th == "00000000000001")
        #expect(RejectionThreshold(th: "ffffffffffffff")?.rawValue == RejectionThreshold.maxAdjustedCount - 1)
        #expect(RejectionThreshold(th: "80")?.rawValue == 0x80_0000_0000_0000)  // trailing zeros are allowed
        #expect(RejectionThreshold(rawValue: RejectionThreshold.maxAdjustedCount) == nil)
        for invalid in ["", "C", "0x8", "g", "fffffffffffffff", " 8", "8 ", "+8", "-0"] {
            #expect(RejectionThreshold(th: invalid) == nil, "\(invalid)")
        }
    }

    @Test func configurationErrors() {
        for probability in [0, 0x1p-57, -0.5, 1.5, .nan] {
            #expect(throws: SamplerConfigurationError.self) { try RejectionThreshold(probability: probability, precision: 4) }
            #expect(throws: SamplerConfigurationError.self) { try RejectionThreshold(probability: probability) }
        }
        #expect(throws: SamplerConfigurationError.precisionOutOfRange(0)) { try RejectionThreshold(probability: 0.5, precision: 0) }
        #expect(throws: SamplerConfigurationError.precisionOutOfRange(13)) { try RejectionThreshold(probability: 0.5, precision: 13) }
    }

    /// Probabilities from 2^-56 to 1: uniform, and uniform in each binade, and near the ends.
    static func probabilities(count: Int) -> [Double] {
        var random = SplitMix64(state: 0x9B0_B4B1)
        var probabilities: [Double] = [1, 0x1p-56, 0.5, 1.0 / 3, 1 - 0x1p-53, 1 - 0x1p-40, 0x1p-56 * 3, 0.999_999]
        while probabilities.count < count {
            let uniform = Double(random.next() >> 11) * 0x1p-53
            let scaled = uniform * Double(sign: .plus, exponent: -Int(random.next() % 57), significand: 1)
            for p in [uniform, scaled, 1 - scaled] where p >= 0x1p-56 && p <= 1 { probabilities.append(p) }
        }
        return probabilities
    }

    /// The specification's algorithm, written again in Python from its text with `float.hex`, for
    /// each probability and precision; a result with no digit left is `0`.
    @Test func precisionRoundingAsTheSpecificationsAlgorithm() async throws {
        let program = """
            import math, sys
            for line in sys.stdin:
                text, precision = line.split()
                probability, precision = float(text), int(precision)
                if probability == 1:
                    print("0")
                    continue
                _, exponent = math.frexp(probability)
                digits = max(1, min(12, precision + exponent // -4))
                rejection = 2 - probability
                rejection += math.ldexp(0.5, -4 * digits)
                fraction = "f" * 13 if rejection >= 2.0 else rejection.hex()[4:-3]
                print(fraction[:digits].rstrip("0") or "0")
            """
        var cases: [(Double, Int)] = []
        for (index, probability) in Self.probabilities(count: 30_000).enumerated() { cases.append((probability, index % 12 + 1)) }
        let expected = try await Oracles.python(program, input: cases.map { "\($0.0) \($0.1)\n" }.joined())
        try #require(expected.count == cases.count)
        var mismatches = 0
        for ((probability, precision), oracle) in zip(cases, expected) {
            let ours = try RejectionThreshold(probability: probability, precision: precision).th
            if ours != oracle {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(probability) at \(precision): ours \(ours), Python \(oracle)") }
            }
        }
        #expect(mismatches == 0)
    }

    /// Full precision: `2^56 - round(p · 2^56)`, the product rounded half up, computed in Python
    /// with exact fractions, and written as 14 digits without the trailing zeros.
    @Test func fullPrecisionAsExactArithmetic() async throws {
        let program = """
            import math, sys
            from fractions import Fraction
            for line in sys.stdin:
                kept = math.floor(Fraction(float(line)) * 2**56 + Fraction(1, 2))
                print(format(2**56 - kept, "014x").rstrip("0") or "0")
            """
        var probabilities = Self.probabilities(count: 30_000)
        // Products that end in exactly one half: ties.
        probabilities += [0x1p-57 * 3, 0x1p-57 * 5, 0x1p-5 + 0x1p-57, 0x1p-10 - 0x1p-57]
        let expected = try await Oracles.python(program, input: probabilities.map { "\($0)\n" }.joined())
        try #require(expected.count == probabilities.count)
        let ours = try probabilities.map { try RejectionThreshold(probability: $0).th }
        #expect(ours == expected)
        #expect(try RejectionThreshold(probability: 1.0 / 3).th == "aaaaaaaaaaaaac")  // the double 1/3 is below 1/3
        #expect(try RejectionThreshold(probability: 0x1p-56).th == "ffffffffffffff")
    }

    @Test func samplesWhenRandomnessReachesTheThreshold() throws {
        let threshold = try #require(RejectionThreshold(th: "8"))
        #expect(threshold.samples(Randomness(rawValue: 0x80_0000_0000_0000)!))
        #expect(!threshold.samples(Randomness(rawValue: 0x7f_ffff_ffff_ffff)!))
        #expect(RejectionThreshold.alwaysSample.samples(Randomness(rawValue: 0)!))
    }
}
