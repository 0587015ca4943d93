import Foundation
import IntakePolicy
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import RUMGateway
import ServiceLifecycle

/// The admin endpoint: on a loopback address only, every request with `Authorization: Bearer
/// TOKEN`. `GET /tenants` lists the tenants with their limits and current usage, `GET /upstreams`
/// the upstreams with their load and state, `POST /reload` reads the tenants file again.
final class AdminServer: Service, Sendable {
    private let application: GatewayApplication
    private let reload: TenantsReloadService
    private let host: String
    private let port: Int
    private let token: String
    private let channel: EventLoopPromise<any Channel>

    /// A server on `host:port`, which must be a loopback address.
    init(application: GatewayApplication, reload: TenantsReloadService, host: String, port: Int, token: String) {
        self.application = application
        self.reload = reload
        self.host = host
        self.port = port
        self.token = token
        channel = MultiThreadedEventLoopGroup.singleton.next().makePromise()
    }

    /// The loopback addresses: `127.0.0.0/8` and `::1`.
    private static let loopback = TrustedProxies([
        IPAddressRange(IPAddress(ipv4: 0x7F00_0000), prefixLength: 96 + 8), IPAddressRange(IPAddress(high: 0, low: 1), prefixLength: 128),
    ])

    /// Whether `host` is a loopback address (`127.0.0.0/8`, `::1`) or `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        guard let address = try? IPAddress(parsing: host) else { return false }
        return loopback.contains(address)
    }

    /// Binds the listening socket and returns the address it listens on.
    func start() async throws -> String {
        let application = self.application
        let reload = self.reload
        let token = self.token
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(
                        AdminHandler(application: application, reload: reload, token: token))
                }
            }
            .bind(host: host, port: port)
            .get()
        self.channel.succeed(channel)
        guard let address = channel.localAddress, let boundPort = address.port else { return "\(host):\(port)" }
        return "\(address.ipAddress ?? host):\(boundPort)"
    }

    func run() async throws {
        let channel = try await self.channel.futureResult.get()
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

/// Answers the admin requests of one connection.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let application: GatewayApplication
    private let reload: TenantsReloadService
    private let token: [UInt8]
    private var head: HTTPRequestHead?

    init(application: GatewayApplication, reload: TenantsReloadService, token: String) {
        self.application = application
        self.reload = reload
        self.token = Array(token.utf8)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let (status, body) = answer(head)
            var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(body.count))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }

    private func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, [UInt8]) {
        guard authorized(head.headers["authorization"].first) else {
            return (.unauthorized, Self.json(["error": "a bearer token is required"]))
        }
        switch (head.method, head.uri.prefix { $0 != "?" }) {
        case (.GET, "/tenants"): return (.ok, Self.json(["tenants": tenants()]))
        case (.GET, "/upstreams"): return (.ok, Self.json(["upstreams": upstreams()]))
        case (.POST, "/reload"):
            return reload.reload(reason: "admin")
                ? (.ok, Self.json(["reloaded": true, "tenants": application.policy.directory.tenants.count]))
                : (.unprocessableEntity, Self.json(["reloaded": false, "error": "the tenants file has problems: see the gateway's log"]))
        case (_, "/tenants"), (_, "/upstreams"), (_, "/reload"): return (.methodNotAllowed, Self.json(["error": "method not allowed"]))
        default: return (.notFound, Self.json(["error": "not found"]))
        }
    }

    /// Whether `header` is `Bearer` and the token, compared in constant time.
    private func authorized(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        return APIKeyDirectory.constantTimeEquals(token, String(header.dropFirst("Bearer ".count)).utf8)
    }

    private func tenants() -> [[String: Any]] {
        let policy = application.policy
        return zip(policy.directory.tenants, policy.usages).map { tenant, usage in
            let snapshot = usage.snapshot
            var entry: [String: Any] = [
                "name": tenant.name, "hosts": tenant.hosts, "path_prefixes": tenant.pathPrefixes, "api_keys": tenant.apiKeys.count,
                "cors_allowed_origins": tenant.corsAllowedOrigins,
                "usage": [
                    "connections": snapshot.connections, "requests": snapshot.requests, "forwarded": snapshot.forwarded,
                    "rejected": snapshot.rejected, "body_bytes": snapshot.bodyBytes,
                ],
            ]
            var limits: [String: Any] = [:]
            if let limit = tenant.limits.requests { limits["rate_limit"] = ["rate": limit.rate, "burst": limit.burst] }
            if let limit = tenant.limits.bytes { limits["byte_rate_limit"] = ["rate": limit.rate, "burst": limit.burst] }
            if let limit = tenant.limits.perClient { limits["client_rate_limit"] = ["rate": limit.rate, "burst": limit.burst] }
            if let connections = tenant.limits.maxConnections { limits["max_connections"] = connections }
            entry["limits"] = limits
            entry["max_payload_size"] = tenant.maxPayloadSize ?? policy.maxPayloadSize
            return entry
        }
    }

    private func upstreams() -> [[String: Any]] {
        application.balancer.snapshot().map { upstream in
            [
                "name": upstream.name, "outstanding": upstream.outstanding, "healthy": upstream.isHealthy,
                "ejected": upstream.ejectedUntil != nil, "picks": upstream.picks, "failures": upstream.failures,
                "not_sent": upstream.notSent, "ejections": upstream.ejections,
            ]
        }
    }

    private static func json(_ value: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }
}
