/// One batch that the Faro Web SDK POSTs to a collector: the telemetry items of a page
/// and the metadata they share.
///
/// The fields follow the payload that Grafana Alloy's `faro.receiver` reads
/// (`internal/component/faro/receiver/internal/payload/payload.go`); fields that newer
/// Faro Web SDK versions send and Alloy ignores (for example `meta.app.bundleId` or
/// `meta.browser.brands`) are skipped the same way.
public struct FaroPayload: Sendable, Hashable {
    /// Log messages, such as `console.info` calls captured by the SDK.
    public var logs: [FaroLog]
    /// Errors with their stack traces.
    public var exceptions: [FaroException]
    /// Measurements, such as web-vitals values.
    public var measurements: [FaroMeasurement]
    /// Custom and browser events.
    public var events: [FaroEvent]
    /// The metadata shared by every item of the batch.
    public var meta: FaroMeta
    /// OTLP/JSON resource spans, kept as validated bytes for transcoding to OTLP.
    public var traces: FaroTraces?

    /// Creates a payload.
    public init(
        logs: [FaroLog] = [],
        exceptions: [FaroException] = [],
        measurements: [FaroMeasurement] = [],
        events: [FaroEvent] = [],
        meta: FaroMeta = FaroMeta(),
        traces: FaroTraces? = nil
    ) {
        self.logs = logs
        self.exceptions = exceptions
        self.measurements = measurements
        self.events = events
        self.meta = meta
        self.traces = traces
    }

    /// The number of logs, exceptions, measurements and events, the items that become log lines.
    public var itemCount: Int {
        logs.count + exceptions.count + measurements.count + events.count
    }
}
