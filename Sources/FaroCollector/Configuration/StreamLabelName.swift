import LokiPushCodec

/// The rule Loki applies to the names of stream labels, for the collector's label settings
/// (`extra_log_labels`, `default_stream_labels`): checked when the configuration is read, so that
/// a name Loki refuses is reported rather than dropped with the line's other labels.
public enum StreamLabelName {
    /// What a name must be, for messages.
    public static let rule = "[a-zA-Z_][a-zA-Z0-9_]*"

    /// Whether Loki takes `name` as a stream label name (`rule`), as `LokiLabels` checks it.
    public static func isValid(_ name: String) -> Bool {
        (try? LokiLabels([LokiLabelPair(name: name, value: "-")])) != nil
    }
}
