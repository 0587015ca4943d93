import Sampler
import Testing
import W3CTraceContext

/// `ParentThresholdSampler`: the root's decision for root spans, else the parent's, with its
/// threshold kept when it is consistent and erased otherwise.
@Suite struct ParentThresholdSamplerTests {
    static let sampler = ParentThresholdSampler(root: try! ProbabilitySampler(ratio: 0.25))
    /// R = 0xd0000000000000, which thresholds up to d (probability 3/16) sample.
    static let traceID = TraceID(high: 7, low: 0x00d0_0000_0000_0000)

    static func child(of state: String, flags: TraceFlags, spanID: SpanID = SpanID(rawValue: 1)) throws -> SamplingResult {
        let parent = TraceContext(traceID: traceID, spanID: spanID, flags: flags, traceState: try TraceState(parsing: state))
        return sampler.shouldSample(parent: .local(parent), traceID: traceID)
    }

    @Test func rootSpansAreDecidedByTheRoot() throws {
        let root = Self.sampler.shouldSample(parent: nil, traceID: Self.traceID)
        #expect(root == SamplingResult(decision: .recordAndSample, traceState: try TraceState(parsing: "ot=th:c")))
        // A parent with an invalid span id counts as none.
        #expect(try Self.child(of: "", flags: [], spanID: .invalid) == root)
        #expect(Self.sampler.description == "ParentThreshold{root:ProbabilitySampler{0.25}}")
    }

    @Test func aSampledParentsConsistentThresholdIsKept() throws {
        for state in ["ot=th:c,vendor=1", "vendor=1,ot=th:d;x:1", "ot=th:0", "vendor=1", ""] {
            let child = try Self.child(of: state, flags: .sampled)
            #expect(child.decision == .recordAndSample && child.traceState.headerValue == state)
        }
    }

    @Test func anInconsistentThresholdIsErased() throws {
        // R < T: the parent could not have sampled at that threshold.
        let child = try Self.child(of: "vendor=1,ot=th:e;x:1", flags: .sampled)
        #expect(child.decision == .recordAndSample && child.traceState.headerValue == "ot=x:1,vendor=1")
        // With an explicit randomness, that is what counts.
        let explicit = try Self.child(of: "ot=th:e;rv:f0000000000000", flags: .sampled)
        #expect(explicit.traceState.headerValue == "ot=th:e;rv:f0000000000000")
        let contradicted = try Self.child(of: "ot=th:c;rv:10000000000000", flags: .sampled)
        #expect(contradicted.traceState.headerValue == "ot=rv:10000000000000")
    }

    @Test func anUnsampledParentsChildIsNotSampledAndHasNoThreshold() throws {
        let child = try Self.child(of: "ot=th:c;x:1,vendor=1", flags: .random)
        #expect(child.decision == .drop && child.traceState.headerValue == "ot=x:1,vendor=1")
        let plain = try Self.child(of: "vendor=1", flags: [])
        #expect(plain.decision == .drop && plain.traceState.headerValue == "vendor=1")
    }

    @Test func aMalformedEntryIsDropped() throws {
        let child = try Self.child(of: "vendor=1,ot=th:c;th:c", flags: .sampled)
        #expect(child.decision == .recordAndSample && child.traceState.headerValue == "vendor=1")
    }
}
