import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OTLPHTTPClient
import RUMTracing
import ServiceLifecycle
import Tracing

/// `ssr-demo`: a small shop whose pages are rendered on the server and in the browser, traced
/// end to end: server spans through RUMTracing, browser telemetry through our Faro-speaking
/// script, both to faro-collector.
@main
struct SSRDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssr-demo",
        abstract: "A server-rendered demo shop traced from the browser to the back end.",
        discussion: """
            Its server spans go to --otlp-endpoint as OTLP/HTTP protobuf; its pages load a browser script that posts \
            Faro payloads (web vitals, errors, events, fetch spans) to --collector-url. Start faro-collector first, \
            allowing this demo's origin: faro-collector --cors-allowed-origin http://127.0.0.1:8080
            """)

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port, printed at start).")
    var port = 8080

    @Option(name: .customLong("collector-url"), help: "Where the browser posts Faro payloads.")
    var collectorURL = "http://127.0.0.1:12347/collect"

    @Option(name: .customLong("otlp-endpoint"), help: "The OTLP/HTTP receiver of the server's spans (faro-collector takes /v1/traces).")
    var otlpEndpoint = "http://127.0.0.1:12347"

    @Option(name: .customLong("api-key"), help: "The API key the browser and the span exporter send to the collector.")
    var apiKey: String?

    @Option(name: .long, help: "The service and app name.")
    var serviceName = "ssr-demo"

    @Option(name: .long, help: "The deployment environment.")
    var environment = "development"

    @Option(name: .long, help: "The ratio of new traces sampled, 0 to 1.")
    var sampleRatio = 1.0

    @Option(name: .long, help: "Seconds between span exports.")
    var exportInterval = 1.0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard (0...1).contains(sampleRatio) else { throw ValidationError("--sample-ratio must be 0 to 1") }
        guard exportInterval >= 0.01 else { throw ValidationError("--export-interval must be at least 0.01 seconds") }
    }

    func run() async throws {
        var logger = Logger(label: "ssr-demo")
        logger.logLevel = .info
        var exporterConfiguration = OTLPHTTPClientConfiguration(endpoint: otlpEndpoint)
        exporterConfiguration.batchWait = .milliseconds(200)
        exporterConfiguration.drainTimeout = .seconds(5)
        if let apiKey { exporterConfiguration.headers = [("x-api-key", apiKey)] }
        let exporter = try OTLPHTTPClient(configuration: exporterConfiguration, logger: logger)
        var processorConfiguration = BatchSpanProcessorConfiguration()
        processorConfiguration.scheduleDelay = .milliseconds(Int64(exportInterval * 1000))
        let processor = BatchSpanProcessor(
            exporter: exporter,
            resource: [
                "service.name": .string(serviceName), "service.version": "1.0.0", "deployment.environment.name": .string(environment),
                "telemetry.sdk.name": "swift-rum", "telemetry.sdk.language": "swift",
            ],
            instrumentationScopeName: "ssr-demo", configuration: processorConfiguration)
        InstrumentationSystem.bootstrap(try RUMTracer(processor: processor, ratio: sampleRatio))

        guard let resources = Bundle.module.resourceURL else { throw ValidationError("ssr-demo's resources are missing") }
        let renderer = try await PageRenderer(
            directory: resources.appendingPathComponent("Templates").path,
            settings: PageRenderer.BrowserSettings(
                collectorURL: collectorURL, appName: serviceName, appVersion: "1.0.0", environment: environment, apiKey: apiKey))
        let router = DemoRoutes.router(renderer: renderer, publicDirectory: resources.appendingPathComponent("Public").path)
        let application = Application(
            router: router, configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "ssr-demo"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                print("ssr-demo listening on http://\(host):\(port)/ (browser telemetry to \(collectorURL), spans to \(otlpEndpoint))")
                fflush(nil)
            },
            logger: logger)
        let services = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: processor),
                    .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await services.run()
    }
}
