import FaroCollector
import FaroModel
import Logging
import SourceMaps
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
///   otlp_url: http://tempo:4318
/// tenants:
///   - { name: shop, api_keys: [k1], cors_allowed_origins: ["https://*.shop.example"], session_sample_ratio: 0.5 }
/// ```
struct ConfigurationFile {
    /// The file's name, for messages.
    let name: String
    private var issues: [ConfigurationIssue] = []

    private init(name: String) {
        self.name = name
    }

    /// Reads `text` (the contents of the file `name`) over `configuration`'s defaults.
    static func read(_ text: String, name: String, into configuration: inout ServiceConfiguration) throws(ConfigurationIssues) {
        var reader = ConfigurationFile(name: name)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigurationIssues(issues: [reader.issue(for: error)])
        } catch {
            throw ConfigurationIssues(issues: [ConfigurationIssue(location: name, message: "\(error)")])
        }
        if let root { reader.readRoot(root, into: &configuration) }
        if !reader.issues.isEmpty {
            throw ConfigurationIssues(issues: reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
    }

    // MARK: The sections

    private mutating func readRoot(_ node: Node, into configuration: inout ServiceConfiguration) {
        for (key, value) in members(of: node, allowed: Self.rootKeys) {
            switch key {
            case "server": readServer(value, into: &configuration)
            case "log_format":
                if let text = string(value) {
                    if let format = FaroLogFormat(rawValue: text) {
                        configuration.collector.logFormat = format
                    } else {
                        report(value, "log_format must be logfmt or json, not \(text)")
                    }
                }
            case "extra_log_labels": if let labels = stringMap(value) { configuration.collector.extraLogLabels = labels }
            case "default_stream_labels": if let labels = stringMap(value) { configuration.collector.defaultStreamLabels = labels }
            case "session_sample_ratio": if let ratio = ratio(value) { configuration.collector.sessionSampleRatio = ratio }
            case "output": readOutput(value, into: &configuration)
            case "tenants": readTenants(value, into: &configuration.collector)
            case "web_vitals": readWebVitals(value, into: &configuration.webVitals)
            case "sourcemaps": readSourceMaps(value, into: &configuration.collector.sourceMaps)
            default: break
            }
        }
    }

    static let rootKeys = [
        "server", "log_format", "extra_log_labels", "default_stream_labels", "session_sample_ratio", "output", "tenants", "web_vitals",
        "sourcemaps",
    ]

    private mutating func readServer(_ node: Node, into configuration: inout ServiceConfiguration) {
        let allowed = [
            "listen_address", "listen_port", "cors_allowed_origins", "api_key", "api_keys", "max_allowed_payload_size",
            "rate_limiting", "idle_timeout", "request_timeout", "threads", "log_level",
        ]
        for (key, value) in members(of: node, allowed: allowed) {
            switch key {
            case "listen_address": if let text = string(value) { configuration.listenAddress = text }
            case "listen_port":
                if let port = integer(value, in: 0...65535) { configuration.listenPort = port }
            case "cors_allowed_origins": if let origins = stringList(value) { configuration.collector.corsAllowedOrigins = origins }
            case "api_key": if let key = string(value) { configuration.collector.apiKeys = key.isEmpty ? [] : [key] }
            case "api_keys": if let keys = stringList(value) { configuration.collector.apiKeys = keys }
            case "max_allowed_payload_size":
                if let size = bytes(value) {
                    if size > 0 { configuration.collector.maxAllowedPayloadSize = size } else { report(value, "must be positive") }
                }
            case "rate_limiting":
                if let limiting = rateLimiting(value) { configuration.collector.rateLimiting = limiting }
            case "idle_timeout": if let timeout = duration(value, positive: true) { configuration.idleTimeout = timeout }
            case "request_timeout": if let timeout = duration(value, positive: true) { configuration.requestTimeout = timeout }
            case "threads": if let threads = integer(value, in: 1...1024) { configuration.threads = threads }
            case "log_level":
                if let text = string(value) {
                    if let level = Logger.Level(rawValue: text.lowercased()) {
                        configuration.logLevel = level
                    } else {
                        report(value, "log_level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
            default: break
            }
        }
    }

    private mutating func readOutput(_ node: Node, into configuration: inout ServiceConfiguration) {
        let allowed = ["data_directory", "loki_url", "otlp_url", "remote_write_url", "remote_write_interval"]
        for (key, value) in members(of: node, allowed: allowed) {
            switch key {
            case "data_directory": if let text = string(value) { configuration.dataDirectory = text }
            case "loki_url": if let url = httpURL(value) { configuration.lokiURL = url }
            case "otlp_url": if let url = httpURL(value) { configuration.otlpURL = url }
            case "remote_write_url": if let url = httpURL(value) { configuration.remoteWriteURL = url }
            case "remote_write_interval":
                if let interval = duration(value, positive: true) { configuration.remoteWriteInterval = interval }
            default: break
            }
        }
    }

    private mutating func readTenants(_ node: Node, into configuration: inout CollectorConfiguration) {
        guard case .sequence(let sequence) = node else { return report(node, "tenants must be a list") }
        var tenants: [TenantConfiguration] = []
        // Each tenant's node, for the lines of its problems.
        var nodes: [Node] = []
        for item in sequence {
            let allowed = ["name", "api_keys", "cors_allowed_origins", "rate_limiting", "session_sample_ratio"]
            var tenant = TenantConfiguration(name: "", apiKeys: [])
            var named = false
            for (key, value) in members(of: item, allowed: allowed) {
                switch key {
                case "name":
                    if let name = string(value) {
                        tenant.name = name
                        named = true
                    }
                case "api_keys": if let keys = stringList(value) { tenant.apiKeys = keys }
                case "cors_allowed_origins": if let origins = stringList(value) { tenant.corsAllowedOrigins = origins }
                case "rate_limiting": tenant.rateLimit = rateLimiting(value)
                case "session_sample_ratio": if let ratio = ratio(value) { tenant.sessionSampleRatio = ratio }
                default: break
                }
            }
            guard case .mapping = item else { continue }
            if !named { report(item, "a tenant needs a name") }
            if tenant.apiKeys.isEmpty { report(item, "a tenant needs at least one key in api_keys") }
            tenants.append(tenant)
            nodes.append(item)
        }
        configuration.tenants = tenants
        // Names, keys and ratios are checked as the collector checks them, at the tenant's line.
        for (index, problem) in CollectorIntake.tenantProblems(tenants)
        where !tenants[index].apiKeys.isEmpty && !tenants[index].name.isEmpty {
            report(nodes[index], problem.description)
        }
    }

    private mutating func readWebVitals(_ node: Node, into configuration: inout WebVitalsConfiguration) {
        for (key, value) in members(of: node, allowed: ["routes", "max_series_per_metric", "histograms"]) {
            switch key {
            case "histograms":
                guard case .sequence(let sequence) = value else {
                    report(value, "histograms must be a list of blocks")
                    continue
                }
                for item in sequence {
                    if let histogram = webVitalHistogram(item) { configuration.histograms.append(histogram) }
                }
            case "routes":
                guard let routes = stringList(value) else { continue }
                for route in routes where !PageRoutePattern(route).isValid {
                    report(value, "route pattern \(route) must start with / and have * only as its last segment")
                }
                configuration.routes = routes.map { PageRoutePattern($0) }
            case "max_series_per_metric":
                if let maximum = integer(value, in: 1...1_000_000) { configuration.maximumSeriesPerMetric = maximum }
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
        for (key, value) in members(of: node, allowed: allowed) {
            switch key {
            case "location":
                guard case .sequence(let sequence) = value else {
                    report(value, "location must be a list of blocks of path and minified_path_prefix")
                    continue
                }
                var locations: [LocalSourceMapStore.Location] = []
                for item in sequence {
                    var path: String? = nil
                    var prefix: String? = nil
                    for (name, field) in members(of: item, allowed: ["path", "minified_path_prefix"]) {
                        if name == "path" { path = string(field) } else { prefix = string(field) }
                    }
                    guard case .mapping = item else { continue }
                    guard let path, let prefix else {
                        report(item, "a location needs path and minified_path_prefix")
                        continue
                    }
                    do {
                        _ = try LocalSourceMapStore(locations: [LocalSourceMapStore.Location(path: path, minifiedPathPrefix: prefix)])
                    } catch {
                        report(item, "\(error)")
                        continue
                    }
                    locations.append(LocalSourceMapStore.Location(path: path, minifiedPathPrefix: prefix))
                }
                configuration.locations = locations
            case "download":
                if let download = boolean(value) {
                    configuration.download = download
                    downloadNode = value
                }
            case "download_from_origins":
                originsGiven = true
                guard let origins = stringList(value) else { continue }
                var valid = true
                for (index, origin) in origins.enumerated() {
                    do {
                        _ = try DownloadOrigins([origin])
                    } catch {
                        if case .sequence(let items) = value { report(items[index], error.description) }
                        valid = false
                    }
                }
                if valid { configuration.downloadFromOrigins = origins }
            case "download_timeout":
                if let timeout = duration(value, positive: true) { configuration.downloadTimeout = timeout }
            case "download_max_size":
                guard let size = bytes(value) else { continue }
                guard size > 0 else {
                    report(value, "download_max_size must be more than 0 bytes")
                    continue
                }
                configuration.downloadMaxBytes = size
            case "cache_capacity": if let capacity = integer(value, in: 1...1_000_000) { configuration.cacheCapacity = capacity }
            case "cache":
                for (name, field) in members(of: value, allowed: ["ttl", "error_cleanup_interval", "cleanup_check_interval"]) {
                    guard let interval = duration(field, positive: true) else { continue }
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
            report(
                downloadNode,
                "download needs download_from_origins: a payload names the URLs, so list the origins that may be asked (or \"*\")")
        }
    }

    /// A histogram of another measurement value, added to the web vitals: `measurement_type`,
    /// `value_name`, `metric_name`, `buckets`, and optionally `help` and `unit_divisor`.
    private mutating func webVitalHistogram(_ node: Node) -> WebVitalHistogram? {
        let allowed = ["measurement_type", "value_name", "metric_name", "help", "unit_divisor", "buckets"]
        var fields: [String: Node] = [:]
        for (key, value) in members(of: node, allowed: allowed) { fields[key] = value }
        guard case .mapping = node else { return nil }
        guard let type = fields["measurement_type"].flatMap({ string($0) }), let name = fields["value_name"].flatMap({ string($0) }),
            let metric = fields["metric_name"].flatMap({ string($0) }), let bucketsNode = fields["buckets"]
        else {
            report(node, "a histogram needs measurement_type, value_name, metric_name and buckets")
            return nil
        }
        guard case .sequence(let items) = bucketsNode else {
            report(bucketsNode, "buckets must be a list of numbers")
            return nil
        }
        var bounds: [Double] = []
        for item in items {
            guard let bound = number(item) else { return nil }
            bounds.append(bound)
        }
        var divisor = 1.0
        if let divisorNode = fields["unit_divisor"] {
            guard let value = number(divisorNode), value > 0 else {
                report(divisorNode, "unit_divisor must be a positive number")
                return nil
            }
            divisor = value
        }
        let help = fields["help"].flatMap { string($0) } ?? "\(name) of \(type) measurements reported by the Faro Web SDK."
        return WebVitalHistogram(
            measurementType: type, valueName: name, metricName: metric, help: help, unitDivisor: divisor, bucketBounds: bounds)
    }

    private mutating func rateLimiting(_ node: Node) -> RateLimitingConfiguration? {
        var limiting = RateLimitingConfiguration()
        guard case .mapping = node else {
            report(node, "rate_limiting must be a block of enabled, rate, burst_size and strategy")
            return nil
        }
        for (key, value) in members(of: node, allowed: ["enabled", "rate", "burst_size", "strategy"]) {
            switch key {
            case "enabled": if let enabled = boolean(value) { limiting.enabled = enabled }
            case "rate":
                if let rate = number(value) {
                    if rate >= 0 { limiting.rate = rate } else { report(value, "rate must not be negative") }
                }
            case "burst_size": if let burst = integer(value, in: 0...Int(Int32.max)) { limiting.burstSize = burst }
            case "strategy":
                if let text = string(value) {
                    if let strategy = RateLimitingConfiguration.Strategy(rawValue: text) {
                        limiting.strategy = strategy
                    } else {
                        report(value, "strategy must be global or per_app, not \(text)")
                    }
                }
            default: break
            }
        }
        return limiting
    }

    // MARK: Values

    /// The members of a mapping, reporting keys that are not `allowed` and keys given twice.
    private mutating func members(of node: Node, allowed: [String]) -> [(String, Node)] {
        guard case .mapping(let mapping) = node else {
            report(node, "expected a block of \(allowed.joined(separator: ", "))")
            return []
        }
        var seen = Set<String>()
        var members: [(String, Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                report(key, "a key must be text")
                continue
            }
            guard allowed.contains(name) else {
                report(key, "unknown attribute \(name); expected one of \(allowed.joined(separator: ", "))")
                continue
            }
            guard seen.insert(name).inserted else {
                report(key, "\(name) is given twice")
                continue
            }
            members.append((name, value))
        }
        return members
    }

    private mutating func string(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, "expected text")
            return nil
        }
        return scalar.string
    }

    private mutating func integer(_ node: Node, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            report(node, "expected a whole number")
            return nil
        }
        guard range.contains(value) else {
            report(node, "\(value) is out of range \(range.lowerBound)...\(range.upperBound)")
            return nil
        }
        return value
    }

    private mutating func number(_ node: Node) -> Double? {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            report(node, "expected a number")
            return nil
        }
        return value
    }

    private mutating func ratio(_ node: Node) -> Double? {
        guard let value = number(node) else { return nil }
        guard (0...1).contains(value) else {
            report(node, "a ratio must be between 0 and 1, not \(value)")
            return nil
        }
        return value
    }

    private mutating func boolean(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node, let value = Bool(scalar.string) else {
            report(node, "expected true or false")
            return nil
        }
        return value
    }

    private mutating func bytes(_ node: Node) -> Int? {
        guard let text = string(node) else { return nil }
        guard let value = ConfigurationUnits.bytes(text) else {
            report(node, "expected a size such as 5MiB, 512KiB or a number of bytes, not \(text)")
            return nil
        }
        return value
    }

    private mutating func duration(_ node: Node, positive: Bool) -> Duration? {
        guard let text = string(node) else { return nil }
        guard let value = ConfigurationUnits.duration(text), !positive || value > .zero else {
            report(node, "expected a duration such as 30s, 500ms or 1m, not \(text)")
            return nil
        }
        return value
    }

    private mutating func httpURL(_ node: Node) -> String? {
        guard let text = string(node) else { return nil }
        guard text.hasPrefix("http://") || text.hasPrefix("https://"), text.count > 8 else {
            report(node, "expected an http:// or https:// URL, not \(text)")
            return nil
        }
        return text
    }

    private mutating func stringList(_ node: Node) -> [String]? {
        guard case .sequence(let sequence) = node else {
            report(node, "expected a list of text")
            return nil
        }
        var values: [String] = []
        for item in sequence {
            guard let text = string(item) else { return nil }
            values.append(text)
        }
        return values
    }

    private mutating func stringMap(_ node: Node) -> [String: String]? {
        guard case .mapping(let mapping) = node else {
            report(node, "expected a block of names and text values")
            return nil
        }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, let text = string(value) else { continue }
            values[name] = text
        }
        return values
    }

    // MARK: Reporting

    private mutating func report(_ node: Node, _ message: String) {
        let location = node.mark.map { "\(name):\($0.line):\($0.column)" } ?? name
        issues.append(ConfigurationIssue(location: location, message: message, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0))
    }

    private func issue(for error: YamlError) -> ConfigurationIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return ConfigurationIssue(location: "\(name):\(mark.line):\(mark.column)", message: problem, line: mark.line, column: mark.column)
        default:
            return ConfigurationIssue(location: name, message: "\(error)")
        }
    }
}
