import Sampler
import Testing
import TestSupport
import W3CTraceContext

/// `ProbabilitySampler`: `R >= T` with `R` from `rv` or the trace id, `th` written on sampled
/// spans and erased on others, other `tracestate` content kept.
@Suite struct ProbabilitySamplerTests {
    static let half = try! ProbabilitySampler(ratio: 0.5)
    static let spanID = SpanID(rawValue: 0x00f0_67aa_0ba9_02b7)

    static func parent(_ traceID: TraceID, _ traceState: String, flags: TraceFlags = .sampled) throws -> ParentSpanContext {
        .remote(TraceContext(traceID: traceID, spanID: spanID, flags: flags, traceState: try TraceState(parsing: traceState)))
    }

    @Test func randomnessIsTheLast56BitsOfTheTraceID() {
        // The first of the last eight bytes does not count: R is 0x80000000000000 and 0x7fffffffffffff.
        let sampled = Self.half.shouldSample(parent: nil, traceID: TraceID(high: 0, low: 0x0080_0000_0000_0000))
        #expect(sampled.decision == .recordAndSample && sampled.traceState.headerValue == "ot=th:8")
        let dropped = Self.half.shouldSample(parent: nil, traceID: TraceID(high: .max, low: 0xff7f_ffff_ffff_ffff))
        #expect(dropped.decision == .drop && dropped.traceState.isEmpty)
    }

    /// The specification's example: `rv:6e6d1a75832a2f` is sampled by thresholds from
    /// 0x6e6d1a75832a2f down to 0, in place of the trace id's randomness.
    @Test func explicitRandomnessComesBeforeTheTraceID() throws {
        let atRandomness = ProbabilitySampler(threshold: try #require(RejectionThreshold(rawValue: 0x6e_6d1a_7583_2a2f)))
        let above = ProbabilitySampler(threshold: try #require(RejectionThreshold(rawValue: 0x6e_6d1a_7583_2a30)))
        // The trace id alone would be sampled by neither (R = 0) or both (R = 2^56 - 1).
        for low: UInt64 in [0, .max] {
            let parent = try Self.parent(TraceID(high: 1, low: low), "ot=rv:6e6d1a75832a2f")
            let sampled = atRandomness.shouldSample(parent: parent, traceID: parent.traceContext.traceID)
            #expect(sampled.decision == .recordAndSample)
            #expect(sampled.traceState.headerValue == "ot=rv:6e6d1a75832a2f;th:6e6d1a75832a2f")
            let dropped = above.shouldSample(parent: parent, traceID: parent.traceContext.traceID)
            #expect(dropped.decision == .drop && dropped.traceState.headerValue == "ot=rv:6e6d1a75832a2f")
        }
    }

    @Test func thresholdWrittenOnSampledSpansAndErasedOnOthers() throws {
        let sampledID = TraceID(high: 1, low: 0x00ff_ffff_ffff_ffff)
        let droppedID = TraceID(high: 1, low: 0x0000_0000_0000_0001)
        // The parent's own threshold and sampled flag do not count.
        let parentState = "vendor=1,ot=p:8;th:f;k:v,other=2"
        let sampled = Self.half.shouldSample(parent: try Self.parent(sampledID, parentState, flags: []), traceID: sampledID)
        #expect(sampled.decision == .recordAndSample)
        #expect(sampled.traceState.headerValue == "ot=p:8;k:v;th:8,vendor=1,other=2")
        let dropped = Self.half.shouldSample(parent: try Self.parent(droppedID, parentState), traceID: droppedID)
        #expect(dropped.decision == .drop && dropped.traceState.headerValue == "ot=p:8;k:v,vendor=1,other=2")
        // An `ot` with nothing left goes.
        let alone = Self.half.shouldSample(parent: try Self.parent(droppedID, "vendor=1,ot=th:8"), traceID: droppedID)
        #expect(alone.traceState.headerValue == "vendor=1")
        // Already right: the list is passed on as it is, in its order.
        for (traceID, state) in [(sampledID, "vendor=1,ot=th:8"), (droppedID, "vendor=1,ot=p:8")] {
            let result = Self.half.shouldSample(parent: try Self.parent(traceID, state), traceID: traceID)
            #expect(result.traceState.headerValue == state)
        }
    }

    @Test func aMalformedEntryIsIgnoredAndDropped() throws {
        let sampledID = TraceID(high: 1, low: 0x00ff_ffff_ffff_ffff)
        let droppedID = TraceID(high: 1, low: 1)
        for malformed in ["ot=th:zz", "ot=rv:00000000000000;th:0;th:0", "ot=rv:1", "ot=a b"] {
            let state = "vendor=1," + malformed
            let sampled = Self.half.shouldSample(parent: try Self.parent(sampledID, state), traceID: sampledID)
            #expect(sampled.decision == .recordAndSample && sampled.traceState.headerValue == "ot=th:8,vendor=1", "\(malformed)")
            let dropped = Self.half.shouldSample(parent: try Self.parent(droppedID, state), traceID: droppedID)
            #expect(dropped.decision == .drop && dropped.traceState.headerValue == "vendor=1", "\(malformed)")
        }
    }

    /// A trace sampled at one probability is sampled at every higher one, and the adjusted counts
    /// of the sampled spans add up to about the number of spans.
    @Test func consistentAcrossProbabilitiesWithUnbiasedAdjustedCounts() throws {
        let samplers = try [1, 0.5, 1.0 / 3, 0.1, 0.01, 0.001].map { try ProbabilitySampler(ratio: $0) }
        var random = SplitMix64(state: 0xC0_5157)
        let count = 100_000
        var sampled = [Int](repeating: 0, count: samplers.count)
        var estimates = [Double](repeating: 0, count: samplers.count)
        for _ in 0..<count {
            let traceID = TraceID.random(using: &random)
            var previous = true
            for (index, sampler) in samplers.enumerated() {
                let result = sampler.shouldSample(parent: nil, traceID: traceID)
                let isSampled = result.decision == .recordAndSample
                #expect(previous || !isSampled)
                previous = isSampled
                if isSampled {
                    sampled[index] += 1
                    let threshold = try #require(try result.traceState.openTelemetryState()?.threshold)
                    estimates[index] += threshold.adjustedCount
                }
            }
        }
        for (index, sampler) in samplers.enumerated() {
            let p = sampler.threshold.probability
            let deviation = 5 * (Double(count) * p * (1 - p)).squareRoot() + 1
            #expect(abs(Double(sampled[index]) - Double(count) * p) <= deviation, "\(sampler)")
            #expect(abs(estimates[index] - Double(count)) <= deviation / p, "\(sampler)")
        }
    }

    @Test func configuration() throws {
        #expect(throws: SamplerConfigurationError.ratioOutOfRange(0)) { try ProbabilitySampler(ratio: 0) }
        #expect(throws: SamplerConfigurationError.precisionOutOfRange(13)) { try ProbabilitySampler(ratio: 0.5, precision: 13) }
        #expect(try ProbabilitySampler(ratio: 0.1).threshold.th == "e666")
        #expect(try ProbabilitySampler(ratio: 0.1, precision: 2).threshold.th == "e6")
        #expect(try ProbabilitySampler(ratio: 0.25).description == "ProbabilitySampler{0.25}")
    }
}
