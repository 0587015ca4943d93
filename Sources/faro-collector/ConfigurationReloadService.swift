import Logging
import ServiceLifecycle
import UnixSignals

/// Reads the configuration again on SIGHUP and, when it is valid, applies what can change
/// without a restart (keys, tenants, origins, limits, sampling, line format and labels); what
/// needs a restart (where it listens, outputs, threads, web-vitals histograms) is logged and
/// left as it is. A configuration with problems is logged and not applied.
struct ConfigurationReloadService: Service {
    let loader: ConfigurationLoader
    /// The configuration the service started with.
    let running: ServiceConfiguration
    let logger: Logger
    /// Applies a new configuration.
    let apply: @Sendable (ServiceConfiguration) throws -> Void

    func run() async {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    private func reload() {
        let configuration: ServiceConfiguration
        do {
            configuration = try loader.load()
        } catch {
            logger.error("configuration not reloaded", metadata: ["problems": "\(error)"])
            return
        }
        var restartNeeded: [String] = []
        if configuration.listenAddress != running.listenAddress || configuration.listenPort != running.listenPort {
            restartNeeded.append("listen address")
        }
        if configuration.lokiURL != running.lokiURL || configuration.lokiSpoolDirectory != running.lokiSpoolDirectory
            || configuration.lokiSpoolMaxSize != running.lokiSpoolMaxSize || configuration.otlpURL != running.otlpURL
            || configuration.otlpSpoolDirectory != running.otlpSpoolDirectory || configuration.otlpSpoolMaxSize != running.otlpSpoolMaxSize
            || configuration.remoteWriteURL != running.remoteWriteURL || configuration.dataDirectory != running.dataDirectory
        {
            restartNeeded.append("outputs")
        }
        if configuration.threads != running.threads || configuration.idleTimeout != running.idleTimeout
            || configuration.requestTimeout != running.requestTimeout || configuration.maxConnections != running.maxConnections
        {
            restartNeeded.append("threads, timeouts and max_connections")
        }
        if configuration.webVitals != running.webVitals { restartNeeded.append("web_vitals") }
        if configuration.logLevel != running.logLevel { restartNeeded.append("log_level") }
        do {
            try apply(configuration)
        } catch {
            logger.error("configuration not reloaded", metadata: ["problems": "\(error)"])
            return
        }
        var metadata: Logger.Metadata = ["tenants": "\(configuration.collector.tenants.count)"]
        if !restartNeeded.isEmpty { metadata["needs_restart"] = "\(restartNeeded.joined(separator: ", "))" }
        logger.info("configuration reloaded", metadata: metadata)
    }
}
