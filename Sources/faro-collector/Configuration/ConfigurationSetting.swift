import ConfigurationReading
import FaroCollector
import FaroModel
import Foundation
import Logging

/// The settings that the environment (`FARO_COLLECTOR_NAME`) and the command line (`--name`) can
/// set over the configuration file, each read from text the same way in both places.
enum ConfigurationSetting: String, CaseIterable {
    case listenAddress = "listen_address"
    case listenPort = "listen_port"
    case dataDirectory = "data_directory"
    case lokiURL = "loki_url"
    case lokiSpoolDirectory = "loki_spool_directory"
    case lokiSpoolMaxSize = "loki_spool_max_size"
    case otlpURL = "otlp_url"
    case otlpSpoolDirectory = "otlp_spool_directory"
    case otlpSpoolMaxSize = "otlp_spool_max_size"
    case remoteWriteURL = "remote_write_url"
    case logFormat = "log_format"
    case maxAllowedPayloadSize = "max_allowed_payload_size"
    case rateLimit = "rate_limit"
    case burstSize = "burst_size"
    case apiKeys = "api_keys"
    case corsAllowedOrigins = "cors_allowed_origins"
    case threads
    case idleTimeout = "idle_timeout"
    case requestTimeout = "request_timeout"
    case maxConnections = "max_connections"
    case logLevel = "log_level"
    case invalidUTF8 = "invalid_utf8"

    /// The environment variable: `FARO_COLLECTOR_LISTEN_PORT`.
    var environmentVariable: String { "FARO_COLLECTOR_" + rawValue.uppercased() }

    /// Sets `text` from the environment (`location`, for messages) into `configuration`; lists
    /// are comma-separated.
    func apply(_ text: String, from location: String, to configuration: inout ServiceConfiguration) throws(ConfigurationIssue) {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        try apply(text, items: items, from: location, to: &configuration)
    }

    /// Sets the values of an option (`location`, for messages) into `configuration`: a list takes
    /// each value whole, one item an option, so that a key with a comma stays one key; any other
    /// setting takes the last value.
    func apply(options values: [String], from location: String, to configuration: inout ServiceConfiguration) throws(ConfigurationIssue) {
        try apply(values.last ?? "", items: values, from: location, to: &configuration)
    }

    /// Sets `text`, or the list `items` for a list setting, into `configuration`.
    private func apply(_ text: String, items: [String], from location: String, to configuration: inout ServiceConfiguration)
        throws(ConfigurationIssue)
    {
        func invalid(_ expected: String) -> ConfigurationIssue {
            ConfigurationIssue(location: location, message: "expected \(expected), not \"\(text)\"")
        }
        func list() -> [String] { items.filter { !$0.isEmpty } }
        // Seconds, or a Go duration: at least a nanosecond, at most a year.
        func seconds() throws(ConfigurationIssue) -> Duration {
            guard let seconds = Double(text) ?? ConfigurationUnits.seconds(text), seconds.isFinite, seconds >= 0 else {
                throw invalid("seconds or a duration such as 30s")
            }
            guard let duration = ConfigurationUnits.duration(seconds: seconds) else {
                throw invalid("a duration up to \(ConfigurationUnits.maximumDurationText)")
            }
            guard duration > .zero else { throw invalid("a duration of at least 1ns") }
            return duration
        }
        func url() throws(ConfigurationIssue) -> String {
            guard text.hasPrefix("http://") || text.hasPrefix("https://") else { throw invalid("an http:// or https:// URL") }
            return text
        }
        switch self {
        case .listenAddress: configuration.listenAddress = text
        case .listenPort:
            guard let port = Int(text), (0...65535).contains(port) else { throw invalid("a port from 0 to 65535") }
            configuration.listenPort = port
        case .dataDirectory: configuration.dataDirectory = text
        case .lokiURL: configuration.lokiURL = try url()
        case .lokiSpoolDirectory: configuration.lokiSpoolDirectory = text.isEmpty ? nil : text
        case .lokiSpoolMaxSize:
            guard let size = ConfigurationUnits.bytes(text), size > 0 else { throw invalid("a size such as 1GiB") }
            configuration.lokiSpoolMaxSize = size
        case .otlpURL: configuration.otlpURL = try url()
        case .otlpSpoolDirectory: configuration.otlpSpoolDirectory = text.isEmpty ? nil : text
        case .otlpSpoolMaxSize:
            guard let size = ConfigurationUnits.bytes(text), size > 0 else { throw invalid("a size such as 1GiB") }
            configuration.otlpSpoolMaxSize = size
        case .remoteWriteURL: configuration.remoteWriteURL = try url()
        case .logFormat:
            guard let format = FaroLogFormat(rawValue: text) else { throw invalid("logfmt or json") }
            configuration.collector.logFormat = format
        case .maxAllowedPayloadSize:
            guard let size = ConfigurationUnits.bytes(text), size > 0 else { throw invalid("a size such as 5MiB") }
            configuration.collector.maxAllowedPayloadSize = size
        case .rateLimit:
            guard let rate = Double(text), rate >= 0, rate.isFinite else { throw invalid("requests a second, 0 for no limit") }
            configuration.collector.rateLimiting.enabled = rate > 0
            configuration.collector.rateLimiting.rate = rate
        case .burstSize:
            guard let burst = Int(text), burst >= 0 else { throw invalid("a whole number of requests") }
            configuration.collector.rateLimiting.burstSize = burst
        case .apiKeys: configuration.collector.apiKeys = list()
        case .corsAllowedOrigins: configuration.collector.corsAllowedOrigins = list()
        case .threads:
            guard let threads = Int(text), (1...1024).contains(threads) else { throw invalid("a number of threads from 1 to 1024") }
            configuration.threads = threads
        case .idleTimeout: configuration.idleTimeout = try seconds()
        case .requestTimeout: configuration.requestTimeout = try seconds()
        case .maxConnections:
            guard let connections = Int(text), (1...10_000_000).contains(connections) else {
                throw invalid("a number of connections from 1 to 10000000")
            }
            configuration.maxConnections = connections
        case .logLevel:
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw invalid("one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            configuration.logLevel = level
        case .invalidUTF8:
            switch text {
            case "replace": configuration.collector.invalidUTF8 = .replace
            case "reject": configuration.collector.invalidUTF8 = .reject
            default: throw invalid("replace or reject")
            }
        }
    }
}
