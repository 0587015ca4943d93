import Foundation
import Sampler
import Testing
import TestSupport
import W3CTraceContext

/// `TraceIDRatioBasedSampler` against OpenTelemetry Python's `TraceIdRatioBased`
/// (`../shared/oracles/sampler.py`): the same bound and the same decision for every trace id.
@Suite struct TraceIDRatioBasedSamplerTests {
    /// Ratios whose bound is exact, zero, 2^64, or where `round(ratio · 2^64)` is a tie or close to
    /// one (ties go to even), and ordinary ones.
    static let ratios: [Double] = [
        0, 1, 0.5, 1.0 / 3, 0.1, 0.0001, 0.999, 1 - 0x1p-53, .leastNonzeroMagnitude, 1e-300,
        0x1p-65,  // bound 0.5: a tie, to 0
        0x1.8p-64,  // 1.5: a tie, to 2
        0x1.4p-63,  // 2.5: a tie, to 2
        0x1p-64,  // 1
        0x1p-13 + 0x1p-65,  // 2^51 + 0.5: a tie, to 2^51
        0x1p-13 + 0x1.8p-64,  // 2^51 + 1.5: a tie, to 2^51 + 2
        0x1p-12 - 0x1p-66,  // 2^52 - 0.25
        0.123456789e-5,
    ]

    @Test(arguments: ratios)
    func sameBoundAndDecisionsAsOpenTelemetryPython(ratio: Double) async throws {
        let sampler = try TraceIDRatioBasedSampler(ratio: ratio)
        #expect(String(sampler.bound) == (try await Oracles.bound(ratio: ratio)))
        var random = SplitMix64(state: 0x5A3_9E11 ^ ratio.bitPattern)
        var traceIDs = (0..<100_000).map { _ in TraceID.random(using: &random) }
        // Ids on either side of the bound, whose decisions a wrong bound would change.
        for offset: Int128 in -2...2 {
            let low = Int128(sampler.bound) + offset
            if low >= 0, low <= Int128(UInt64.max) { traceIDs.append(TraceID(high: random.next(), low: UInt64(low))) }
        }
        traceIDs += [TraceID(high: 0, low: 0), TraceID(high: .max, low: .max), TraceID(high: 1, low: 0)]
        let expected = try await Oracles.ratioDecisions(ratio: ratio, traceIDs: traceIDs)
        try #require(expected.count == traceIDs.count)
        var mismatches = 0
        for (traceID, oracle) in zip(traceIDs, expected) {
            let ours = sampler.shouldSample(parent: nil, traceID: traceID).decision == .recordAndSample
            if ours != oracle {
                mismatches += 1
                if mismatches <= 5 { Issue.record("ratio \(ratio), trace id \(traceID): ours \(ours), OpenTelemetry \(oracle)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func descriptionsAsOpenTelemetryPython() async throws {
        let ratios = Self.ratios.filter { $0 >= 1e-300 }
        let program = """
            import sys
            from opentelemetry.sdk.trace.sampling import ALWAYS_ON, ALWAYS_OFF, TraceIdRatioBased
            print(ALWAYS_ON.get_description())
            print(ALWAYS_OFF.get_description())
            for line in sys.stdin:
                print(TraceIdRatioBased(float(line)).get_description())
            """
        let expected = try await Oracles.python(program, input: ratios.map { "\($0)\n" }.joined())
        let ours = [AlwaysOnSampler().description, AlwaysOffSampler().description]
            + (try ratios.map { try TraceIDRatioBasedSampler(ratio: $0).description })
        #expect(ours == expected)
    }

    @Test func ratiosOutsideZeroToOneAreRejected() {
        for ratio in [-0.1, 1.000_000_1, .nan, .infinity, -.infinity] {
            #expect(throws: SamplerConfigurationError.self) { try TraceIDRatioBasedSampler(ratio: ratio) }
        }
    }

    @Test func parentIgnoredAndTraceStatePassedOn() throws {
        let sampler = try TraceIDRatioBasedSampler(ratio: 0.5)
        let state = try TraceState(parsing: "ot=th:c,vendor=x")
        let sampledID = TraceID(high: 1, low: 1 << 62)  // below 2^63
        let droppedID = TraceID(high: 1, low: 1 << 63)
        let unsampledParent = ParentSpanContext.remote(
            TraceContext(traceID: sampledID, spanID: SpanID(rawValue: 7), flags: [], traceState: state))
        let sampled = sampler.shouldSample(parent: unsampledParent, traceID: sampledID)
        #expect(sampled == SamplingResult(decision: .recordAndSample, traceState: state))
        var sampledParent = unsampledParent
        sampledParent.traceContext.traceID = droppedID
        sampledParent.traceContext.flags = .sampled
        #expect(sampler.shouldSample(parent: sampledParent, traceID: droppedID).decision == .drop)
        #expect(sampler.shouldSample(parent: nil, traceID: sampledID).traceState.isEmpty)
    }
}
