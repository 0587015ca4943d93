import Sampler
import Testing
import TestSupport
import W3CTraceContext

/// `ParentBasedSampler` against OpenTelemetry Python's `ParentBased`: the same delegate for each
/// kind of parent (none, invalid, remote or local, sampled or not), hence the same decisions and
/// `tracestate`, and the same description.
@Suite struct ParentBasedSamplerTests {
    /// Delegates whose decisions differ, so that a wrong choice of delegate shows.
    static let custom = ParentBasedSampler(
        root: try! TraceIDRatioBasedSampler(ratio: 0.5), remoteParentSampled: try! TraceIDRatioBasedSampler(ratio: 0.75),
        remoteParentNotSampled: try! TraceIDRatioBasedSampler(ratio: 0.25), localParentSampled: AlwaysOffSampler(),
        localParentNotSampled: AlwaysOnSampler())
    static let defaults = ParentBasedSampler(root: try! TraceIDRatioBasedSampler(ratio: 0.5))

    static let program = """
        import sys
        from opentelemetry import trace
        from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased, TraceIdRatioBased
        from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags, TraceState

        samplers = {
            "custom": ParentBased(TraceIdRatioBased(0.5), remote_parent_sampled=TraceIdRatioBased(0.75),
                                  remote_parent_not_sampled=TraceIdRatioBased(0.25),
                                  local_parent_sampled=ALWAYS_OFF, local_parent_not_sampled=ALWAYS_ON),
            "defaults": ParentBased(TraceIdRatioBased(0.5)),
        }
        print(samplers["custom"].get_description())
        print(samplers["defaults"].get_description())
        for line in sys.stdin:
            name, kind, flags, trace_id, span_id, state = line.rstrip("\\n").split("\\t")
            context = None
            if kind != "none":
                span_context = SpanContext(int(trace_id, 16), int(span_id, 16), is_remote=kind == "remote",
                                           trace_flags=TraceFlags(int(flags)),
                                           trace_state=TraceState.from_header([state]) if state else None)
                context = trace.set_span_in_context(NonRecordingSpan(span_context))
            result = samplers[name].should_sample(context, int(trace_id, 16), "span")
            header = result.trace_state.to_header() if result.trace_state is not None else ""
            print(result.decision.name, header, sep="\\t")
        """

    struct Case {
        var sampler: String
        var kind: String  // none, remote, local
        var context: TraceContext
    }

    @Test func sameDecisionsAsOpenTelemetryPython() async throws {
        var random = SplitMix64(state: 0x9A7E_27B5)
        let states = ["", "vendor=1", "ot=th:8,vendor=1"]
        let cases = (0..<20_000).map { _ in
            var spanID = SpanID(rawValue: random.next())
            if random.chance(10) { spanID = .invalid }  // an invalid parent counts as none
            let context = TraceContext(
                traceID: .random(using: &random), spanID: spanID, flags: TraceFlags(rawValue: UInt8(random.next() % 4)),
                traceState: try! TraceState(parsing: random.pick(states)))
            return Case(sampler: random.pick(["custom", "defaults"]), kind: random.pick(["none", "remote", "local"]), context: context)
        }
        let input = cases.map { c in
            [c.sampler, c.kind, "\(c.context.flags.rawValue)", c.context.traceID.description, c.context.spanID.description,
             c.context.traceState.headerValue].joined(separator: "\t") + "\n"
        }.joined()
        let output = try await Oracles.python(Self.program, input: input)
        try #require(output.count == cases.count + 2)
        #expect(output[0] == Self.custom.description)
        #expect(output[1] == Self.defaults.description)
        var mismatches = 0
        var decisions: [String: Int] = [:]
        for (c, oracle) in zip(cases, output.dropFirst(2)) {
            let parent: ParentSpanContext? =
                switch c.kind {
                case "remote": .remote(c.context)
                case "local": .local(c.context)
                default: nil
                }
            let result =
                c.sampler == "custom"
                ? Self.custom.shouldSample(parent: parent, traceID: c.context.traceID)
                : Self.defaults.shouldSample(parent: parent, traceID: c.context.traceID)
            let name =
                switch result.decision {
                case .drop: "DROP"
                case .recordOnly: "RECORD_ONLY"
                case .recordAndSample: "RECORD_AND_SAMPLE"
                }
            decisions[name, default: 0] += 1
            let ours = name + "\t" + result.traceState.headerValue
            if ours != oracle {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(c): ours \(ours), OpenTelemetry \(oracle)") }
            }
        }
        #expect(mismatches == 0)
        #expect(decisions["DROP", default: 0] > 5_000 && decisions["RECORD_AND_SAMPLE", default: 0] > 5_000)
    }

    @Test func defaultsFollowTheParentsSampledFlag() {
        let sampler = ParentBasedSampler(root: AlwaysOffSampler())
        let traceID = TraceID(high: 1, low: 2)
        let sampled = TraceContext(traceID: traceID, spanID: SpanID(rawValue: 3), flags: .sampled)
        let unsampled = TraceContext(traceID: traceID, spanID: SpanID(rawValue: 3), flags: .random)
        #expect(sampler.shouldSample(parent: nil, traceID: traceID).decision == .drop)
        #expect(sampler.shouldSample(parent: .remote(sampled), traceID: traceID).decision == .recordAndSample)
        #expect(sampler.shouldSample(parent: .local(sampled), traceID: traceID).decision == .recordAndSample)
        #expect(sampler.shouldSample(parent: .remote(unsampled), traceID: traceID).decision == .drop)
        #expect(sampler.shouldSample(parent: .local(unsampled), traceID: traceID).decision == .drop)
    }
}
