import AsyncHTTPClient
import Logging
import NIOCore
import RUMGateway
import ServiceLifecycle
import TokenBucket

/// Asks each upstream for its readiness (`GET /-/ready`) every `interval` and gives the results to
/// the balancer, which takes an upstream out after its unhealthy threshold of failed checks and
/// back after its healthy threshold of good ones.
struct HealthCheckService: Service {
    let balancer: UpstreamBalancer
    let interval: Duration
    let timeout: Duration
    let path: String
    let logger: Logger

    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            while !Task.isShuttingDownGracefully {
                await withTaskGroup(of: Void.self) { group in
                    for upstream in balancer.upstreamNames {
                        group.addTask { await check(upstream, client: client) }
                    }
                }
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } catch {
            // Cancelled: the service group is stopping.
        }
        try await client.shutdown()
    }

    private func check(_ upstream: String, client: HTTPClient) async {
        var healthy = false
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "http://\(upstream)\(path)"), timeout: .nanoseconds(timeout.nanoseconds))
            healthy = response.status == .ok
            _ = try? await response.body.collect(upTo: 64 << 10)
        } catch {
            logger.debug("health check failed", metadata: ["upstream": "\(upstream)", "error": "\(error)"])
        }
        do {
            try balancer.recordHealthCheck(upstream: upstream, healthy: healthy)
        } catch {
            logger.error("health check of an unknown upstream", metadata: ["upstream": "\(upstream)"])
        }
    }
}
