import ArgumentParser
import Foundation
import RUMGateway
import TokenBucket

/// `rumctl tenant`: manage rum-gateway's tenants file.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Manage rum-gateway's tenants file.", subcommands: [Add.self])

    /// `rumctl tenant add NAME --origin URL ...`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a tenant with a new API key to the tenants file and print the Faro setup for its apps.",
            discussion: """
                The entry is appended to the file, whose other contents (comments included) stay as they are; the file is \
                replaced at once, so a running rum-gateway reads either the old or the new file, and reloads it by itself. \
                The file keeps its mode and owner, and a symbolic link stays one (the file it leads to is replaced); a new \
                file is created with mode 0600. Adds at once are serialized by a lock on the file's .lock file beside it \
                (tenants.yaml.lock); one that cannot take it within 5 seconds fails and writes nothing.
                """)

        @Argument(help: "The tenant's name (a-z A-Z 0-9 ! - _ . * ' ( ), at most 150).")
        var name: String

        @Option(
            name: .long, parsing: .singleValue,
            help: """
                A browser origin the tenant's apps post from, as http(s)://host[:port] with no path, not even a final / \
                (repeat; * for any, one * in an origin for any text).
                """)
        var origin: [String] = []

        @Option(name: .long, parsing: .singleValue, help: "A hostname whose requests are the tenant's (repeat).")
        var host: [String] = []

        @Option(name: .long, parsing: .singleValue, help: "A path prefix whose requests are the tenant's (repeat).")
        var pathPrefix: [String] = []

        @Option(name: .long, help: "Requests a second for the whole tenant (with --burst).")
        var rate: Double?

        @Option(name: .long, help: "Requests at once after a quiet time (with --rate).")
        var burst: Int?

        @Option(name: .long, help: "The tenants file.")
        var tenants = "tenants.yaml"

        @Option(name: .long, help: "The gateway's URL as the browsers reach it, for the snippet.")
        var gatewayURL = "http://127.0.0.1:12350"

        func validate() throws {
            guard (rate == nil) == (burst == nil) else { throw ValidationError("--rate and --burst go together") }
        }

        func run() throws {
            let key = Self.newAPIKey()
            var tenant = GatewayTenant(
                name: name, hosts: host, pathPrefixes: pathPrefix, apiKeys: [key], corsAllowedOrigins: origin)
            if let rate, let burst { tenant.limits.requests = RateLimit(rate: rate, burst: burst) }
            let lock: TenantsFileLock
            do {
                lock = try TenantsFileLock(tenantsFile: tenants)
            } catch {
                printError("rumctl tenant add: \(error); the tenants file is unchanged")
                throw ExitCode.failure
            }
            var existing = ""
            if FileManager.default.fileExists(atPath: tenants) {
                do {
                    let bytes = try readInput(tenants)
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        throw InputError(path: tenants, reason: "not UTF-8 text")
                    }
                    existing = text
                } catch {
                    printError("rumctl tenant add: \(error)")
                    throw ExitCode.failure
                }
            }
            do {
                try TenantsFile.write(TenantsFile.adding(tenant, to: existing, name: tenants), to: tenants)
            } catch {
                printError("rumctl tenant add: \(error)")
                throw ExitCode.failure
            }
            lock.release()
            print("Added tenant \(name) to \(tenants) with API key \(key)")
            print("")
            print("Paste into the app's Faro setup:")
            print("")
            print(Self.snippet(url: gatewayURL.hasSuffix("/") ? gatewayURL + "collect" : gatewayURL + "/collect", key: key, app: name))
        }

        /// 32 random bytes from the system's secure generator, in hex.
        static func newAPIKey() -> String {
            var generator = SystemRandomNumberGenerator()
            return (0..<4).map { _ in
                let word = generator.next() as UInt64
                let hex = String(word, radix: 16)
                return String(repeating: "0", count: 16 - hex.count) + hex
            }.joined()
        }

        /// The Faro Web SDK's setup for a tenant's app.
        static func snippet(url: String, key: String, app: String) -> String {
            func js(_ text: String) -> String { text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") }
            return """
            import { initializeFaro, getWebInstrumentations } from '@grafana/faro-web-sdk';

            initializeFaro({
              url: '\(js(url))',
              apiKey: '\(key)',
              app: { name: '\(js(app))', version: '1.0.0', environment: 'production' },
              instrumentations: [...getWebInstrumentations()],
            });
            """
        }
    }
}
