import HTTPFieldText

/// What a service at a trust boundary does with the trace headers of incoming requests: which it
/// reads and forwards, which it strips, and whether it continues, restarts or drops the context
/// that comes from each source.
///
/// A plain value that services load from configuration (it is `Codable`; absent keys take the
/// defaults). Header names and prefixes are matched ASCII case-insensitively and kept lowercase.
///
/// ```swift
/// let policy = try JSONDecoder().decode(PropagationPolicy.self, from: configuration)
/// let evaluation = policy.evaluate(request.headers, from: "api-gateway")
/// ```
public struct PropagationPolicy: Hashable, Sendable {
    /// What to do with a valid context from a source.
    public enum TrustDecision: String, Hashable, Sendable, Codable, CaseIterable {
        /// Continue it: the trace goes on with the caller's ids, flags and `tracestate`.
        case trust
        /// Start a new trace and keep the incoming context as a link, as W3C Trace Context's
        /// "restart trace" mutation for front gates into secure networks does.
        case restart
        /// Discard it; the caller may start a fresh root.
        case drop
    }

    /// What came of the incoming context.
    public enum Outcome: Hashable, Sendable {
        /// A context from a trusted source.
        case trusted(TraceContext)
        /// A new trace in place of the incoming one: random trace id and span id, the
        /// random-trace-id flag, not sampled (W3C Trace Context regenerates the flags on restart,
        /// so the caller's sampler decides), no `tracestate` (which the specification says to
        /// clean up on restart) and no parent. `link` is the incoming context, unchanged.
        case restarted(new: TraceContext, link: TraceContext)
        /// A context came and was discarded.
        case dropped
        /// No valid context came in the allowed headers.
        case none
    }

    /// The result of `evaluate`.
    public struct Evaluation: Sendable {
        /// The fields to forward, in their order: every field that is not a trace header, the allowed
        /// trace headers the extraction does not read (such as `baggage` when allowed), and the
        /// allowed headers that carry the context only when the source is trusted. Disallowed trace
        /// headers are removed; after a restart or drop, so are the allowed ones that carried the
        /// context, and the caller writes its own (`TraceContext.headerFields(in:)`). A trusted
        /// source's `traceparent` and `tracestate` pass only with a valid `traceparent` (one field
        /// that parses): W3C Trace Context does not propagate one that cannot be parsed.
        public var forwardedFields: [(name: String, value: String)]
        /// What came of the incoming context.
        public var outcome: Outcome
        /// What the allowed headers carried, with the reasons for those rejected.
        public var extraction: TraceHeaderExtraction
    }

    /// The trace propagation headers stripped by default: W3C Trace Context, B3's single header,
    /// Jaeger's, and W3C `baggage`, which crosses the same boundary with application data.
    public static let defaultTraceHeaderNames: Set<String> = ["traceparent", "tracestate", "b3", "uber-trace-id", "baggage"]
    /// The prefixes of trace propagation headers stripped by default: B3's multiple headers and
    /// Jaeger's baggage.
    public static let defaultTraceHeaderPrefixes: Set<String> = ["x-b3-", "uberctx-"]

    /// The header names accepted: read for the context and forwarded. `traceparent` and
    /// `tracestate` by default.
    public var allowedHeaders: Set<String> {
        didSet {
            allowedHeaders = allowedHeaders.asciiLowercased()
            screen = Self.screen(allowedHeaders, traceHeaderNames, traceHeaderPrefixes)
        }
    }
    /// Trace propagation headers, removed from forwarded requests unless allowed;
    /// `defaultTraceHeaderNames` by default. Other vendors' (`x-amzn-trace-id`,
    /// `x-cloud-trace-context`, ...) can be added.
    public var traceHeaderNames: Set<String> {
        didSet {
            traceHeaderNames = traceHeaderNames.asciiLowercased()
            screen = Self.screen(allowedHeaders, traceHeaderNames, traceHeaderPrefixes)
        }
    }
    /// Prefixes of trace propagation headers, removed unless allowed by their full name;
    /// `defaultTraceHeaderPrefixes` by default (`x-datadog-`, `ot-tracer-`, ... can be added).
    public var traceHeaderPrefixes: Set<String> {
        didSet {
            traceHeaderPrefixes = traceHeaderPrefixes.asciiLowercased()
            screen = Self.screen(allowedHeaders, traceHeaderNames, traceHeaderPrefixes)
        }
    }
    /// The decision for sources without one of their own; `.restart` by default.
    public var defaultDecision: TrustDecision
    /// Decisions per source, keyed by names the service chooses: a tenant, a client network
    /// label, a route. Matched exactly.
    public var sources: [String: TrustDecision]
    /// Rules out, before any lowercasing and lookup, the fields that none of the three sets can match.
    private var screen: TraceHeaderScreen

    /// A policy; the defaults accept W3C Trace Context only, strip every other known trace header
    /// and restart the trace of every source.
    public init(
        allowedHeaders: Set<String> = ["traceparent", "tracestate"],
        traceHeaderNames: Set<String> = PropagationPolicy.defaultTraceHeaderNames,
        traceHeaderPrefixes: Set<String> = PropagationPolicy.defaultTraceHeaderPrefixes,
        defaultDecision: TrustDecision = .restart,
        sources: [String: TrustDecision] = [:]
    ) {
        self.allowedHeaders = allowedHeaders.asciiLowercased()
        self.traceHeaderNames = traceHeaderNames.asciiLowercased()
        self.traceHeaderPrefixes = traceHeaderPrefixes.asciiLowercased()
        self.defaultDecision = defaultDecision
        self.sources = sources
        screen = Self.screen(self.allowedHeaders, self.traceHeaderNames, self.traceHeaderPrefixes)
    }

    /// The screen of the allowed and trace header names and the trace header prefixes.
    private static func screen(_ allowed: Set<String>, _ names: Set<String>, _ prefixes: Set<String>) -> TraceHeaderScreen {
        TraceHeaderScreen(names: allowed.union(names), prefixes: prefixes)
    }

    /// The decision for `source`.
    public func decision(for source: String) -> TrustDecision {
        sources[source] ?? defaultDecision
    }

    /// Applies the policy to a request's header fields from `source`, in one pass over them; a
    /// restart draws its ids from `generator`.
    public func evaluate(
        _ fields: some Sequence<(name: String, value: String)>, from source: String,
        using generator: inout some RandomNumberGenerator
    ) -> Evaluation {
        evaluate(Array(fields), from: source, using: &generator)
    }

    /// Applies the policy to a request's header fields from `source`, in one pass over them; a
    /// restart draws its ids from `generator`. Fields in an array are read without the generic
    /// iteration of any other sequence (the gateway evaluates every request).
    public func evaluate(
        _ fields: [(name: String, value: String)], from source: String, using generator: inout some RandomNumberGenerator
    ) -> Evaluation {
        let decision = decision(for: source)
        var collected = TraceHeaderFields()
        var forwarded: [(name: String, value: String)] = []
        // Room for the fields a proxy adds after it (a restarted context, `X-Forwarded-For`, the
        // body's framing), so that adding them does not copy the array.
        forwarded.reserveCapacity(fields.count + 4)
        // Where a trusted source's `traceparent` and `tracestate` are in `forwarded`, to take
        // them out again when the `traceparent` is not valid.
        var w3cPositions: [Int] = []
        for field in fields {
            guard screen.mayMatch(field.name) else {
                forwarded.append(field)
                continue
            }
            let name = field.name.asciiLowercased()
            if allowedHeaders.contains(name) {
                if let header = TraceHeaderName(rawValue: name) {
                    collected.add(header, value: field.value)
                    if decision != .trust { continue }
                    if header == .traceparent || header == .tracestate { w3cPositions.append(forwarded.count) }
                }
                forwarded.append(field)
            } else if !traceHeaderNames.contains(name), !traceHeaderPrefixes.contains(where: name.hasPrefix) {
                forwarded.append(field)
            }
        }
        let extraction = collected.extraction(traceStateOptions: TraceState.ParsingOptions())
        switch extraction.found {
        case .context(_, format: .w3c): break
        default: for position in w3cPositions.reversed() { forwarded.remove(at: position) }
        }
        let outcome: Outcome
        switch (extraction.context, decision) {
        case (nil, _):
            outcome = .none
        case (let context?, .trust):
            outcome = .trusted(context)
        case (let context?, .restart):
            let new = TraceContext(
                traceID: .random(using: &generator), spanID: .random(using: &generator), flags: .random)
            outcome = .restarted(new: new, link: context)
        case (_?, .drop):
            outcome = .dropped
        }
        return Evaluation(forwardedFields: forwarded, outcome: outcome, extraction: extraction)
    }

    /// `evaluate(_:from:using:)` with the system's random number generator.
    public func evaluate(_ fields: some Sequence<(name: String, value: String)>, from source: String) -> Evaluation {
        var generator = SystemRandomNumberGenerator()
        return evaluate(fields, from: source, using: &generator)
    }
}

extension PropagationPolicy: Codable {
    private enum CodingKeys: String, CodingKey {
        case allowedHeaders, traceHeaderNames, traceHeaderPrefixes, defaultDecision, sources
    }

    /// Decodes a policy; each absent key takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = PropagationPolicy()
        self.init(
            allowedHeaders: try container.decodeIfPresent(Set<String>.self, forKey: .allowedHeaders) ?? defaults.allowedHeaders,
            traceHeaderNames: try container.decodeIfPresent(Set<String>.self, forKey: .traceHeaderNames)
                ?? defaults.traceHeaderNames,
            traceHeaderPrefixes: try container.decodeIfPresent(Set<String>.self, forKey: .traceHeaderPrefixes)
                ?? defaults.traceHeaderPrefixes,
            defaultDecision: try container.decodeIfPresent(TrustDecision.self, forKey: .defaultDecision)
                ?? defaults.defaultDecision,
            sources: try container.decodeIfPresent([String: TrustDecision].self, forKey: .sources) ?? defaults.sources)
    }
}
