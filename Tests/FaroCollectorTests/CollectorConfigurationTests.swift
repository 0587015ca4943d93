import AsyncHTTPClient
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
            result.output
                == "collector.yaml: api_key, cors_allowed_origins of the server apply only without tenants: set them on each tenant\n",
            "\(result.output)")
        let flags = try await CollectorProcess.checkConfiguration("tenants:\n  - { name: a, api_keys: [k] }\n", arguments: ["--api-key", "x"])
        #expect(flags.status == 1 && flags.output.contains("api_key of the server apply only without tenants"), "\(flags.output)")
    }

    @Test("origins no browser sends are refused, with the tenant that lists them")
    func invalidOrigins() async throws {
        let server = try await CollectorProcess.checkConfiguration("server: { cors_allowed_origins: [\"https://shop.example/\"] }\n")
        #expect(server.status == 1 && server.output.contains(#"cors_allowed_origins: origin "https://shop.example/" must be http://"#), "\(server.output)")
        let tenant = try await CollectorProcess.checkConfiguration(
            "tenants:\n  - { name: a, api_keys: [k], cors_allowed_origins: [shop.example] }\n")
        #expect(tenant.status == 1 && tenant.output.contains(#"tenant a: cors_allowed_origins: origin "shop.example""#), "\(tenant.output)")
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
        var reloaded = false
        for _ in 0..<300 where !reloaded {
            reloaded = try await collector.post(body: payload, headers: [("x-api-key", "second")]).status == 202
            if !reloaded { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(reloaded, "the new key is taken within 6 s; log:\n\(collector.service.logged)")
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "first")]).status == 401)
        try collector.rewriteConfiguration("server: { api_key: third, colour: red }\n")
        collector.service.signal(SIGHUP)
        var logged = false
        for _ in 0..<300 where !logged {
            logged = collector.service.logged.contains("configuration not reloaded")
            if !logged { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(logged)
        #expect(try await collector.post(body: payload, headers: [("x-api-key", "second")]).status == 202)
        #expect(collector.service.isRunning)
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
