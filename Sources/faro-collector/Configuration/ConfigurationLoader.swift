import ConfigurationReading
import FaroCollector
import Foundation
import Logging
import LokiPush
import Metrics
import OTLPHTTPClient

/// Reads the service's configuration from its three sources, in order of precedence: the file,
/// then the environment, then the command line; then checks the whole as the collector will
/// use it. Every problem is reported, with where it is.
struct ConfigurationLoader: Sendable {
    /// The configuration file, if any.
    let file: String?
    /// The settings given on the command line, by setting, in the order given: each option's
    /// values (one, or one an item of a list option given more than once).
    let flags: [(ConfigurationSetting, [String])]
    /// The environment.
    let environment: [String: String]

    /// The configuration, or every problem in it.
    func load() throws(ConfigurationIssues) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        if let file {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigurationIssues(issues: [ConfigurationIssue(location: file, message: "cannot read: \(error.localizedDescription)")])
            }
            try ConfigurationFile.read(text, name: file, into: &configuration)
        }
        var issues: [ConfigurationIssue] = []
        for setting in ConfigurationSetting.allCases {
            guard let value = environment[setting.environmentVariable] else { continue }
            do {
                try setting.apply(value, from: "environment \(setting.environmentVariable)", to: &configuration)
            } catch {
                issues.append(error)
            }
        }
        for (setting, values) in flags {
            do {
                try setting.apply(
                    options: values, from: "--" + setting.rawValue.replacingOccurrences(of: "_", with: "-"), to: &configuration)
            } catch {
                issues.append(error)
            }
        }
        if issues.isEmpty {
            issues += Self.check(configuration).map { ConfigurationIssue(location: file ?? "configuration", message: $0) }
        }
        guard issues.isEmpty else { throw ConfigurationIssues(issues: issues) }
        return configuration
    }

    /// What the service refuses in `configuration`: everything `serve` makes of it (the intake,
    /// the ingestor, the web-vitals histograms, the Loki and OTLP clients) is made here and let
    /// go, so that `--check-config`, a start and a reload agree.
    static func check(_ configuration: ServiceConfiguration) -> [String] {
        var problems: [String] = []
        do {
            _ = try CollectorIntake(configuration: configuration.collector)
        } catch {
            problems.append(error.description)
        }
        do {
            _ = try FaroIngestor(
                configuration: configuration.collector, logs: nil, otlp: nil,
                metrics: CollectorMetrics(factory: NOOPMetricsHandler.instance),
                logger: Logger(label: "faro-collector", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            problems.append(error.description)
        }
        do {
            _ = try WebVitalsHistograms(configuration: configuration.webVitals)
        } catch {
            problems.append("web_vitals: \(error)")
        }
        // The spool is not opened: a running collector holds its lock while a reload is checked.
        if let lokiPush = configuration.lokiPush(spool: false) {
            do {
                _ = try LokiPushClient(configuration: lokiPush, metricsFactory: NOOPMetricsHandler.instance)
            } catch {
                problems.append("loki_url: \(error)")
            }
        } else if configuration.lokiSpoolDirectory != nil {
            problems.append("loki_spool_directory is set without loki_url: without Loki, lines are written to files")
        }
        if let otlpExport = configuration.otlpExport(spool: false) {
            do {
                _ = try OTLPHTTPClient(configuration: otlpExport, metricsFactory: NOOPMetricsHandler.instance)
            } catch {
                problems.append("otlp_url: \(error)")
            }
        } else if configuration.otlpSpoolDirectory != nil {
            problems.append("otlp_spool_directory is set without otlp_url: without a receiver, OTLP data is written to files")
        }
        if let loki = configuration.lokiSpoolDirectory, let otlp = configuration.otlpSpoolDirectory,
            URL(fileURLWithPath: loki).standardizedFileURL.path == URL(fileURLWithPath: otlp).standardizedFileURL.path
        {
            problems.append("otlp_spool_directory is loki_spool_directory: each spool needs a directory of its own")
        }
        return problems
    }
}
