/// The limits and timing of `BatchSpanProcessor`, with OpenTelemetry's defaults
/// (`OTEL_BSP_*`).
public struct BatchSpanProcessorConfiguration: Sendable, Hashable {
    /// The most ended spans held before export; later ones are dropped and counted. 2,048 by default.
    public var maximumQueueSize: Int = 2048
    /// The most bytes of encoded spans held; later spans are dropped and counted. 4 MiB by default.
    public var maximumQueueBytes: Int = 4 << 20
    /// An export starts as soon as this many spans are queued. 512 by default.
    public var maximumExportBatchSize: Int = 512
    /// The longest a span waits for its export when fewer are queued (at least 1 ms). 5 s by default.
    public var scheduleDelay: Duration = .seconds(5)

    /// The defaults.
    public init() {}
}
