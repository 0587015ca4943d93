import Foundation
import TestSupport
import Testing
import W3CTraceContext

private let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
private let uberTraceID = "a1ce929d0e0e4736a3ce929d0e0e4736:00f067aa0ba902b7:0:1"

/// The talk's gateway in front of RUM collectors: only `traceparent` and `uber-trace-id` pass,
/// and what comes from the API gateway is never trusted.
private let gatewayPolicy = PropagationPolicy(
    allowedHeaders: ["traceparent", "uber-trace-id"], defaultDecision: .trust,
    sources: ["api-gateway": .drop, "partner": .restart])

/// What a browser behind an API gateway sends: every kind of trace header, and others.
private let request: Fields = [
    ("Host", "collector.example"),
    ("TraceParent", traceparent),
    ("tracestate", "vendor=secret"),
    ("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"),
    ("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"),
    ("X-B3-Sampled", "1"),
    ("Content-Type", "application/json"),
    ("Uber-Trace-Id", uberTraceID),
    ("uberctx-user", "42"),
    ("Baggage", "user=42"),
    ("X-Request-ID", "1"),
    ("x-request-id", "2"),
]

private func lines(_ fields: [(name: String, value: String)]) -> [String] {
    fields.map { "\($0.name): \($0.value)" }
}

@Suite struct PropagationPolicyTests {
    @Test func aTrustedSourceKeepsTheAllowedHeadersAndLosesTheOthers() throws {
        let evaluation = gatewayPolicy.evaluate(request, from: "browser")
        #expect(
            lines(evaluation.forwardedFields) == [
                "Host: collector.example", "TraceParent: \(traceparent)", "Content-Type: application/json",
                "Uber-Trace-Id: \(uberTraceID)", "X-Request-ID: 1", "x-request-id: 2",
            ])
        // tracestate is not allowed, so not read: the context has none.
        #expect(evaluation.outcome == .trusted(TraceContext(traceparent: try Traceparent(parsing: traceparent))))
        #expect(evaluation.extraction.found == .context(TraceContext(traceparent: try Traceparent(parsing: traceparent)), format: .w3c))
    }

    @Test func onlyAllowedHeadersAreRead() throws {
        let jaegerOnly = PropagationPolicy(allowedHeaders: ["uber-trace-id"], defaultDecision: .trust)
        let evaluation = jaegerOnly.evaluate(request, from: "browser")
        #expect(evaluation.outcome == .trusted(TraceContext(uberTraceID: try UberTraceID(parsing: uberTraceID))))
        #expect(!evaluation.forwardedFields.contains { $0.name.lowercased() == "traceparent" })
        let nothingAllowed = PropagationPolicy(allowedHeaders: [], defaultDecision: .trust)
        let stripped = nothingAllowed.evaluate(request, from: "browser")
        #expect(stripped.outcome == .none)
        #expect(stripped.extraction.found == .none)
        #expect(lines(stripped.forwardedFields) == ["Host: collector.example", "Content-Type: application/json", "X-Request-ID: 1", "x-request-id: 2"])
    }

    @Test func allowListNamesMatchCaseInsensitively() {
        var policy = PropagationPolicy(allowedHeaders: ["TraceParent", "UBER-TRACE-ID"], defaultDecision: .trust)
        #expect(policy.allowedHeaders == ["traceparent", "uber-trace-id"])
        #expect(policy.evaluate([("TRACEPARENT", traceparent)] as Fields, from: "x").outcome != .none)
        policy.allowedHeaders = ["X-B3-TraceId", "X-B3-SpanId"]
        #expect(policy.allowedHeaders == ["x-b3-traceid", "x-b3-spanid"])
        let b3: Fields = [("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"), ("X-B3-SPANID", "e457b5a2e4d86bd1")]
        #expect(policy.evaluate(b3, from: "x").extraction.found.format == .b3Multiple)
        policy.traceHeaderPrefixes = ["X-Datadog-"]
        policy.traceHeaderNames.insert("X-Amzn-Trace-Id")
        let vendor: Fields = [("x-datadog-trace-id", "1"), ("X-AMZN-TRACE-ID", "Root=1"), ("x-b3-sampled", "1")]
        // x-b3-sampled is neither allowed nor a trace header any more: forwarded untouched.
        #expect(lines(policy.evaluate(vendor, from: "x").forwardedFields) == ["x-b3-sampled: 1"])
    }

    /// Names are screened by length and first letter before they are lowercased and looked up:
    /// the screen must pass every name the sets match, in any case, and keep up with changes.
    @Test func everyNameTheSetsMatchIsFoundWhateverItsCaseAndLength() {
        let long = "a-very-long-vendor-trace-header-name-of-seventy-bytes-or-so-0123456"
        var policy = PropagationPolicy(
            allowedHeaders: ["traceparent", "x-custom-context"], traceHeaderNames: ["b3", "x-amzn-trace-id", long],
            traceHeaderPrefixes: ["x-b3-", "ot-"], defaultDecision: .trust)
        func casings(_ name: String) -> [String] {
            let alternating = name.enumerated().map { $0.offset.isMultiple(of: 2) ? Character($0.element.uppercased()) : $0.element }
            return [name, name.uppercased(), String(alternating)]
        }
        // traceparent, allowed, comes once in each casing: three fields are no valid traceparent,
        // so not propagated, and a casing the screen missed would pass as another header.
        let stripped = ["b3", "x-amzn-trace-id", long, "x-b3-", "x-b3-sampled", "ot-", "ot-tracer-spanid", "traceparent"]
        let kept = ["x-custom-context"]
        // Same length or first letter as a name or prefix, or both, but not matched.
        let others = [
            "b4", "c3", "x-amzn-trace-ie", "y-amzn-trace-id", "x-b4-sampled", "x-b3", "o-", "ou-x", "host", "content-length", "tracepArenX", "",
        ]
        var fields: Fields = []
        for name in stripped + kept + others {
            for casing in Set(casings(name)) { fields.append((casing, "1")) }
        }
        let forwarded = Set(policy.evaluate(fields, from: "x").forwardedFields.map(\.name))
        let expected = Set((kept + others).flatMap(casings))
        #expect(forwarded == expected)

        // Sets changed after the policy was made are screened as well.
        policy.traceHeaderNames.insert("X-Cloud-Trace-Context")
        policy.traceHeaderPrefixes.insert("Z")
        policy.allowedHeaders.remove("x-custom-context")
        let later: Fields = [("x-cloud-trace-context", "1"), ("Zipkin-Span", "1"), ("x-custom-context", "1"), ("Host", "a")]
        #expect(lines(policy.evaluate(later, from: "x").forwardedFields) == ["x-custom-context: 1", "Host: a"])
        // An empty prefix makes every header not allowed a trace header.
        policy.traceHeaderPrefixes = [""]
        #expect(lines(policy.evaluate(later + [("TraceParent", traceparent)], from: "x").forwardedFields) == ["TraceParent: \(traceparent)"])
    }

    @Test func restartDrawsNewIDsAndKeepsTheOldContextAsLink() throws {
        let incoming: Fields = [("traceparent", traceparent), ("tracestate", "vendor=1"), ("x-request-id", "7")]
        let policy = PropagationPolicy(defaultDecision: .restart)
        var generator = SplitMix64(state: 42)
        let evaluation = policy.evaluate(incoming, from: "anyone", using: &generator)

        var expected = SplitMix64(state: 42)
        let traceID = TraceID.random(using: &expected)
        let spanID = SpanID.random(using: &expected)
        var link = TraceContext(traceparent: try Traceparent(parsing: traceparent))
        link.traceState = try TraceState(parsing: "vendor=1")
        #expect(
            evaluation.outcome
                == .restarted(new: TraceContext(traceID: traceID, spanID: spanID, flags: .random), link: link))
        guard case .restarted(let new, _) = evaluation.outcome else { return }
        #expect(new.traceState.isEmpty && !new.isSampled && new.parentSpanID == nil)
        #expect(new.traceID != link.traceID)
        // The incoming trace headers are not forwarded: the caller writes the new context's.
        #expect(lines(evaluation.forwardedFields) == ["x-request-id: 7"])
        #expect(lines(new.headerFields(in: .w3c)) == ["traceparent: 00-\(traceID)-\(spanID)-02"])
    }

    @Test func decisionsPerSource() {
        #expect(gatewayPolicy.decision(for: "api-gateway") == .drop)
        #expect(gatewayPolicy.decision(for: "partner") == .restart)
        #expect(gatewayPolicy.decision(for: "browser") == .trust)
        #expect(gatewayPolicy.decision(for: "API-GATEWAY") == .trust)

        let dropped = gatewayPolicy.evaluate(request, from: "api-gateway")
        #expect(dropped.outcome == .dropped)
        #expect(lines(dropped.forwardedFields) == ["Host: collector.example", "Content-Type: application/json", "X-Request-ID: 1", "x-request-id: 2"])
        guard case .restarted(_, let link) = gatewayPolicy.evaluate(request, from: "partner").outcome else {
            Issue.record("not restarted")
            return
        }
        #expect(link.traceparent.headerValue == traceparent)
    }

    @Test(arguments: [PropagationPolicy.TrustDecision.trust, .restart, .drop])
    func noValidContextIsNone(decision: PropagationPolicy.TrustDecision) {
        let policy = PropagationPolicy(defaultDecision: decision)
        let invalid: Fields = [("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"), ("tracestate", "a=1")]
        let evaluation = policy.evaluate(invalid, from: "x")
        #expect(evaluation.outcome == .none)
        #expect(evaluation.extraction.errors == [.traceparent(.zeroTraceID)])
        // Even from a trusted source: a traceparent that cannot be parsed is not propagated.
        #expect(evaluation.forwardedFields.isEmpty)
        #expect(policy.evaluate([("b3", "0")] as Fields, from: "x").outcome == .none)
    }

    @Test func aTrustedSourcePropagatesTraceparentAndTracestateOnlyWithAValidTraceparent() {
        let policy = PropagationPolicy(allowedHeaders: ["traceparent", "tracestate", "b3"], defaultDecision: .trust)
        let valid: Fields = [("Host", "a"), ("traceparent", traceparent), ("tracestate", "v=1"), ("b3", "0")]
        #expect(lines(policy.evaluate(valid, from: "x").forwardedFields) == ["Host: a", "traceparent: \(traceparent)", "tracestate: v=1", "b3: 0"])
        let invalid: Fields = [("Host", "a"), ("traceparent", "00-garbage"), ("tracestate", "v=1"), ("X-Request-ID", "1")]
        #expect(lines(policy.evaluate(invalid, from: "x").forwardedFields) == ["Host: a", "X-Request-ID: 1"])
        let other = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        let twice: Fields = [("traceparent", traceparent), ("Host", "a"), ("traceparent", other)]
        #expect(lines(policy.evaluate(twice, from: "x").forwardedFields) == ["Host: a"])
        // Another format's valid context passes as it came; the W3C fields beside it do not.
        let b3 = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"
        let b3Context = policy.evaluate([("traceparent", "00-garbage"), ("b3", b3), ("tracestate", "v=1")] as Fields, from: "x")
        #expect(lines(b3Context.forwardedFields) == ["b3: \(b3)"])
        #expect(b3Context.outcome != .none)
    }

    @Test func aRequestSendingTraceparentTwiceIsRestartedByTheCaller() {
        let policy = PropagationPolicy(defaultDecision: .trust)
        let twice: Fields = [("traceparent", traceparent), ("traceparent", traceparent)]
        let evaluation = policy.evaluate(twice, from: "x")
        #expect(evaluation.outcome == .none)
        #expect(evaluation.extraction.errors == [.duplicateTraceparent(2)])
    }

    @Test func decodesFromConfigurationWithDefaults() throws {
        let json = Data(
            """
            {
              "allowedHeaders": ["traceparent", "Uber-Trace-Id"],
              "defaultDecision": "trust",
              "sources": {"api-gateway": "drop", "partner": "restart"}
            }
            """.utf8)
        let policy = try JSONDecoder().decode(PropagationPolicy.self, from: json)
        #expect(policy == gatewayPolicy)
        #expect(policy.traceHeaderNames == PropagationPolicy.defaultTraceHeaderNames)
        #expect(try JSONDecoder().decode(PropagationPolicy.self, from: Data("{}".utf8)) == PropagationPolicy())
        let encoded = try JSONEncoder().encode(policy)
        #expect(try JSONDecoder().decode(PropagationPolicy.self, from: encoded) == policy)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(PropagationPolicy.self, from: Data(#"{"defaultDecision": "maybe"}"#.utf8))
        }
    }

    @Test(arguments: [1_000, 100_000])
    func manyFieldsAreReadOnce(count: Int) {
        let huge = String(repeating: "v", count: 10 * 1024)
        let fields = CountingFields(
            (0..<count).map { index in
                switch index % 4 {
                case 0: ("traceparent", traceparent)
                case 1: ("X-B3-TraceId", huge)
                case 2: ("Uber-Trace-Id", huge)
                default: ("x-other", huge)
                }
            })
        let policy = PropagationPolicy(allowedHeaders: ["traceparent", "uber-trace-id"], defaultDecision: .trust)
        let evaluation = policy.evaluate(fields, from: "x")
        #expect(fields.reads == count)
        // The traceparent fields, one in four, are no valid traceparent: not propagated.
        #expect(evaluation.forwardedFields.count == count / 2)
        #expect(evaluation.extraction.errors == [.duplicateTraceparent(count / 4), .uberTraceID(.tooLong(10 * 1024))])
    }
}
