/// Counts of what `WebVitalsHistograms` did with the values it was given, for self-metrics.
public struct WebVitalsHistogramStatistics: Sendable, Hashable {
    /// Values counted into a histogram.
    public var recordedObservations: UInt64
    /// Values of tracked vitals that were negative, infinite or NaN, or came with an app or
    /// environment name over the bound on label values, and were not counted.
    public var rejectedObservations: UInt64
    /// Values not counted because their metric had reached its bound on label sets and had no
    /// series of route `other` for their app and environment.
    public var droppedObservations: UInt64
    /// The series (label sets) of all metrics together.
    public var seriesCount: Int

    /// Creates statistics.
    public init(recordedObservations: UInt64 = 0, rejectedObservations: UInt64 = 0, droppedObservations: UInt64 = 0, seriesCount: Int = 0) {
        self.recordedObservations = recordedObservations
        self.rejectedObservations = rejectedObservations
        self.droppedObservations = droppedObservations
        self.seriesCount = seriesCount
    }
}
