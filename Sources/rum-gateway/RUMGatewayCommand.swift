import ArgumentParser
import ConfigurationReading
import Foundation
import Logging
import Metrics
import NIOCore
import Prometheus
import RESPClient
import RUMGateway
import ServerSupport
import ServiceLifecycle
import TokenBucket

/// `rum-gateway`: the per-tenant edge in front of faro-collector processes.
@main
struct RUMGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rum-gateway",
        abstract: "Proxy RUM telemetry to faro-collector processes, with tenants, limits, trace-header control and balanced load.",
        discussion: """
            Tenants come from the tenants file (see Documentation/Gateway.md; `rumctl tenant add` writes entries). The file
            is read again when it changes and on SIGHUP; a file with problems is logged and the running tenants stay.
            SIGTERM stops taking connections, finishes the requests in flight and exits. The admin endpoint runs only
            with a token, from RUM_GATEWAY_ADMIN_TOKEN or --admin-token-file.
            """)

    @Option(name: .long, help: "The tenants file, YAML or JSON.")
    var tenants: String

    @Option(name: .long, parsing: .singleValue, help: "An upstream collector, host:port (repeat for several; default 127.0.0.1:12347).")
    var upstream: [String] = []

    @Option(name: .long, help: "The address to listen on.")
    var listenAddress = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port, printed at start).")
    var listenPort = 12350

    @Option(
        name: .long, parsing: .singleValue,
        help: "A proxy (address or CIDR range) whose X-Forwarded-For and other proxy fields are believed (repeat).")
    var trustedProxy: [String] = []

    @Option(name: .long, help: "The largest request body of a tenant without max_payload_size of its own.")
    var maxPayloadSize = "5MiB"

    @Option(name: .long, help: "Event-loop threads (default: one per core).")
    var threads: Int = System.coreCount

    @Option(name: .long, help: "How long a client connection may send nothing before it is closed.")
    var idleTimeout = "30s"

    @Option(name: .long, help: "How long a whole request may take to arrive, from its first bytes.")
    var requestTimeout = "60s"

    @Option(name: .long, help: "How long an upstream may take to answer once the request is sent.")
    var upstreamTimeout = "15s"

    @Option(name: .long, help: "How long a connection to an upstream may take to be made.")
    var connectTimeout = "1s"

    @Option(name: .long, help: "How long an idle upstream connection is kept (less than the collectors' idle_timeout).")
    var poolIdleTimeout = "10s"

    @Option(name: .long, help: "The most idle connections kept per upstream and thread.")
    var maxIdlePerUpstream = 512

    @Option(name: .long, help: "The most connections to each upstream per thread; requests beyond wait for one.")
    var maxConnectionsPerUpstream = 256

    @Option(name: .long, help: "The most client connections open at once; past it, connections are closed when accepted.")
    var maxConnections = 20_000

    @Option(name: .long, help: "The largest buffer a client connection reads into and keeps between requests.")
    var maxReadBuffer = "8KiB"

    @Option(name: .long, help: "least-outstanding (power of two choices) or round-robin.")
    var balancing = "least-outstanding"

    @Option(name: .long, help: "Time between health checks of each upstream (0 turns them off).")
    var healthCheckInterval = "5s"

    @Option(name: .long, help: "The path of the health checks.")
    var healthCheckPath = "/-/ready"

    @Option(name: .long, help: "Redis for limits shared by every gateway replica: redis://[:password@]host[:port][/db].")
    var redisURL: String?

    @Option(name: .long, help: "The share of each tenant limit that a replica applies alone while Redis is away (1 / replicas).")
    var redisLocalShare = 1.0

    @Option(name: .long, help: "How long a Redis command may take before the limits fall back to this replica's share.")
    var redisTimeout = "1s"

    @Option(name: .long, help: "The admin endpoint's address: loopback only.")
    var adminAddress = "127.0.0.1"

    @Option(name: .long, help: "The admin endpoint's port (0: any free port, printed at start).")
    var adminPort = 12351

    @Option(name: .long, help: "A file holding the admin token (else RUM_GATEWAY_ADMIN_TOKEN).")
    var adminTokenFile: String?

    @Option(name: .long, help: "Where GET /metrics is served, apart from the clients' port (0.0.0.0 to let Prometheus scrape other hosts).")
    var metricsAddress = "127.0.0.1"

    @Option(name: .long, help: "The metrics port (0: any free port, printed at start).")
    var metricsPort = 12352

    @Option(name: .long, help: "How often the tenants file is checked for changes.")
    var tenantsPollInterval = "2s"

    @Option(name: .long, help: "How often free heap memory is given back to the system (0 turns it off).")
    var memoryTrimInterval = "10s"

    @Flag(name: .long, help: "Log every request at info level.")
    var accessLog = false

    @Option(name: .long, help: "The lowest level logged to standard error.")
    var logLevel = "info"

    @Flag(name: .long, help: "Check the tenants file and exit.")
    var checkTenants = false

    func run() async throws {
        let directory: TenantDirectory
        do {
            directory = try TenantsFile.load(tenants)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        if checkTenants {
            print("\(tenants): ok, \(directory.tenants.count) tenants")
            return
        }
        let settings: GatewaySettings
        let parsed: Parsed
        do {
            parsed = try parse()
            settings = parsed.settings
        } catch {
            FileHandle.standardError.write(Data("rum-gateway: \(error)\n".utf8))
            throw ExitCode(1)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed.logLevel
            return handler
        }
        let logger = Logger(label: "rum-gateway")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var fleet: FleetLimits? = nil
        var redis: RedisClient? = nil
        if let redisURL {
            var configuration = try RedisConfiguration(url: redisURL)
            configuration.commandTimeout = parsed.redisTimeout
            let client = RedisClient(configuration: configuration, logger: logger)
            redis = client
            fleet = FleetLimits(client: client, directory: directory, localShare: redisLocalShare, logger: logger)
        }
        let policy = GatewayPolicy(
            directory: directory, trustedProxies: parsed.trustedProxies, maxPayloadSize: parsed.maxPayloadSize,
            sharesTenantLimits: fleet != nil)
        let application = GatewayApplication(
            policy: policy, balancer: parsed.balancer, fleet: fleet, settings: settings, registry: registry, logger: logger)
        let server = GatewayServer(
            application: application, host: listenAddress, port: listenPort, threads: threads, addresses: parsed.addresses)
        let reload = TenantsReloadService(path: tenants, application: application, pollInterval: parsed.pollInterval, logger: logger)
        var services: [any Service] = [reload]
        if let interval = parsed.healthCheckInterval {
            services.append(
                HealthCheckService(
                    balancer: parsed.balancer, interval: interval, timeout: min(interval, .seconds(2)), path: healthCheckPath,
                    logger: logger))
        }
        if let interval = parsed.memoryTrimInterval { services.append(MemoryTrimService(interval: interval)) }
        let address = try await server.start()
        var announcement = "rum-gateway listening on http://\(address) for \(directory.tenants.count) tenants, "
        announcement += "sending to \(parsed.balancer.upstreamNames.joined(separator: ", "))"
        let metrics = EndpointServer(
            host: metricsAddress, port: metricsPort, idleTimeout: settings.idleTimeout, requestTimeout: settings.requestTimeout,
            connectionCap: application.metricsEndpointCap
        ) { head in
            guard head.uri.prefix(while: { $0 != "?" }) == "/metrics" else {
                return EndpointServer.Answer(status: .notFound, contentType: "text/plain; charset=utf-8", body: Array("not found\n".utf8))
            }
            guard head.method == .GET else {
                return EndpointServer.Answer(
                    status: .methodNotAllowed, contentType: "text/plain; charset=utf-8", body: Array("method not allowed\n".utf8))
            }
            return EndpointServer.Answer(status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", body: application.exposition())
        }
        announcement += "; metrics on http://\(try await metrics.start())/metrics"
        services.append(metrics)
        if let token = parsed.adminToken {
            let admin = AdminEndpoint(application: application, reload: reload, token: token)
            let server = EndpointServer(
                host: adminAddress, port: adminPort, idleTimeout: settings.idleTimeout, requestTimeout: settings.requestTimeout,
                connectionCap: application.adminEndpointCap, answer: admin.answer)
            announcement += "; admin on http://\(try await server.start())"
            services.append(server)
        }
        if let redis { services.append(RedisShutdownService(client: redis)) }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) } + [.init(service: ServiceAnnouncement(announcement, then: server))],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The options read and checked.
    private struct Parsed {
        var settings: GatewaySettings
        var balancer: UpstreamBalancer
        var addresses: [String: SocketAddress]
        var trustedProxies: TrustedProxies
        var maxPayloadSize: Int
        var pollInterval: Duration
        var healthCheckInterval: Duration?
        var memoryTrimInterval: Duration?
        var redisTimeout: Duration
        var adminToken: String?
        var logLevel: Logger.Level
    }

    private func parse() throws -> Parsed {
        func duration(_ text: String, _ option: String, allowZero: Bool = false) throws -> Duration {
            guard let value = ConfigurationUnits.duration(text), value > .zero || (allowZero && value == .zero) else {
                throw ValidationError("--\(option): expected a duration such as 30s or 500ms, not \(text)")
            }
            return value
        }
        func amount(_ duration: Duration) -> TimeAmount { .nanoseconds(duration.nanoseconds) }
        guard let maxPayloadSize = ConfigurationUnits.bytes(self.maxPayloadSize), maxPayloadSize > 0 else {
            throw ValidationError("--max-payload-size: expected a size such as 5MiB, not \(self.maxPayloadSize)")
        }
        guard let logLevel = Logger.Level(rawValue: self.logLevel.lowercased()) else {
            throw ValidationError("--log-level: expected one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...1024).contains(threads) else { throw ValidationError("--threads: expected 1 to 1024") }
        guard maxIdlePerUpstream >= 0 else { throw ValidationError("--max-idle-per-upstream: must not be negative") }
        guard maxConnectionsPerUpstream >= 1 else { throw ValidationError("--max-connections-per-upstream: at least 1") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections: at least 1") }
        guard let maxReadBuffer = ConfigurationUnits.bytes(self.maxReadBuffer), (1024...(1 << 20)).contains(maxReadBuffer) else {
            throw ValidationError("--max-read-buffer: expected a size from 1KiB to 1MiB, not \(self.maxReadBuffer)")
        }
        guard (0...1).contains(redisLocalShare) else { throw ValidationError("--redis-local-share: expected 0 to 1") }
        let strategy: BalancingStrategy
        switch balancing {
        case "least-outstanding": strategy = .leastOutstanding
        case "round-robin": strategy = .roundRobin
        default: throw ValidationError("--balancing: expected least-outstanding or round-robin, not \(balancing)")
        }
        let upstreams = upstream.isEmpty ? ["127.0.0.1:12347"] : upstream
        var addresses: [String: SocketAddress] = [:]
        for name in upstreams {
            guard let colon = name.lastIndex(of: ":"), let port = Int(name[name.index(after: colon)...]), (1...65535).contains(port)
            else { throw ValidationError("--upstream: expected host:port, not \(name)") }
            var host = String(name[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            do {
                addresses[name] = try SocketAddress.makeAddressResolvingHost(host, port: port)
            } catch {
                throw ValidationError("--upstream: cannot resolve \(name): \(error)")
            }
        }
        let balancer: UpstreamBalancer
        do {
            balancer = try UpstreamBalancer(upstreams: upstreams, configuration: BalancerConfiguration(strategy: strategy))
        } catch {
            throw ValidationError("--upstream: \(error)")
        }
        let trustedProxies: TrustedProxies
        do {
            trustedProxies = try TrustedProxies(parsing: trustedProxy)
        } catch {
            throw ValidationError("--trusted-proxy: \(error)")
        }
        let healthCheck = try duration(healthCheckInterval, "health-check-interval", allowZero: true)
        let memoryTrim = try duration(memoryTrimInterval, "memory-trim-interval", allowZero: true)
        var adminToken = ProcessInfo.processInfo.environment["RUM_GATEWAY_ADMIN_TOKEN"]
        if let adminTokenFile {
            guard let text = try? String(contentsOfFile: adminTokenFile, encoding: .utf8) else {
                throw ValidationError("--admin-token-file: cannot read \(adminTokenFile)")
            }
            adminToken = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token = adminToken {
            guard token.utf8.count >= 16 else { throw ValidationError("the admin token must have at least 16 characters") }
            guard AdminEndpoint.isLoopback(adminAddress) else {
                throw ValidationError("--admin-address: the admin endpoint listens on loopback only, not \(adminAddress)")
            }
        }
        let settings = GatewaySettings(
            idleTimeout: amount(try duration(idleTimeout, "idle-timeout")),
            requestTimeout: amount(try duration(requestTimeout, "request-timeout")),
            upstreamTimeout: amount(try duration(upstreamTimeout, "upstream-timeout")),
            pool: UpstreamPoolSettings(
                connectTimeout: amount(try duration(connectTimeout, "connect-timeout")),
                idleTimeout: amount(try duration(poolIdleTimeout, "pool-idle-timeout")), maxIdlePerUpstream: maxIdlePerUpstream,
                maxConnectionsPerUpstream: maxConnectionsPerUpstream),
            accessLog: accessLog, maxReadBuffer: maxReadBuffer, maxConnections: maxConnections)
        return Parsed(
            settings: settings, balancer: balancer, addresses: addresses, trustedProxies: trustedProxies,
            maxPayloadSize: maxPayloadSize, pollInterval: try duration(tenantsPollInterval, "tenants-poll-interval"),
            healthCheckInterval: healthCheck == .zero ? nil : healthCheck,
            memoryTrimInterval: memoryTrim == .zero ? nil : memoryTrim, redisTimeout: try duration(redisTimeout, "redis-timeout"),
            adminToken: adminToken, logLevel: logLevel)
    }
}

/// Closes the Redis connections when the gateway stops.
struct RedisShutdownService: Service {
    let client: RedisClient

    func run() async throws {
        try await gracefulShutdown()
        await client.shutdown()
    }
}
