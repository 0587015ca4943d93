import TestSupport
import Testing

/// YAML nulls (`~`, `null`, `Null`, `NULL`, an empty value) in the file `--check-config` reads:
/// each is refused at its line and column, never taken as the text `~` or `null` (an API key
/// anyone could guess) nor as a default; a quoted `"~"` or `'null'` stays text. Serialized: each
/// case starts a collector, and twenty at once took both cores from the timed suites beside them.
@Suite("faro-collector: YAML nulls in the configuration file", .serialized)
struct ConfigFileNullTests {
    @Test(
        "a null value is refused where it is given",
        arguments: [
            ("server:\n  api_key: ~\n", "collector.yaml:2:12: expected text, not null\n"),
            ("server:\n  api_key: null\n", "collector.yaml:2:12: expected text, not null\n"),
            ("server:\n  api_key: NULL\n", "collector.yaml:2:12: expected text, not null\n"),
            ("server:\n  api_key:\nlog_format: json\n", "collector.yaml:2:11: expected text, not null\n"),
            ("server:\n  api_keys: [k1, ~]\n", "collector.yaml:2:18: expected text, not null\n"),
            ("server:\n  api_keys: Null\n", "collector.yaml:2:13: expected a list of text, not null\n"),
            (
                "server:\n  rate_limiting: ~\n",
                "collector.yaml:2:18: rate_limiting must be a block of enabled, rate, burst_size and strategy, not null\n"
            ),
            ("output:\n  loki_url: ~\n", "collector.yaml:2:13: expected an http:// or https:// URL, not null\n"),
            (
                "server: { max_allowed_payload_size: null }\n",
                "collector.yaml:1:37: expected a size such as 5MiB, 512KiB or a number of bytes, not null\n"
            ),
            ("server: { idle_timeout: ~ }\n", "collector.yaml:1:25: expected a duration such as 30s, 500ms or 1m, not null\n"),
            ("server: { listen_port: ~ }\n", "collector.yaml:1:24: expected a whole number, not null\n"),
            (
                "server: { rate_limiting: { enabled: ~, rate: null } }\n",
                "collector.yaml:1:37: expected true or false, not null\ncollector.yaml:1:46: expected a number, not null\n"
            ),
            ("extra_log_labels: { kind: ~ }\n", "collector.yaml:1:27: expected text, not null\n"),
            ("tenants: ~\n", "collector.yaml:1:10: tenants must be a list, not null\n"),
            (
                "output: ~\n",
                "collector.yaml:1:9: expected a block of data_directory, loki_url, loki_spool_directory, loki_spool_max_size, otlp_url, "
                    + "otlp_spool_directory, otlp_spool_max_size, remote_write_url, remote_write_interval, not null\n"
            ),
        ])
    func refused(file: String, output: String) async throws {
        let result = try await CollectorProcess.checkConfiguration(file)
        #expect(result.status == 1)
        #expect(result.output == output)
    }

    @Test("a tenant's null name, key or limit is refused at its place")
    func tenant() async throws {
        let text = """
            tenants:
              - name: shop
                api_keys: [k1, null]
                rate_limiting: ~
              - { name: ~, api_keys: [k2] }
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 1)
        #expect(
            result.output == """
                collector.yaml:2:5: a tenant needs at least one key in api_keys
                collector.yaml:3:20: expected text, not null
                collector.yaml:4:20: rate_limiting must be a block of enabled, rate, burst_size and strategy, not null
                collector.yaml:5:5: a tenant needs a name
                collector.yaml:5:13: expected text, not null

                """)
    }

    @Test("every null of a file is reported in one run, in the file's order")
    func allAtOnce() async throws {
        let text = """
            server:
              api_key:
              listen_port: null
            output:
              loki_url: ~
            """
        let result = try await CollectorProcess.checkConfiguration(text)
        #expect(result.status == 1)
        #expect(
            result.output == """
                collector.yaml:2:11: expected text, not null
                collector.yaml:3:16: expected a whole number, not null
                collector.yaml:5:13: expected an http:// or https:// URL, not null

                """)
    }

    @Test(
        "a quoted ~ or null is text",
        arguments: [
            "server:\n  api_key: \"~\"\n", "server:\n  api_key: 'null'\n", "server:\n  api_keys: [\"~\", 'NULL']\n", "server: { api_key: !!str ~ }\n",
        ])
    func quoted(file: String) async throws {
        let result = try await CollectorProcess.checkConfiguration(file)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "collector.yaml: ok\n")
    }
}
