import ConfigurationReading
@testable import RUMGateway
import Testing

/// YAML nulls (`~`, `null`, `Null`, `NULL`, an empty value) in the tenants file: each is refused
/// at its line and column, never taken as the key `~` or `null`; a quoted `"~"` stays text.
@Suite struct TenantsFileNullTests {
    @Test(
        "a null value is refused where it is given",
        arguments: [
            ("shop:\n  api_keys: [~]\n", ["t.yaml:2:14: expected text, not null"]),
            ("shop:\n  api_keys: [k1, null]\n", ["t.yaml:2:18: expected text, not null"]),
            ("shop:\n  api_keys: ~\n", ["t.yaml:2:13: expected a list of text, not null"]),
            ("shop:\n  api_keys:\n  hosts: [h]\n", ["t.yaml:2:12: expected a list of text, not null"]),
            ("shop: { hosts: [a, NULL, ~] }\n", ["t.yaml:1:20: expected text, not null", "t.yaml:1:26: expected text, not null"]),
            ("shop: { hosts: [h], max_payload_size: ~ }\n", ["t.yaml:1:39: expected a size such as 5MiB, 512KiB or a number of bytes, not null"]),
            ("shop: { hosts: [h], rate_limit: ~ }\n", ["t.yaml:1:33: expected a block of rate, burst, not null"]),
            ("shop: { hosts: [h], rate_limit: { rate: ~, burst: 1 } }\n", [
                "t.yaml:1:33: a rate limit needs rate and burst", "t.yaml:1:41: expected a number, not null",
            ]),
            ("shop: { hosts: [h], trace_headers: { untrusted: null } }\n", ["t.yaml:1:49: expected text, not null"]),
            ("shop: ~\n", ["t.yaml:1:7: tenant shop must be a block of \(TenantsFile.tenantKeys.joined(separator: ", ")), not null"]),
        ])
    func refused(file: String, issues: [String]) {
        do {
            _ = try TenantsFile.read(file, name: "t.yaml")
            Issue.record("must fail")
        } catch {
            #expect(error.issues.map(\.description) == issues)
        }
    }

    @Test("a quoted ~ or null is text: the keys ~ and null")
    func quoted() throws {
        let directory = try TenantsFile.read("shop:\n  api_keys: [\"~\", 'null']\n", name: "t.yaml")
        #expect(directory[0].apiKeys == ["~", "null"])
    }
}
