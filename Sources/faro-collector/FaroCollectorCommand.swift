import ArgumentParser
import FaroCollector
import Foundation
import Logging
import LokiPush
import NIOCore
import OTLPHTTPClient
import Prometheus
import ServerSupport
import ServiceLifecycle

/// `faro-collector`: the RUM receiver service. With no options it listens on 127.0.0.1:12347 and
/// writes Loki lines and OTLP data to files under `./data/`.
@main
struct FaroCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faro-collector",
        abstract: "Receive Grafana Faro Web SDK payloads and OTLP/HTTP, and write them to Loki and Tempo or to files.",
        discussion: """
            Settings come from the configuration file (--config), then the environment (FARO_COLLECTOR_LISTEN_PORT, ...,
            one variable for each option below), then the options, each overriding the one before. Without a Loki URL the
            Loki lines go to files under the data directory (loki.jsonl: one Loki push request in JSON a payload), and
            without an OTLP URL the OTLP data does too (traces.jsonl, ...). SIGHUP reloads the configuration; SIGTERM
            stops taking requests, finishes those in flight, writes what is queued and exits.
            """)

    @Option(name: .long, help: "A configuration file, YAML or JSON.")
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Check a configuration file (with the environment and options) and exit.", valueName: "file"))
    var checkConfig: String?

    @Option(name: .long, help: "The address to listen on (default 127.0.0.1).")
    var listenAddress: String?

    @Option(name: .long, help: "The port to listen on (default 12347; 0: any free port, printed at start).")
    var listenPort: String?

    @Option(name: .long, help: "Where output files go when no Loki or OTLP URL is set (default ./data).")
    var dataDirectory: String?

    @Option(name: .customLong("loki-url"), help: "Loki's push endpoint, such as http://127.0.0.1:3100/loki/api/v1/push.")
    var lokiURL: String?

    @Option(
        name: .customLong("loki-spool-directory"),
        help: "A directory where the lines accepted for Loki wait on disk until Loki takes them (default: in memory only).")
    var lokiSpoolDirectory: String?

    @Option(name: .customLong("loki-spool-max-size"), help: "The most bytes the Loki spool may take (default 1GiB).")
    var lokiSpoolMaxSize: String?

    @Option(name: .customLong("otlp-url"), help: "An OTLP/HTTP receiver's base URL, such as http://127.0.0.1:4318.")
    var otlpURL: String?

    @Option(
        name: .customLong("otlp-spool-directory"),
        help: "A directory where the OTLP data accepted for the receiver wait on disk until it takes them (default: in memory only).")
    var otlpSpoolDirectory: String?

    @Option(name: .customLong("otlp-spool-max-size"), help: "The most bytes the OTLP spool may take (default 1GiB).")
    var otlpSpoolMaxSize: String?

    @Option(name: .customLong("remote-write-url"), help: "Prometheus's remote-write endpoint for the web-vitals histograms.")
    var remoteWriteURL: String?

    @Option(name: .long, help: "The log line format: logfmt (default) or json.")
    var logFormat: String?

    @Option(name: .long, help: "The most bytes a request body may hold, read or inflated (default 5MiB).")
    var maxAllowedPayloadSize: String?

    @Option(name: .long, help: "Requests a second (default 50; 0 turns rate limiting off).")
    var rateLimit: String?

    @Option(name: .long, help: "Requests allowed at once after a quiet time (default 100).")
    var burstSize: String?

    @Option(name: .long, parsing: .singleValue, help: "An API key the requests must carry (repeat for several).")
    var apiKey: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "An origin allowed to post from a browser (repeat; * for any).")
    var corsAllowedOrigin: [String] = []

    @Option(name: .long, help: "Event-loop threads (default: one per core).")
    var threads: String?

    @Option(name: .long, help: "Seconds a connection may send nothing (in headers, body or between requests) before it is closed (default 30).")
    var idleTimeout: String?

    @Option(name: .long, help: "Seconds a whole request (head and body) may take to arrive, from its first bytes (default 60).")
    var requestTimeout: String?

    @Option(name: .long, help: "The most client connections open at once; past it, connections are closed when accepted (default 10000).")
    var maxConnections: String?

    @Option(name: .long, help: "The lowest level logged to standard error: trace, debug, info (default), notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .customLong("invalid-utf8"), help: "Ill-formed UTF-8 and lone surrogates in payloads: replace (by U+FFFD, as Alloy; default) or reject (400).")
    var invalidUTF8: String?

    /// The settings given as options; a repeated option's values each whole.
    private var flags: [(ConfigurationSetting, [String])] {
        var flags: [(ConfigurationSetting, [String])] = []
        let single: [(ConfigurationSetting, String?)] = [
            (.listenAddress, listenAddress), (.listenPort, listenPort), (.dataDirectory, dataDirectory), (.lokiURL, lokiURL),
            (.lokiSpoolDirectory, lokiSpoolDirectory), (.lokiSpoolMaxSize, lokiSpoolMaxSize), (.otlpURL, otlpURL),
            (.otlpSpoolDirectory, otlpSpoolDirectory), (.otlpSpoolMaxSize, otlpSpoolMaxSize), (.remoteWriteURL, remoteWriteURL),
            (.logFormat, logFormat),
            (.maxAllowedPayloadSize, maxAllowedPayloadSize), (.rateLimit, rateLimit), (.burstSize, burstSize), (.threads, threads),
            (.idleTimeout, idleTimeout), (.requestTimeout, requestTimeout), (.maxConnections, maxConnections), (.logLevel, logLevel),
            (.invalidUTF8, invalidUTF8),
        ]
        for (setting, value) in single { if let value { flags.append((setting, [value])) } }
        if !apiKey.isEmpty { flags.append((.apiKeys, apiKey)) }
        if !corsAllowedOrigin.isEmpty { flags.append((.corsAllowedOrigins, corsAllowedOrigin)) }
        return flags
    }

    func run() async throws {
        if let checkConfig {
            let loader = ConfigurationLoader(file: checkConfig, flags: flags, environment: ProcessInfo.processInfo.environment)
            do {
                _ = try loader.load()
                print("\(checkConfig): ok")
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                throw ExitCode(1)
            }
            return
        }
        let loader = ConfigurationLoader(file: config, flags: flags, environment: ProcessInfo.processInfo.environment)
        let configuration: ServiceConfiguration
        do {
            configuration = try loader.load()
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        try await Self.serve(configuration, loader: loader)
    }

    /// Runs the service with `configuration` until SIGTERM or SIGINT; `loader` reads it again on SIGHUP.
    static func serve(_ configuration: ServiceConfiguration, loader: ConfigurationLoader) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = configuration.logLevel
            return handler
        }
        let logger = Logger(label: "faro-collector")
        let registry = PrometheusCollectorRegistry()
        let metricsFactory = PrometheusMetricsFactory(registry: registry)
        var services: [any Service] = []
        var fileSink: FileExportSink? = nil
        if configuration.lokiURL == nil || configuration.otlpURL == nil {
            let sink = try FileExportSink(directory: configuration.dataDirectory, logger: logger)
            fileSink = sink
            services.append(FileExportService(sink: sink))
        }
        let logSink: any LogLineSink
        if let lokiPush = configuration.lokiPush() {
            let client = try LokiPushClient(configuration: lokiPush, logger: logger, metricsFactory: metricsFactory)
            services.append(LokiPushService(client: client))
            logSink = client
        } else {
            logSink = fileSink!
        }
        let otlpSink: any OTLPSink
        if let otlpExport = configuration.otlpExport() {
            let client = try OTLPHTTPClient(configuration: otlpExport, logger: logger, metricsFactory: metricsFactory)
            services.append(OTLPExportService(client: client))
            otlpSink = client
        } else {
            otlpSink = fileSink!
        }
        let metrics = CollectorMetrics(factory: metricsFactory)
        let webVitals = try WebVitalsHistograms(configuration: configuration.webVitals)
        // The rate-limit buckets outlive a reload: each new intake takes them over with their tokens.
        let limiters = CollectorRateLimiters()
        let makePipeline = { @Sendable (configuration: ServiceConfiguration) throws -> (CollectorIntake, FaroIngestor) in
            (
                try CollectorIntake(configuration: configuration.collector, limiters: limiters),
                try FaroIngestor(
                    configuration: configuration.collector, logs: logSink, otlp: otlpSink, webVitals: webVitals, metrics: metrics,
                    logger: logger)
            )
        }
        if let url = configuration.remoteWriteURL {
            services.append(
                RemoteWriteService(
                    url: url, interval: configuration.remoteWriteInterval, histograms: webVitals, logger: logger,
                    metricsFactory: metricsFactory))
        }
        let (intake, ingestor) = try makePipeline(configuration)
        let application = CollectorApplication(
            intake: intake, ingestor: ingestor, metrics: metrics, registry: registry, webVitals: webVitals, logger: logger)
        let server = CollectorServer(
            application: application, host: configuration.listenAddress, port: configuration.listenPort,
            threads: configuration.threads, idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds),
            requestTimeout: .nanoseconds(configuration.requestTimeout.nanoseconds), maxConnections: configuration.maxConnections,
            logger: logger)
        services.append(SourceMapCacheService(application: application))
        let address = try await server.start()
        var announcement = "faro-collector listening on http://\(address)/collect"
        if let fileSink {
            let outputs = [configuration.lokiURL == nil ? "Loki lines" : nil, configuration.otlpURL == nil ? "OTLP data" : nil]
            announcement += "; writing \(outputs.compactMap { $0 }.joined(separator: " and ")) to \(fileSink.directory)/"
        }
        services.append(
            ConfigurationReloadService(loader: loader, running: configuration, logger: logger) { configuration in
                let (intake, ingestor) = try makePipeline(configuration)
                application.reload(intake: intake, ingestor: ingestor)
            })
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Shut down in reverse order: the server stops taking requests first, then the sinks drain.
                services: services.map { .init(service: $0) } + [.init(service: ServiceAnnouncement(announcement, then: server))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
