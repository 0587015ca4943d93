import FaroCollector
import FaroModel
import IntakePolicy
import LokiPushCodec
import Logging
import SourceMaps
import ConfigurationReading
import Yams

/// Reads a `faro-collector` configuration file, YAML or JSON (YAML reads JSON too), with Alloy's
/// attribute names where Alloy has one, into a `ServiceConfiguration`; every problem is reported
/// with its line and column, and reading goes on so that all are reported at once.
///
/// ```yaml
/// server:
///   listen_address: 0.0.0.0
///   listen_port: 12347
///   cors_allowed_origins: ["https://app.example.com"]
///   api_key: secret
///   max_allowed_payload_size: 5MiB
///   rate_limiting: { enabled: true, rate: 50, burst_size: 100, strategy: per_app }
/// log_format: logfmt
/// extra_log_labels: { app: frontend, kind: "" }
/// output:
///   loki_url: http://loki:3100/loki/api/v1/push
///   loki_spool_directory: /var/lib/faro-collector/loki
///   otlp_url: http://tempo:4318
///   otlp_spool_directory: /var/lib/faro-collector/otlp
/// tenants:
///   - { name: shop, api_keys: [k1], cors_allowed_origins: ["https://*.shop.example"], session_sample_ratio: 0.5 }
/// ```
struct ConfigurationFile {
    private var reader: ConfigurationNodeReader
    /// The server's settings that apply only without tenants (`api_key`, `cors_allowed_origins`,
    /// `session_sample_ratio`) given with a value, by name, for a problem at each when there are
    /// tenants.
    private var defaultTenantSettings: [(name: String, node: Node)] = []

    private init(name: String) {
        self.reader = ConfigurationNodeReader(name: name)
    }

    /// Reads `text` (the contents of the file `name`) over `configuration`'s defaults.
    static func read(_ text: String, name: String, into configuration: inout ServiceConfiguration) throws(ConfigurationIssues) {
        var file = ConfigurationFile(name: name)
        if let root = try file.reader.compose(text) { file.readRoot(root, into: &configuration) }
        try file.reader.finish()
    }

    // MARK: The sections

    private mutating func readRoot(_ node: Node, into configuration: inout ServiceConfiguration) {
        for (key, value) in reader.members(of: node, allowed: Self.rootKeys) {
            switch key {
            case "server": readServer(value, into: &configuration)
            case "log_format":
                if let text = reader.string(value) {
                    if let format = FaroLogFormat(rawValue: text) {
                        configuration.collector.logFormat = format
                    } else {
                        reader.report(value, "log_format must be logfmt or json, not \(text)")
                    }
                }
            case "invalid_utf8":
                if let text = reader.string(value) {
                    switch text {
                    case "replace": configuration.collector.invalidUTF8 = .replace
                    case "reject": configuration.collector.invalidUTF8 = .reject
                    default: reader.report(value, "invalid_utf8 must be replace or reject, not \(text)")
                    }
                }
            case "extra_log_labels": if let labels = streamLabels(value) { configuration.collector.extraLogLabels = labels }
            case "default_stream_labels":
                guard let labels = streamLabels(value) else { continue }
                guard labels.values.contains(where: { !$0.isEmpty }) else {
                    reader.report(value, "default_stream_labels needs a label with a value: Loki refuses a stream without labels")
                    continue
                }
                configuration.collector.defaultStreamLabels = labels
            case "session_sample_ratio":
                if let ratio = reader.ratio(value) {
                    configuration.collector.sessionSampleRatio = ratio
                    if ratio != 1 { defaultTenantSettings.append(("session_sample_ratio", value)) }
                }
            case "output": readOutput(value, into: &configuration)
            case "tenants": readTenants(value, into: &configuration.collector)
            case "web_vitals": readWebVitals(value, into: &configuration.webVitals)
            case "sourcemaps": readSourceMaps(value, into: &configuration.collector.sourceMaps)
            default: break
            }
        }
        // Said and not applied would leave a browser without CORS fields or a key refused.
        if !configuration.collector.tenants.isEmpty {
            for (name, node) in defaultTenantSettings {
                reader.report(node, "\(name) of the server applies only without tenants: set it on each tenant")
            }
        }
    }

    static let rootKeys = [
        "server", "log_format", "invalid_utf8", "extra_log_labels", "default_stream_labels", "session_sample_ratio", "output", "tenants", "web_vitals",
        "sourcemaps",
    ]

    private mutating func readServer(_ node: Node, into configuration: inout ServiceConfiguration) {
        let allowed = [
            "listen_address", "listen_port", "cors_allowed_origins", "api_key", "api_keys", "max_allowed_payload_size",
            "rate_limiting", "idle_timeout", "request_timeout", "max_connections", "threads", "log_level",
        ]
        // `api_key` and `api_keys` set the same keys: with both, one would silently replace the other.
        var keysGiven: String?
        for (key, value) in reader.members(of: node, allowed: allowed) {
            switch key {
            case "listen_address": if let text = reader.string(value) { configuration.listenAddress = text }
            case "listen_port":
                if let port = reader.integer(value, in: 0...65535) { configuration.listenPort = port }
            case "cors_allowed_origins":
                if let origins = origins(value) {
                    configuration.collector.corsAllowedOrigins = origins
                    if !origins.isEmpty { defaultTenantSettings.append((key, value)) }
                }
            case "api_key", "api_keys":
                if let keysGiven {
                    reader.report(value, "\(key) and \(keysGiven) are both given: list every key in api_keys")
                    continue
                }
                keysGiven = key
                guard let keys = key == "api_key" ? reader.string(value).map({ $0.isEmpty ? [] : [$0] }) : reader.stringList(value) else {
                    continue
                }
                configuration.collector.apiKeys = keys
                if !keys.isEmpty { defaultTenantSettings.append((key, value)) }
            case "max_allowed_payload_size":
                if let size = reader.bytes(value) {
                    if size > 0 { configuration.collector.maxAllowedPayloadSize = size } else { reader.report(value, "must be positive") }
                }
            case "rate_limiting":
                if let limiting = rateLimiting(value, ofTenant: false) { configuration.collector.rateLimiting = limiting }
            case "idle_timeout": if let timeout = reader.duration(value, positive: true) { configuration.idleTimeout = timeout }
            case "request_timeout": if let timeout = reader.duration(value, positive: true) { configuration.requestTimeout = timeout }
            case "max_connections":
                if let connections = reader.integer(value, in: 1...10_000_000) { configuration.maxConnections = connections }
            case "threads": if let threads = reader.integer(value, in: 1...1024) { configuration.threads = threads }
            case "log_level":
                if let text = reader.string(value) {
                    if let level = Logger.Level(rawValue: text.lowercased()) {
                        configuration.logLevel = level
                    } else {
                        reader.report(value, "log_level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            default: break
            }
        }
    }

    private mutating func readOutput(_ node: Node, into configuration: inout ServiceConfiguration) {
        let allowed = [
            "data_directory", "loki_url", "loki_spool_directory", "loki_spool_max_size", "otlp_url", "otlp_spool_directory",
            "otlp_spool_max_size", "remote_write_url", "remote_write_interval",
        ]
        for (key, value) in reader.members(of: node, allowed: allowed) {
            switch key {
            case "data_directory": if let text = reader.string(value) { configuration.dataDirectory = text }
            case "loki_url": if let url = reader.httpURL(value) { configuration.lokiURL = url }
            case "loki_spool_directory":
                if let text = reader.string(value) { configuration.lokiSpoolDirectory = text.isEmpty ? nil : text }
            case "loki_spool_max_size":
                if let size = reader.bytes(value) {
                    if size > 0 { configuration.lokiSpoolMaxSize = size } else { reader.report(value, "must be positive") }
                }
            case "otlp_url": if let url = reader.httpURL(value) { configuration.otlpURL = url }
            case "otlp_spool_directory":
                if let text = reader.string(value) { configuration.otlpSpoolDirectory = text.isEmpty ? nil : text }
            case "otlp_spool_max_size":
                if let size = reader.bytes(value) {
                    if size > 0 { configuration.otlpSpoolMaxSize = size } else { reader.report(value, "must be positive") }
                }
            case "remote_write_url": if let url = reader.httpURL(value) { configuration.remoteWriteURL = url }
            case "remote_write_interval":
                if let interval = reader.duration(value, positive: true) { configuration.remoteWriteInterval = interval }
            default: break
            }
        }
    }

    private mutating func readTenants(_ node: Node, into configuration: inout CollectorConfiguration) {
        guard case .sequence(let sequence) = node else { return reader.reportMismatch(node, "tenants must be a list") }
        var tenants: [TenantConfiguration] = []
        // Each tenant's node, for the lines of its problems.
        var nodes: [Node] = []
        for item in sequence {
            let allowed = ["name", "api_keys", "cors_allowed_origins", "rate_limiting", "session_sample_ratio"]
            var tenant = TenantConfiguration(name: "", apiKeys: [])
            var named = false
            for (key, value) in reader.members(of: item, allowed: allowed) {
                switch key {
                case "name":
                    if let name = reader.string(value) {
                        tenant.name = name
                        named = true
                    }
                case "api_keys": if let keys = reader.stringList(value) { tenant.apiKeys = keys }
                case "cors_allowed_origins": if let origins = origins(value) { tenant.corsAllowedOrigins = origins }
                case "rate_limiting": tenant.rateLimit = rateLimiting(value, ofTenant: true)
                case "session_sample_ratio": if let ratio = reader.ratio(value) { tenant.sessionSampleRatio = ratio }
                default: break
                }
            }
            guard case .mapping = item else { continue }
            if !named { reader.report(item, "a tenant needs a name") }
            if tenant.apiKeys.isEmpty { reader.report(item, "a tenant needs at least one key in api_keys") }
            tenants.append(tenant)
            nodes.append(item)
        }
        configuration.tenants = tenants
        // Names, keys and ratios are checked as the collector checks them, at the tenant's line.
        for (index, problem) in CollectorIntake.tenantProblems(tenants)
        where !tenants[index].apiKeys.isEmpty && !tenants[index].name.isEmpty {
            reader.report(nodes[index], problem.description)
        }
    }

    private mutating func readWebVitals(_ node: Node, into configuration: inout WebVitalsConfiguration) {
        for (key, value) in reader.members(of: node, allowed: ["routes", "max_series_per_metric", "max_label_value_length", "histograms"]) {
            switch key {
            case "histograms":
                guard case .sequence(let sequence) = value else {
                    reader.reportMismatch(value, "histograms must be a list of blocks")
                    continue
                }
                for item in sequence {
                    guard let histogram = webVitalHistogram(item) else { continue }
                    // Checked as the collector checks it, beside the histograms before it (the
                    // defaults first): names, a name or value used twice, buckets.
                    do {
                        _ = try WebVitalsHistograms(configuration: WebVitalsConfiguration(histograms: configuration.histograms + [histogram]))
                        configuration.histograms.append(histogram)
                    } catch {
                        reader.report(item, error.description)
                    }
                }
            case "routes":
                guard let routes = reader.stringList(value) else { continue }
                for route in routes where !PageRoutePattern(route).isValid {
                    reader.report(value, "route pattern \(route) must start with / and have * only as its last segment")
                }
                configuration.routes = routes.map { PageRoutePattern($0) }
            case "max_series_per_metric":
                if let maximum = reader.integer(value, in: 1...1_000_000) { configuration.maximumSeriesPerMetric = maximum }
            case "max_label_value_length":
                if let maximum = reader.integer(value, in: 1...4096) { configuration.maximumLabelValueLength = maximum }
            default: break
            }
        }
    }

    private mutating func readSourceMaps(_ node: Node, into configuration: inout SourceMapsConfiguration) {
        let allowed = [
            "location", "download", "download_from_origins", "download_timeout", "download_max_size", "cache_capacity", "cache",
        ]
        var downloadNode: Node?
        var originsGiven = false
        for (key, value) in reader.members(of: node, allowed: allowed) {
            switch key {
            case "location":
                guard case .sequence(let sequence) = value else {
                    reader.reportMismatch(value, "location must be a list of blocks of path and minified_path_prefix")
                    continue
                }
                var locations: [LocalSourceMapStore.Location] = []
                for item in sequence {
                    var path: String? = nil
                    var prefix: String? = nil
                    for (name, field) in reader.members(of: item, allowed: ["path", "minified_path_prefix"]) {
                        if name == "path" { path = reader.string(field) } else { prefix = reader.string(field) }
                    }
                    guard case .mapping = item else { continue }
                    guard let path, let prefix else {
                        reader.report(item, "a location needs path and minified_path_prefix")
                        continue
                    }
                    do {
                        _ = try LocalSourceMapStore(locations: [LocalSourceMapStore.Location(path: path, minifiedPathPrefix: prefix)])
                    } catch {
                        reader.report(item, "\(error)")
                        continue
                    }
                    locations.append(LocalSourceMapStore.Location(path: path, minifiedPathPrefix: prefix))
                }
                configuration.locations = locations
            case "download":
                if let download = reader.boolean(value) {
                    configuration.download = download
                    downloadNode = value
                }
            case "download_from_origins":
                originsGiven = true
                guard let origins = reader.stringList(value) else { continue }
                var valid = true
                for (index, origin) in origins.enumerated() {
                    do {
                        _ = try DownloadOrigins([origin])
                    } catch {
                        if case .sequence(let items) = value { reader.report(items[index], error.description) }
                        valid = false
                    }
                }
                if valid { configuration.downloadFromOrigins = origins }
            case "download_timeout":
                if let timeout = reader.duration(value, positive: true) { configuration.downloadTimeout = timeout }
            case "download_max_size":
                guard let size = reader.bytes(value) else { continue }
                guard size > 0 else {
                    reader.report(value, "download_max_size must be more than 0 bytes")
                    continue
                }
                configuration.downloadMaxBytes = size
            case "cache_capacity": if let capacity = reader.integer(value, in: 1...1_000_000) { configuration.cacheCapacity = capacity }
            case "cache":
                for (name, field) in reader.members(of: value, allowed: ["ttl", "error_cleanup_interval", "cleanup_check_interval"]) {
                    guard let interval = reader.duration(field, positive: true) else { continue }
                    switch name {
                    case "ttl": configuration.cacheTTL = interval
                    case "error_cleanup_interval": configuration.errorCleanupInterval = interval
                    default: configuration.cleanupCheckInterval = interval
                    }
                }
            default: break
            }
        }
        if configuration.download, configuration.downloadFromOrigins.isEmpty, !originsGiven, let downloadNode {
            reader.report(
                downloadNode,
                "download needs download_from_origins: a payload names the URLs, so list the origins that may be asked (or \"*\")")
        }
    }

    /// A histogram of another measurement value, added to the web vitals: `measurement_type`,
    /// `value_name`, `metric_name`, `buckets`, and optionally `help` and `unit_divisor`.
    private mutating func webVitalHistogram(_ node: Node) -> WebVitalHistogram? {
        let allowed = ["measurement_type", "value_name", "metric_name", "help", "unit_divisor", "buckets"]
        var fields: [String: Node] = [:]
        for (key, value) in reader.members(of: node, allowed: allowed) { fields[key] = value }
        guard case .mapping = node else { return nil }
        guard let type = fields["measurement_type"].flatMap({ reader.string($0) }), let name = fields["value_name"].flatMap({ reader.string($0) }),
            let metric = fields["metric_name"].flatMap({ reader.string($0) }), let bucketsNode = fields["buckets"]
        else {
            reader.report(node, "a histogram needs measurement_type, value_name, metric_name and buckets")
            return nil
        }
        guard case .sequence(let items) = bucketsNode else {
            reader.reportMismatch(bucketsNode, "buckets must be a list of numbers")
            return nil
        }
        var bounds: [Double] = []
        for item in items {
            guard let bound = reader.number(item) else { return nil }
            bounds.append(bound)
        }
        var divisor = 1.0
        if let divisorNode = fields["unit_divisor"] {
            guard let value = reader.number(divisorNode), value > 0 else {
                reader.report(divisorNode, "unit_divisor must be a positive number")
                return nil
            }
            divisor = value
        }
        let help = fields["help"].flatMap { reader.string($0) } ?? "\(name) of \(type) measurements reported by the Faro Web SDK."
        return WebVitalHistogram(
            measurementType: type, valueName: name, metricName: metric, help: help, unitDivisor: divisor, bucketBounds: bounds)
    }

    /// A list of CORS origins, each checked as the collector checks it, at its place; nil when
    /// any is refused.
    private mutating func origins(_ node: Node) -> [String]? {
        guard let origins = reader.stringList(node), case .sequence(let items) = node else { return nil }
        var valid = true
        for (origin, item) in zip(origins, items) where !CORSPolicy.isValidOrigin(origin) {
            reader.report(item, "cors_allowed_origins: origin \"\(origin)\" must be \(CORSPolicy.originRule)")
            valid = false
        }
        return valid ? origins : nil
    }

    /// A block of Loki stream labels (`extra_log_labels`, `default_stream_labels`), each name
    /// checked as Loki checks it, at its key; nil when any is refused.
    private mutating func streamLabels(_ node: Node) -> [String: String]? {
        guard let entries = reader.namedTexts(node) else { return nil }
        var labels: [String: String] = [:]
        var valid = true
        for (key, name, value) in entries {
            guard LabelName.isValid(name) else {
                reader.report(key, "label name \"\(name)\" must be \(LabelName.rule)")
                valid = false
                continue
            }
            labels[name] = value
        }
        return valid ? labels : nil
    }

    /// A `rate_limiting` block: the server's, or a tenant's (`ofTenant`), whose one bucket counts
    /// all the tenant's requests, so that its `strategy` can only be `global`.
    private mutating func rateLimiting(_ node: Node, ofTenant: Bool) -> RateLimitingConfiguration? {
        var limiting = RateLimitingConfiguration()
        guard case .mapping = node else {
            reader.reportMismatch(node, "rate_limiting must be a block of enabled, rate, burst_size and strategy")
            return nil
        }
        for (key, value) in reader.members(of: node, allowed: ["enabled", "rate", "burst_size", "strategy"]) {
            switch key {
            case "enabled": if let enabled = reader.boolean(value) { limiting.enabled = enabled }
            case "rate":
                if let rate = reader.number(value) {
                    if rate < 0 {
                        reader.report(value, "rate must not be negative")
                    } else if rate > 0, rate < RateLimitingConfiguration.minimumRate {
                        reader.report(value, "rate must be \(RateLimitingConfiguration.rateRule)")
                    } else {
                        limiting.rate = rate
                    }
                }
            case "burst_size": if let burst = reader.integer(value, in: 0...Int(Int32.max)) { limiting.burstSize = burst }
            case "strategy":
                if let text = reader.string(value) {
                    if ofTenant, text == RateLimitingConfiguration.Strategy.perApp.rawValue {
                        reader.report(
                            value,
                            "a tenant's rate_limiting counts all its requests in one bucket: strategy per_app applies only to server.rate_limiting")
                    } else if let strategy = RateLimitingConfiguration.Strategy(rawValue: text) {
                        limiting.strategy = strategy
                    } else {
                        reader.report(value, "strategy must be global or per_app, not \(text)")
                    }
                }
            default: break
            }
        }
        return limiting
    }
}
