package import ConfigurationReading
import IntakePolicy
import Yams

extension TenantsFile {
    /// Why a tenant cannot be added to a tenants file.
    package enum AddingError: Error, CustomStringConvertible {
        /// The file has problems already.
        case invalidFile(ConfigurationIssues)
        /// A tenant of that name exists.
        case exists(String)
        /// The file's tenants are not a block mapping (`{...}` or JSON), to which an entry cannot
        /// be appended without rewriting the file.
        case notBlockStyle
        /// The file with the new tenant has problems (a host, prefix or key of another tenant).
        case invalidTenant(ConfigurationIssues)

        package var description: String {
            switch self {
            case .invalidFile(let issues): "the tenants file has problems; fix them first:\n\(issues)"
            case .exists(let name): "a tenant named \(name) exists already"
            case .notBlockStyle:
                "the tenants file is not in YAML's block style (one tenant per top-level key); add the tenant by hand"
            case .invalidTenant(let issues): "the new tenant is not valid:\n\(issues)"
            }
        }
    }

    /// The file `text` (named `name`) with `tenant` appended as a block at its end, keeping
    /// everything already there, comments included; the result is checked as a whole.
    package static func adding(_ tenant: GatewayTenant, to text: String, name: String) throws(AddingError) -> String {
        let existing: TenantDirectory
        do {
            existing = try read(text, name: name)
        } catch {
            throw .invalidFile(error)
        }
        guard existing.index(named: tenant.name) == nil else { throw .exists(tenant.name) }
        if let root = try? Yams.compose(yaml: text), isFlow(root, in: text) { throw .notBlockStyle }
        var result = text
        if !result.isEmpty, !result.hasSuffix("\n") { result += "\n" }
        result += entry(tenant)
        do {
            _ = try read(result, name: name)
        } catch {
            throw .invalidTenant(error)
        }
        return result
    }

    /// The YAML block of `tenant`: its name, keys, hosts, path prefixes, origins and limits, every
    /// text quoted.
    package static func entry(_ tenant: GatewayTenant) -> String {
        func list(_ values: [String]) -> String { "[" + values.map(quoted).joined(separator: ", ") + "]" }
        func number(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }
        var lines = ["\(quoted(tenant.name)):"]
        if !tenant.apiKeys.isEmpty { lines.append("  api_keys: \(list(tenant.apiKeys))") }
        if !tenant.hosts.isEmpty { lines.append("  hosts: \(list(tenant.hosts))") }
        if !tenant.pathPrefixes.isEmpty { lines.append("  path_prefixes: \(list(tenant.pathPrefixes))") }
        if !tenant.corsAllowedOrigins.isEmpty { lines.append("  cors_allowed_origins: \(list(tenant.corsAllowedOrigins))") }
        if let size = tenant.maxPayloadSize { lines.append("  max_payload_size: \(size)") }
        if let limit = tenant.limits.requests { lines.append("  rate_limit: { rate: \(number(limit.rate)), burst: \(limit.burst) }") }
        if let limit = tenant.limits.bytes {
            lines.append("  byte_rate_limit: { rate: \(Int(limit.rate)), burst: \(limit.burst) }")
        }
        if let limit = tenant.limits.perClient {
            lines.append("  client_rate_limit: { rate: \(number(limit.rate)), burst: \(limit.burst) }")
        }
        if let connections = tenant.limits.maxConnections { lines.append("  max_connections: \(connections)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether `node` of `text` is written in flow style (`{` or `[`), where appending lines
    /// would not add to it. (Yams's `style` of a composed mapping is not the parser's.)
    private static func isFlow(_ node: Node, in text: String) -> Bool {
        guard let mark = node.mark else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return false }
        let character = lines[mark.line - 1].dropFirst(mark.column - 1).first
        return character == "{" || character == "["
    }

    /// `text` as a YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
