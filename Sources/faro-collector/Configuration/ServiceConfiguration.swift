import FaroCollector
import Logging
import LokiPush
import NIOCore
import OTLPHTTPClient
import WriteAheadSpool

/// Everything `faro-collector` runs with: the collector's own configuration and the service's
/// (where it listens, where output goes), from the configuration file, the environment and the
/// command line, in that order of precedence.
struct ServiceConfiguration: Sendable {
    /// The address to listen on (Alloy's `listen_address`).
    var listenAddress = "127.0.0.1"
    /// The port to listen on (Alloy's `listen_port`); 0 for any free port.
    var listenPort = 12347
    /// How long a connection may send nothing before it is closed.
    var idleTimeout: Duration = .seconds(30)
    /// How long a whole request (head and body) may take to arrive, against clients that trickle
    /// bytes just fast enough to escape the idle timeout.
    var requestTimeout: Duration = .seconds(60)
    /// The most client connections open at once; connections past it are closed when accepted.
    var maxConnections = 10_000
    /// The lowest level of the messages logged to standard error.
    var logLevel: Logger.Level = .info
    /// Event-loop threads.
    var threads = System.coreCount
    /// What requests the collector takes and how it writes lines.
    var collector = CollectorConfiguration()
    /// The web-vitals histograms.
    var webVitals = WebVitalsConfiguration()
    /// Where output files go when Loki or OTLP endpoints are not set.
    var dataDirectory = "./data"
    /// Loki's push endpoint; nil: Loki lines go to files.
    var lokiURL: String? = nil
    /// Where the lines accepted for Loki wait on disk until Loki takes them, so that they survive a
    /// restart, a crash or a Loki down for long; nil: in memory only.
    var lokiSpoolDirectory: String? = nil
    /// The most bytes the Loki spool's files may take (`SpoolConfiguration.maximumBytes`, 1 GiB).
    var lokiSpoolMaxSize = 1 << 30
    /// The base URL of an OTLP/HTTP receiver (Tempo, an OpenTelemetry Collector), to which
    /// `/v1/traces`, `/v1/logs` and `/v1/metrics` are added; nil: OTLP data goes to files.
    var otlpURL: String? = nil
    /// Where the OTLP data accepted for the receiver wait on disk until it takes them, so that
    /// they survive a restart, a crash or a receiver down for long; nil: in memory only.
    var otlpSpoolDirectory: String? = nil
    /// The most bytes the OTLP spool's files may take (`SpoolConfiguration.maximumBytes`, 1 GiB).
    var otlpSpoolMaxSize = 1 << 30
    /// Prometheus's remote-write endpoint for the web-vitals histograms; nil: only `/metrics`.
    var remoteWriteURL: String? = nil
    /// How often the histograms are sent by remote write.
    var remoteWriteInterval: Duration = .seconds(15)

    /// The Loki client's configuration, with its spool when `lokiSpoolDirectory` is set (`spool`
    /// false leaves it out, for a check that must not take the spool's lock); nil without `lokiURL`.
    func lokiPush(spool: Bool = true) -> LokiPushConfiguration? {
        guard let lokiURL else { return nil }
        var configuration = LokiPushConfiguration(url: lokiURL)
        if spool, let lokiSpoolDirectory {
            configuration.spool = SpoolConfiguration(directory: lokiSpoolDirectory, maximumBytes: lokiSpoolMaxSize)
        }
        return configuration
    }

    /// The OTLP client's configuration, with its spool when `otlpSpoolDirectory` is set (`spool`
    /// false leaves it out, as for `lokiPush`); nil without `otlpURL`.
    func otlpExport(spool: Bool = true) -> OTLPHTTPClientConfiguration? {
        guard let otlpURL else { return nil }
        var configuration = OTLPHTTPClientConfiguration(endpoint: otlpURL)
        if spool, let otlpSpoolDirectory {
            configuration.spool = SpoolConfiguration(directory: otlpSpoolDirectory, maximumBytes: otlpSpoolMaxSize)
        }
        return configuration
    }
}
