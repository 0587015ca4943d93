public import W3CTraceContext

extension TraceState {
    /// The key of OpenTelemetry's entry.
    public static let openTelemetryKey = "ot"

    /// The OpenTelemetry entry (`ot`) parsed, or `nil` when there is none.
    public func openTelemetryState() throws(OTelTraceStateError) -> OTelTraceState? {
        guard let value = value(forKey: TraceState.openTelemetryKey) else { return nil }
        return try OTelTraceState(parsing: value)
    }

    /// Sets the OpenTelemetry entry (`ot`) to `state`'s value and moves it to the front, as a
    /// participant does with its own entry; removes the entry when `state` is empty. Throws when
    /// the value would be longer than 256 characters, leaving the list as it was.
    public mutating func setOpenTelemetryState(_ state: OTelTraceState) throws(OTelTraceStateError) {
        let value = state.value
        guard !value.isEmpty else {
            removeValue(forKey: TraceState.openTelemetryKey)
            return
        }
        do {
            try setValue(value, forKey: TraceState.openTelemetryKey)
        } catch {
            // The characters of an `ot` value are all valid in a `tracestate` value: only the length can fail.
            throw .tooLong(value.utf8.count)
        }
    }

    /// The list with the `ot` threshold set to `threshold`, or erased when it is `nil`, given what
    /// `ot` held. A malformed `ot` entry is dropped (its threshold cannot be trusted), and replaced
    /// by `ot=th:…` when there is a threshold. When `ot` would grow past 256 characters, the
    /// threshold is erased instead: the span then has an unknown probability, which is allowed.
    @usableFromInline
    func settingThreshold(_ threshold: RejectionThreshold?, in parsed: ParsedOTelTraceState) -> TraceState {
        var state: OTelTraceState
        switch parsed {
        case .absent:
            guard threshold != nil else { return self }
            state = OTelTraceState()
        case .valid(let parsedState):
            guard parsedState.threshold != threshold else { return self }
            state = parsedState
        case .malformed:
            state = OTelTraceState()
        }
        state.threshold = threshold
        var result = self
        do {
            try result.setOpenTelemetryState(state)
        } catch {
            state.threshold = nil
            // Cannot fail: without `th`, the value is no longer than the one parsed.
            try? result.setOpenTelemetryState(state)
        }
        return result
    }

    /// The list with the `ot` threshold erased, for a span whose probability is not known or that
    /// is not sampled.
    @usableFromInline
    func erasingThreshold() -> TraceState {
        isEmpty ? self : settingThreshold(nil, in: ParsedOTelTraceState(self))
    }
}

/// What a sampler found in the `ot` entry of a parent's `tracestate`.
@usableFromInline
enum ParsedOTelTraceState {
    /// No `ot` entry.
    case absent
    /// A valid one.
    case valid(OTelTraceState)
    /// One that does not parse: samplers act as if there were none, and drop it.
    case malformed

    /// The `ot` entry of `traceState`.
    @usableFromInline
    init(_ traceState: TraceState) {
        do {
            self = try traceState.openTelemetryState().map { .valid($0) } ?? .absent
        } catch {
            self = .malformed
        }
    }

    /// The threshold, if the entry is valid and has one.
    @usableFromInline
    var threshold: RejectionThreshold? {
        if case .valid(let state) = self { state.threshold } else { nil }
    }

    /// The explicit randomness, if the entry is valid and has one.
    @usableFromInline
    var randomness: Randomness? {
        if case .valid(let state) = self { state.randomness } else { nil }
    }
}
