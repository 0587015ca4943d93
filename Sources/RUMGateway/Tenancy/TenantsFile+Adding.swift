#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#endif
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

extension TenantsFile {
    /// Why a tenants file could not be written: the system call that failed, on which path, and
    /// its `errno`.
    package struct WritingError: Error, CustomStringConvertible {
        /// The system call.
        package let operation: String
        /// The path it was made on.
        package let path: String
        /// Its `errno`.
        package let code: Int32

        package var description: String { "cannot write \(path): \(operation): \(String(cString: strerror(code)))" }
    }

    /// Replaces the file at `path` with `text` in one rename, so that a reader sees the old file or
    /// the new one. The text goes to a temporary file beside the file, with its mode and (when the
    /// process may set them) its owner and group, is flushed to the disk, and is renamed over it.
    /// When `path` is a symbolic link, the file it leads to is replaced and the link stays (one
    /// that leads nowhere is refused); a file that does not exist is created with mode 0600, as it
    /// holds API keys.
    package static func write(_ text: String, to path: String) throws(WritingError) {
        var original = stat()
        let exists = stat(path, &original) == 0
        guard exists || errno == ENOENT else { throw WritingError(operation: "stat", path: path, code: errno) }
        var link = stat()
        guard exists || lstat(path, &link) != 0 else { throw WritingError(operation: "stat", path: path, code: ENOENT) }
        let target: String
        if exists {
            guard let resolved = realpath(path, nil) else { throw WritingError(operation: "realpath", path: path, code: errno) }
            target = String(cString: resolved)
            free(resolved)
        } else {
            target = path
        }
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { $0 == target.startIndex ? "/" : String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array("\(directory)/.\(name).XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw WritingError(operation: "mkstemp", path: directory, code: errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        do throws(WritingError) {
            defer { close(descriptor) }
            func check(_ result: Int32, _ operation: String) throws(WritingError) {
                if result != 0 { throw WritingError(operation: operation, path: temporary, code: errno) }
            }
            if exists, original.st_uid != geteuid() || original.st_gid != getegid(),
                fchown(descriptor, original.st_uid, original.st_gid) != 0, errno != EPERM
            {
                throw WritingError(operation: "fchown", path: temporary, code: errno)
            }
            try check(fchmod(descriptor, exists ? original.st_mode & 0o7777 : 0o600), "fchmod")
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { throw WritingError(operation: "write", path: temporary, code: written < 0 ? errno : EIO) }
                bytes = bytes.dropFirst(written)
            }
            try check(fsync(descriptor), "fsync")
            try check(rename(temporary, target), "rename")
        } catch {
            unlink(temporary)
            throw error
        }
    }
}

/// `write(2)`, which `TenantsFile.write` hides inside the type.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(descriptor, bytes, count) }
