/// What happens to a new span (OpenTelemetry's `Decision`).
public enum SamplingDecision: Hashable, Sendable {
    /// Not recorded and not sampled (`DROP`).
    case drop
    /// Recorded, but the `sampled` flag is not set (`RECORD_ONLY`).
    case recordOnly
    /// Recorded and sampled: the span is exported (`RECORD_AND_SAMPLE`).
    case recordAndSample

    /// Whether the span records data (`IsRecording`).
    public var isRecording: Bool { self != .drop }

    /// Whether the span's `sampled` flag is set.
    public var isSampled: Bool { self == .recordAndSample }
}
