#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import AsyncHTTPClient
import FaroCollector
import FaroModel
import Logging
import LokiPush
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle

/// `faro-collector`: the RUM receiver service. With no options it listens on 127.0.0.1:12347 and
/// writes Loki lines and OTLP data to files under `./data/`.
@main
struct FaroCollectorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faro-collector",
        abstract: "Receive Grafana Faro Web SDK payloads and OTLP/HTTP, and write them to Loki and Tempo or to files.",
        discussion: """
            Without --loki-url the Loki lines go to files under --data-directory (loki.jsonl: one Loki push
            request in JSON per payload), and without --otlp-url the OTLP data does too (traces.jsonl, ...).
            """)

    @Option(name: .long, help: "The address to listen on.")
    var listenAddress = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port, printed at start).")
    var listenPort = 12347

    @Option(name: .long, help: "Where output files go when no Loki or OTLP endpoint is set.")
    var dataDirectory = "./data"

    @Option(name: .long, help: "Loki's push endpoint, such as http://127.0.0.1:3100/loki/api/v1/push.")
    var lokiURL: String?

    @Option(name: .long, help: "The log line format: logfmt or json.")
    var logFormat = "logfmt"

    @Option(name: .long, help: "The most bytes a request body may hold, read or inflated.")
    var maxAllowedPayloadSize = 5 << 20

    @Option(name: .long, help: "Requests a second (0 turns rate limiting off).")
    var rateLimit = 50.0

    @Option(name: .long, help: "Requests allowed at once after a quiet time.")
    var burstSize = 100

    @Option(name: .long, parsing: .singleValue, help: "An API key the requests must carry (repeat for several).")
    var apiKey: [String] = []

    @Option(name: .long, parsing: .singleValue, help: "An origin allowed to post from a browser (repeat; * for any).")
    var corsAllowedOrigin: [String] = []

    @Option(name: .long, help: "Event-loop threads (default: one per core).")
    var threads = System.coreCount

    func validate() throws {
        guard FaroLogFormat(rawValue: logFormat) != nil else { throw ValidationError("--log-format must be logfmt or json") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    func run() async throws {
        let logger = Logger(label: "faro-collector")
        let registry = PrometheusCollectorRegistry()
        let metricsFactory = PrometheusMetricsFactory(registry: registry)
        var configuration = CollectorConfiguration()
        configuration.maxAllowedPayloadSize = maxAllowedPayloadSize
        configuration.logFormat = FaroLogFormat(rawValue: logFormat) ?? .logfmt
        configuration.rateLimiting.enabled = rateLimit > 0
        configuration.rateLimiting.rate = rateLimit
        configuration.rateLimiting.burstSize = burstSize
        configuration.apiKeys = apiKey
        configuration.corsAllowedOrigins = corsAllowedOrigin

        var services: [any Service] = []
        var fileSink: FileExportSink? = nil
        if lokiURL == nil {
            let sink = try FileExportSink(directory: dataDirectory, logger: logger)
            fileSink = sink
            services.append(FileExportService(sink: sink))
        }
        let logSink: any LogLineSink
        if let lokiURL {
            let client = try LokiPushClient(
                configuration: LokiPushConfiguration(url: lokiURL), logger: logger, metricsFactory: metricsFactory)
            services.append(LokiPushService(client: client))
            logSink = client
        } else {
            logSink = fileSink!
        }
        let otlpSink: any OTLPSink = try fileSink ?? FileExportSink(directory: dataDirectory, logger: logger)
        let metrics = CollectorMetrics(factory: metricsFactory)
        let webVitals = try WebVitalsHistograms()
        let application = CollectorApplication(
            intake: try CollectorIntake(configuration: configuration),
            ingestor: try FaroIngestor(
                configuration: configuration, logs: logSink, otlp: otlpSink, webVitals: webVitals, metrics: metrics, logger: logger),
            metrics: metrics, registry: registry, webVitals: webVitals, logger: logger)
        let server = CollectorServer(
            application: application, host: listenAddress, port: listenPort, threads: threads, logger: logger)
        let address = try await server.start()
        var output = "faro-collector listening on http://\(address)/collect"
        if lokiURL == nil { output += "; writing Loki lines and OTLP data to \(dataDirectory)/" }
        print(output)
        fflush(nil)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                // Shut down in reverse order: the server stops taking requests first, then the sinks drain.
                services: services.map { .init(service: $0) } + [.init(service: server)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
