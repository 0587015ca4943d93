import Synchronization
public import W3CTraceContext

/// Draws trace and span ids without a system call or a lock: a per-process random seed, an atomic
/// counter, and the SplitMix64 finalizer, a bijection on 64 bits, so the span ids of one source
/// never repeat until 2⁶⁴ draws and look uniformly random, as W3C Trace Context's `random` flag
/// and OpenTelemetry's `TraceIdRatioBased` sampler (which reads the low 64 bits) need.
///
/// The seed comes from the system's random number generator, so two processes draw unrelated ids.
public final class SpanIDSource: Sendable {
    private let seed: UInt64
    private let counter = Atomic<UInt64>(0)

    /// A source seeded from the system's random number generator.
    public convenience init() {
        var generator = SystemRandomNumberGenerator()
        self.init(seed: generator.next())
    }

    /// A source with a fixed seed, for reproducible tests.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// The next 64 random-looking bits (never zero twice in a row: a zero draw is skipped, as ids
    /// must not be all zeros).
    @inline(__always)
    private func next() -> UInt64 {
        while true {
            let step = counter.add(1, ordering: .relaxed).newValue
            var z = seed &+ step &* 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            if z != 0 { return z }
        }
    }

    /// A new span id, never invalid.
    public func spanID() -> SpanID { SpanID(rawValue: next()) }

    /// A new trace id, never invalid, with random low 64 bits.
    public func traceID() -> TraceID { TraceID(high: next(), low: next()) }
}
