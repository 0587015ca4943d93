import AsyncHTTPClient
import FaroCollector
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The service's configuration: the file with line-numbered problems, the precedence of file,
/// environment and options, and reloading on SIGHUP.
@Suite("faro-collector: configuration")
struct CollectorConfigurationTests {
    @Test("--check-config accepts a full file")
    func validFile() async throws {
        let text = """
            server:
              listen_address: 127.0.0.1
              listen_port: 12347
              max_allowed_payload_size: 5MiB
              idle_timeout: 45s
              max_connections: 20000
              log_level: debug
              rate_limiting: { enabled: true, rate: 50, burst_size: 100, strategy: per_app }
            log_format: json
            extra_log_labels: { app: frontend, kind: "" }
            output:
              data_directory: ./out
              loki_url: http://127.0.0.1:3100/loki/api/v1/push
            tenants:
              - name: shop
                api_keys: [k1, k2]
                cors_allowed_origins: ["https://shop.example"]
                rate_limiting: { rate: 10, burst_size: 20 }
                session_sample_ratio: 0.5
            web_vitals:
              routes: ["/products/:id", "/docs/*"]
              max_series_per_metric: 500
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "collector.yaml: ok\n")
    }

    @Test("--check-config reports every problem with its line and column, in order")
    func problems() async throws {
        let text = """
            server:
              listen_port: 99999
              rate_limiting:
                rate: -1
                strategy: sometimes
              colour: blue
            log_format: xml
            tenants:
              - name: shop
                api_keys: [k1]
              - name: "bad name"
                api_keys: [k2]
              - api_keys: []
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 1)
        let expected = """
            collector.yaml:2:16: 99999 is out of range 0...65535
            collector.yaml:4:11: rate must not be negative
            collector.yaml:5:15: strategy must be global or per_app, not sometimes
            collector.yaml:6:3: unknown attribute colour; expected one of listen_address, listen_port, cors_allowed_origins, \
            api_key, api_keys, max_allowed_payload_size, rate_limiting, idle_timeout, request_timeout, max_connections, threads, \
            log_level
            collector.yaml:7:13: log_format must be logfmt or json, not xml
            collector.yaml:11:5: tenant name "bad name" must be 1 to 150 of the characters a-z A-Z 0-9 ! - _ . * ' ( )
            collector.yaml:13:5: a tenant needs a name
            collector.yaml:13:5: a tenant needs at least one key in api_keys

            """
        #expect(result.output == expected)
    }

    @Test("server-level keys, origins and sampling beside tenants are refused, not silently ignored")
    func serverSettingsBesideTenants() async throws {
        let text = """
            server:
              api_key: serverkey
              cors_allowed_origins: ["https://shop.example"]
            tenants:
              - { name: a, api_keys: [k] }
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 1)
        #expect(
            result.output == """
                collector.yaml:2:12: api_key of the server applies only without tenants: set it on each tenant
                collector.yaml:3:25: cors_allowed_origins of the server applies only without tenants: set it on each tenant

                """)
        let flags = try await CollectorProcess.checkConfiguration("tenants:\n  - { name: a, api_keys: [k] }\n", arguments: ["--api-key", "x"])
        #expect(flags.status == 1 && flags.output.contains("api_key of the server apply only without tenants"), "\(flags.output)")
    }

    @Test("origins no browser sends are refused, with the tenant that lists them")
    func invalidOrigins() async throws {
        let server = try await CollectorProcess.checkConfiguration("server: { cors_allowed_origins: [\"https://shop.example/\"] }\n")
        #expect(server.status == 1 && server.output.contains(#"cors_allowed_origins: origin "https://shop.example/" must be http://"#), "\(server.output)")
        let tenant = try await CollectorProcess.checkConfiguration(
            "tenants:\n  - { name: a, api_keys: [k], cors_allowed_origins: [shop.example] }\n")
        #expect(tenant.status == 1 && tenant.output.hasPrefix(#"collector.yaml:2:54: cors_allowed_origins: origin "shop.example""#), "\(tenant.output)")
        let valid = try await CollectorProcess.checkConfiguration(
            "server: { cors_allowed_origins: [\"https://*.shop.example\", \"http://localhost:*\", \"*\"] }\n")
        #expect(valid.status == 0, "\(valid.output)")
    }

    @Test("syntax errors, sizes, durations and duplicate keys")
    func syntaxAndValues() async throws {
        #expect(try await CollectorProcess.checkConfiguration("server: [1, 2\n").output == "collector.yaml:2:1: did not find expected ',' or ']'\n")
        let values = """
            server:
              max_allowed_payload_size: 5 parsecs
              idle_timeout: soon
            output:
              loki_url: loki:3100
            tenants:
              - { name: a, api_keys: [k] }
              - { name: b, api_keys: [k] }
            """
        let result = try await CollectorProcess.checkConfiguration(values)
        #expect(
            result.output == """
                collector.yaml:2:29: expected a size such as 5MiB, 512KiB or a number of bytes, not 5 parsecs
                collector.yaml:3:17: expected a duration such as 30s, 500ms or 1m, not soon
                collector.yaml:5:13: expected an http:// or https:// URL, not loki:3100
                collector.yaml:8:5: an API key of tenant b is already used

                """)
    }

    @Test("a duration too long for a timer or under a nanosecond is refused where it is given, not crashed on")
    func durationBounds() async throws {
        let file = try await CollectorProcess.checkConfiguration("server:\n  idle_timeout: 99999999999h\n  request_timeout: 0.1ns\n")
        #expect(file.status == 1)
        #expect(
            file.output == """
                collector.yaml:2:17: 99999999999h is longer than 8760h, the longest duration taken
                collector.yaml:3:20: 0.1ns is less than 1ns

                """)
        let flags = try await CollectorProcess.checkConfiguration("", arguments: ["--idle-timeout", "1e10", "--request-timeout", "1e-10"])
        #expect(flags.status == 1)
        #expect(
            flags.output == """
                --idle-timeout: expected a duration up to 8760h, not "1e10"
                --request-timeout: expected a duration of at least 1ns, not "1e-10"

                """)
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("faro-empty-\(UUID().uuidString).yaml")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        let environment = try await TestEnvironment.runToEnd(
            URL(fileURLWithPath: "/usr/bin/env"),
            arguments: [
                "FARO_COLLECTOR_REQUEST_TIMEOUT=1e12", TestEnvironment.productsDirectory.appendingPathComponent("faro-collector").path,
                "--check-config", empty.path,
            ])
        #expect(environment.status == 1)
        #expect(
            String(decoding: environment.errors, as: UTF8.self)
                == "environment FARO_COLLECTOR_REQUEST_TIMEOUT: expected a duration up to 8760h, not \"1e12\"\n")
        #expect(try await CollectorProcess.checkConfiguration("server: { idle_timeout: 8760h, request_timeout: 1ns }\n").status == 0)
    }

    @Test("problems found only when the collector was built come with their line, together with the others")
    func problemsAtTheirNodes() async throws {
        let text = """
            server:
              cors_allowed_origins: ["https://shop.example/", "https://ok.example"]
            log_format: xml
            extra_log_labels: { "bad-name": x, app: web }
            default_stream_labels: { "9x": y }
            web_vitals:
              histograms:
                - { measurement_type: a, value_name: v, metric_name: "bad-metric", buckets: [1] }
                - { measurement_type: a, value_name: w, metric_name: faro_web_vitals_lcp_seconds, buckets: [1] }
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 1)
        let origin = #"collector.yaml:2:26: cors_allowed_origins: origin "https://shop.example/" must be http:// or https://"#
        #expect(result.output.hasPrefix(origin), "\(result.output)")
        let rest = """
            collector.yaml:3:13: log_format must be logfmt or json, not xml
            collector.yaml:4:21: label name "bad-name" must be [a-zA-Z_][a-zA-Z0-9_]*
            collector.yaml:5:26: label name "9x" must be [a-zA-Z_][a-zA-Z0-9_]*
            collector.yaml:8:7: invalid metric name "bad-metric": it must match [a-zA-Z_:][a-zA-Z0-9_:]*
            collector.yaml:9:7: metric name "faro_web_vitals_lcp_seconds" is used by two histograms

            """
        #expect(result.output.hasSuffix(rest), "\(result.output)")
        #expect(result.output.split(separator: "\n").count == 6)
        let beside = """
            server:
              api_keys: [old, new]
            session_sample_ratio: 0.5
            default_stream_labels: { service_name: "" }
            tenants:
              - { name: a, api_keys: [k], rate_limiting: { rate: 1, burst_size: 1, strategy: per_app } }
            """
        let besideResult = try await CollectorProcess.checkConfiguration(beside)
        #expect(besideResult.status == 1)
        #expect(
            besideResult.output == """
                collector.yaml:2:13: api_keys of the server applies only without tenants: set it on each tenant
                collector.yaml:3:23: session_sample_ratio of the server applies only without tenants: set it on each tenant
                collector.yaml:4:24: default_stream_labels needs a label with a value: Loki refuses a stream without labels
                collector.yaml:6:82: a tenant's rate_limiting counts all its requests in one bucket: strategy per_app applies only to server.rate_limiting

                """)
    }

    @Test("a positive rate too small for a Retry-After is refused where it is given, not crashed on")
    func tinyRate() async throws {
        let text = """
            server:
              rate_limiting: { rate: 1e-300, burst_size: 1 }
            tenants:
              - { name: a, api_keys: [k], rate_limiting: { rate: 5e-324 } }
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 1)
        let rule = "rate must be 0 (no refill) or at least one request a year (3.1709791983764586e-08 a second)"
        #expect(result.output == "collector.yaml:2:26: \(rule)\ncollector.yaml:4:54: \(rule)\n")
        let option = try await CollectorProcess.checkConfiguration("", arguments: ["--rate-limit", "1e-30"])
        #expect(option.status == 1 && option.output.contains("rate_limiting.\(rule)"), "\(option.output)")
    }

    @Test("--check-config makes what a start makes, so that they agree")
    func checkAgreesWithStart() async throws {
        let result = try await CollectorProcess.checkConfiguration("output: { otlp_url: \"http://tempo:4318/?tenant=a\" }\n")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix(#"collector.yaml: otlp_url: invalid OTLP endpoint "http://tempo:4318/?tenant=a""#), "\(result.output)")
        // Labels Loki refuses are refused by the ingestor too, for an embedding server.
        var configuration = CollectorConfiguration()
        configuration.extraLogLabels = ["app": "web", "bad-name": "x"]
        #expect(throws: CollectorConfigurationError.invalid(#"extra_log_labels: label name "bad-name" must be [a-zA-Z_][a-zA-Z0-9_]*"#)) {
            try FaroIngestor(configuration: configuration, logs: nil, otlp: nil, metrics: CollectorMetrics(), logger: .init(label: "test"))
        }
    }

    @Test("a repeated --api-key takes each value whole: a key with a comma stays one key")
    func repeatedKeyOptions() async throws {
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))
        let collector = try await CollectorProcess.start(["--api-key", "a,b", "--api-key", "c"])
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "a,b")]).status == 202)
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "c")]).status == 202)
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "a")]).status == 401)
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "b")]).status == 401)
        #expect(await collector.stop() == 0)
    }

    @Test("options and the environment are checked too, named as given")
    func overridesChecked() async throws {
        let result = try await CollectorProcess.checkConfiguration("log_format: json\n", arguments: ["--rate-limit", "fast", "--listen-port", "70000"])
        #expect(result.status == 1)
        #expect(
            result.output == """
                --listen-port: expected a port from 0 to 65535, not "70000"
                --rate-limit: expected requests a second, 0 for no limit, not "fast"

                """)
    }

    @Test("precedence: file, then environment, then options")
    func precedence() async throws {
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))
        // The file says json; the environment says logfmt, and wins.
        let environmentWins = try await CollectorProcess.start(
            configuration: "log_format: json\n", environment: ["FARO_COLLECTOR_LOG_FORMAT": "logfmt"])
        #expect(try await environmentWins.post(body: payload).status == 202)
        #expect(await environmentWins.stop() == 0)
        #expect(try environmentWins.lokiLines().first?.hasPrefix("timestamp=") == true)
        // The option says json again, and wins over both.
        let optionWins = try await CollectorProcess.start(
            ["--log-format", "json"], configuration: "log_format: logfmt\n", environment: ["FARO_COLLECTOR_LOG_FORMAT": "logfmt"])
        #expect(try await optionWins.post(body: payload).status == 202)
        #expect(await optionWins.stop() == 0)
        #expect(try optionWins.lokiLines().first?.hasPrefix("{") == true)
    }

    @Test("SIGHUP applies a new valid configuration and keeps the old one when the new is invalid")
    func reload() async throws {
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))
        let collector = try await CollectorProcess.start(configuration: "server: { api_key: first }\n")
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "first")]).status == 202)
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "second")]).status == 401)
        try collector.rewriteConfiguration("server: { api_key: second }\n")
        collector.service.signal(SIGHUP)
        let reloaded = try await eventually(every: .milliseconds(20)) {
            try await collector.post(body: payload, headers: [("x-api-key", "second")]).status == 202
        }
        #expect(reloaded, "the new key is not taken; log:\n\(collector.service.logged)")
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "first")]).status == 401)
        try collector.rewriteConfiguration("server: { api_key: third, colour: red }\n")
        collector.service.signal(SIGHUP)
        #expect(try await eventually(every: .milliseconds(20)) { collector.service.logged.contains("configuration not reloaded") })
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "second")]).status == 202)
        #expect(collector.service.isRunning)
        #expect(await collector.stop() == 0)
    }

    @Test("SIGHUP keeps the rate-limit buckets: a reload does not lift the limits")
    func reloadKeepsLimits() async throws {
        let payload = Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))
        func post(_ key: String) async throws -> Int { try await collector.post(body: payload, headers: [("x-api-key", key)]).status }
        let configuration = """
            tenants:
              - { name: a, api_keys: [ka], rate_limiting: { rate: 0.001, burst_size: 1 } }
              - { name: b, api_keys: [kb] }
            """
        // The collector's limit from options, which a reload applies again.
        let collector = try await CollectorProcess.start(["--rate-limit", "0.001", "--burst-size", "3"], configuration: configuration)
        #expect(try await post("ka") == 202)
        #expect(try await post("ka") == 429, "a's bucket is empty")
        for _ in 0..<2 { #expect(try await post("kb") == 202) }
        #expect(try await post("kb") == 429, "the collector's bucket is empty")
        try collector.rewriteConfiguration(configuration)
        collector.service.signal(SIGHUP)
        let reloaded = try await eventually(every: .milliseconds(20)) { collector.service.logged.contains("configuration reloaded") }
        #expect(reloaded, "log:\n\(collector.service.logged)")
        #expect(try await post("ka") == 429, "a's bucket stays empty")
        #expect(try await post("kb") == 429, "the collector's bucket stays empty")
        #expect(await collector.stop() == 0)
    }

    @Test("a configured histogram of another measurement type is exposed on /metrics")
    func customHistogram() async throws {
        let configuration = """
            web_vitals:
              routes: ["/page"]
              histograms:
                - { measurement_type: foobar, value_name: ttfb, metric_name: shop_foobar_ttfb_seconds, unit_divisor: 1000, buckets: [0.01, 0.02] }
            """
        let collector = try await CollectorProcess.start(configuration: configuration)
        #expect(try await collector.post(body: Array(try TestEnvironment.sharedFile("vectors/alloy/payload.json"))).status == 202)
        var request = HTTPClientRequest(url: collector.base + "/metrics")
        request.method = .GET
        let metrics = try await collector.send(request)
        // payload.json: one foobar measurement with ttfb 14 (ms), on https://example.com/page.
        let labels = #"app="testapp",environment="production",route="/page""#
        #expect(metrics.body.contains("shop_foobar_ttfb_seconds_bucket{\(labels),le=\"0.01\"} 0\n"), "\(metrics.body)")
        #expect(metrics.body.contains("shop_foobar_ttfb_seconds_bucket{\(labels),le=\"0.02\"} 1\n"))
        #expect(metrics.body.contains("shop_foobar_ttfb_seconds_count{\(labels)} 1\n"))
        #expect(await collector.stop() == 0)
    }
}
