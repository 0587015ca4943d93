import TestSupport
import Testing

/// Files that `--check-config` must refuse with one line a problem, at its place: settings that
/// would silently replace one another, and what the YAML parser itself refuses.
@Suite("faro-collector: configuration file problems at their line")
struct ConfigFileProblemTests {
    @Test("api_key and api_keys together are refused, not one silently dropped")
    func bothKeySettings() async throws {
        let result = try await CollectorProcess.checkConfiguration("server:\n  api_key: old\n  api_keys: [new]\n")
        #expect(result.status == 1)
        #expect(result.output == "collector.yaml:3:13: api_keys and api_key are both given: list every key in api_keys\n")
    }

    @Test("a key given twice and an undefined alias: one line each, with the line and column, not the file quoted")
    func parserProblems() async throws {
        let duplicate = try await CollectorProcess.checkConfiguration("log_format: json\nserver:\n  api_key: s3cret\n  api_key: other\n")
        #expect(duplicate.status == 1)
        #expect(duplicate.output == "collector.yaml:3:3: api_key is given twice\n")
        let labels = try await CollectorProcess.checkConfiguration("extra_log_labels: { app: a, app: b }\n")
        #expect(labels.output == "collector.yaml:1:21: app is given twice\n")
        let alias = try await CollectorProcess.checkConfiguration("server: { api_key: s3cret }\nlog_format: *format\n")
        #expect(alias.status == 1)
        #expect(alias.output == "collector.yaml:2:13: found undefined alias\n")
    }
}
