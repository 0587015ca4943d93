import Foundation
@testable import Sampler
import Testing
import TestSupport

/// `SessionSampler`: FNV-1a and fmix64 as documented, the same as an implementation in Python,
/// the expected share of sessions kept, and the same decision for a session at every call.
@Suite struct SessionSamplerTests {
    /// The documented hash written again in Python, and its decision at each ratio:
    /// `hash < round(ratio * 2**64)`.
    static let program = """
        import json, sys
        MASK = 2**64 - 1
        def session_hash(session_id):
            h = 0xcbf29ce484222325
            for byte in session_id.encode("utf-8"):
                h = ((h ^ byte) * 0x100000001b3) & MASK
            h ^= h >> 33
            h = (h * 0xff51afd7ed558ccd) & MASK
            h ^= h >> 33
            h = (h * 0xc4ceb9fe1a85ec53) & MASK
            h ^= h >> 33
            return h
        request = json.load(sys.stdin)
        bounds = [round(ratio * 2**64) for ratio in request["ratios"]]
        for session_id in request["ids"]:
            h = session_hash(session_id)
            print(h, "".join("1" if h < bound else "0" for bound in bounds))
        """

    static func sessionIDs(count: Int) -> [String] {
        var random = SplitMix64(state: 0x5E55_1011)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var ids = ["", "a", "session-1", "session-2", "Ab12Cd34Ef", "é", "セッション", "🙂 id", "\u{0}", "tab\tand\nnewline"]
        while ids.count < count { ids.append(String((0..<10).map { _ in random.pick(alphabet) })) }
        return ids
    }

    @Test func sameHashAndDecisionsAsPython() async throws {
        let ratios = [0, 0.1, 0.5, 1.0 / 3, 0.999, 1]
        let ids = Self.sessionIDs(count: 100_000)
        let request = try JSONSerialization.data(withJSONObject: ["ids": ids, "ratios": ratios])
        let output = try await Oracles.python(Self.program, input: String(decoding: request, as: UTF8.self))
        try #require(output.count == ids.count)
        let samplers = try ratios.map { try SessionSampler(ratio: $0) }
        var mismatches = 0
        for (id, line) in zip(ids, output) {
            let ours = "\(SessionSampler.hash(sessionID: id)) " + samplers.map { $0.shouldSample(sessionID: id) ? "1" : "0" }.joined()
            if ours != line {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(id.debugDescription): ours \(ours), Python \(line)") }
            }
        }
        #expect(mismatches == 0)
    }

    /// FNV-1a's published test vectors (before the finalizer), and a few pinned hashes and
    /// decisions (computed in Python; `sameHashAndDecisionsAsPython` checks those ids too).
    @Test func pinnedValues() throws {
        #expect(SessionSampler.hash(utf8: [] as [UInt8]) == Self.fmix64(0xcbf2_9ce4_8422_2325))
        #expect(SessionSampler.hash(utf8: Array("a".utf8)) == Self.fmix64(0xaf63_dc4c_8601_ec8c))
        #expect(SessionSampler.hash(utf8: Array("foobar".utf8)) == Self.fmix64(0x8594_4171_f739_67e8))
        let half = try SessionSampler(ratio: 0.5)
        let pinned: [(String, UInt64)] = [
            ("session-1", 0xf267_abb3_2d45_0b1f), ("session-2", 0x2c14_1066_c5aa_3638), ("Ab12Cd34Ef", 0xebca_bc7c_4472_3135),
            ("セッション", 0x7acb_edee_9a42_9ad7),
        ]
        for (id, hash) in pinned {
            #expect(SessionSampler.hash(sessionID: id) == hash, "\(id)")
            #expect(half.shouldSample(sessionID: id) == (hash < 1 << 63), "\(id)")
            #expect(half.shouldSample(sessionID: id[...]) == half.shouldSample(sessionID: id))
        }
    }

    /// MurmurHash3's 64-bit finalizer.
    static func fmix64(_ value: UInt64) -> UInt64 {
        var h = value
        h = (h ^ h >> 33) &* 0xff51_afd7_ed55_8ccd
        h = (h ^ h >> 33) &* 0xc4ce_b9fe_1a85_ec53
        return h ^ h >> 33
    }

    @Test func keepsAboutTheRatioAndMoreAtHigherRatios() throws {
        let ids = Self.sessionIDs(count: 100_000)
        let samplers = try [0.01, 0.1, 0.25, 0.5, 0.9].map { try SessionSampler(ratio: $0) }
        var kept = [Int](repeating: 0, count: samplers.count)
        for id in ids {
            let decisions = samplers.map { $0.shouldSample(sessionID: id) }
            for (index, isKept) in decisions.enumerated() where isKept { kept[index] += 1 }
            // Kept at a ratio, kept at every higher one; and the same at every call.
            #expect(decisions == decisions.sorted { !$0 && $1 })
            #expect(decisions == samplers.map { $0.shouldSample(sessionID: id) })
        }
        for (sampler, count) in zip(samplers, kept) {
            let expected = Double(ids.count) * sampler.ratio
            #expect(abs(Double(count) - expected) <= 5 * (expected * (1 - sampler.ratio)).squareRoot(), "\(sampler)")
        }
        #expect(try SessionSampler(ratio: 0).shouldSample(sessionID: "x") == false)
        #expect(try SessionSampler(ratio: 1).shouldSample(sessionID: "x"))
        #expect(throws: SamplerConfigurationError.ratioOutOfRange(2)) { try SessionSampler(ratio: 2) }
    }
}
