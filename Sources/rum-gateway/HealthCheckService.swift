import AsyncHTTPClient
import Logging
import NIOCore
import func PushDelivery.withDeadline
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

    /// Checks `upstream` within `timeout`, its answer's body included: a check that does not end in
    /// time counts as failed.
    private func check(_ upstream: String, client: HTTPClient) async {
        // AsyncHTTPClient's timeout ends when the answer's head arrives: the deadline bounds the
        // reading of its body too, which an upstream could otherwise hold back for ever, and with
        // it this round of checks and every one after it.
        let healthy = await withDeadline(.now + timeout) { () -> Bool in
            do {
                let response = try await client.execute(
                    HTTPClientRequest(url: "http://\(upstream)\(path)"), timeout: .nanoseconds(timeout.nanoseconds))
                _ = try? await response.body.collect(upTo: 64 << 10)
                return response.status == .ok
            } catch {
                logger.debug("health check failed", metadata: ["upstream": "\(upstream)", "error": "\(error)"])
                return false
            }
        }
        if healthy == nil {
            logger.debug("health check failed", metadata: ["upstream": "\(upstream)", "error": "no answer within \(timeout)"])
        }
        do {
            try balancer.recordHealthCheck(upstream: upstream, healthy: healthy ?? false)
        } catch {
            logger.error("health check of an unknown upstream", metadata: ["upstream": "\(upstream)"])
        }
    }
}
