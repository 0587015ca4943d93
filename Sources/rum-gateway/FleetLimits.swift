import IntakePolicy
import Logging
import RESPClient
import RUMGateway
import Synchronization
import TokenBucket
import TokenBucketRedis

/// The tenants' request and byte limits shared by every gateway replica through Redis: one
/// `RedisRateLimiter` for requests and one for body bytes, keyed by tenant, each with the
/// limiter's leases and its local fallback while Redis is away. Made again for each version of
/// the tenants file.
final class FleetLimits: Sendable {
    private struct Limiters: Sendable {
        let requests: RedisRateLimiter
        let bytes: RedisRateLimiter
    }

    private let client: RedisClient
    private let localShare: Double
    private let logger: Logger
    private let limiters: Mutex<Limiters>

    /// Limits through `client` for the tenants of `directory`; while Redis is away each replica
    /// applies `localShare` of each limit alone.
    init(client: RedisClient, directory: TenantDirectory, localShare: Double, logger: Logger) {
        self.client = client
        self.localShare = localShare
        self.logger = logger
        limiters = Mutex(Self.limiters(client: client, directory: directory, localShare: localShare, logger: logger))
    }

    /// Takes the limits of a new version of the tenants file.
    func reload(_ directory: TenantDirectory) {
        let new = Self.limiters(client: client, directory: directory, localShare: localShare, logger: logger)
        limiters.withLock { $0 = new }
    }

    /// Whether Redis is away and the limits are this replica's share.
    var isFallingBack: Bool { limiters.withLock { $0.requests.isFallingBack } }

    /// Takes a request, and `bytes` body bytes when known, from `tenant`'s shared limits; the
    /// refusal if either is short.
    func admit(tenant: String, bytes: Int?) async -> IntakeRejection? {
        let current = limiters.withLock { $0 }
        let request = await current.requests.allow(tenant)
        guard request.isAllowed else {
            return .tooManyRequests("tenant", retryAfter: Self.seconds(request.retryAfter))
        }
        if let bytes, bytes > 0 {
            let decision = await current.bytes.allow(tenant, cost: bytes)
            guard decision.isAllowed else {
                guard let retry = decision.retryAfter else { return .payloadTooLarge(limit: bytes - 1) }
                return .tooManyRequests("tenant byte", retryAfter: Self.seconds(retry))
            }
        }
        return nil
    }

    /// Whole seconds for `Retry-After`, at least 1; an hour when never.
    private static func seconds(_ duration: Duration?) -> Int {
        guard let duration else { return 3600 }
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    private static func limiters(client: RedisClient, directory: TenantDirectory, localShare: Double, logger: Logger) -> Limiters {
        let unlimited = RateLimit(rate: .infinity, burst: 1)
        var requests: [String: RateLimit] = [:]
        var bytes: [String: RateLimit] = [:]
        for tenant in directory.tenants {
            requests[tenant.name] = tenant.limits.requests ?? unlimited
            bytes[tenant.name] = tenant.limits.bytes ?? unlimited
        }
        func limiter(_ overrides: [String: RateLimit], kind: String, leaseSize: Int) -> RedisRateLimiter {
            RedisRateLimiter(
                client: client,
                configuration: RedisRateLimiterConfiguration(
                    limit: unlimited, overrides: overrides, keyPrefix: "rum-gateway:\(kind):", leaseSize: leaseSize,
                    localShare: localShare),
                label: "gateway_\(kind)", logger: logger)
        }
        return Limiters(
            requests: limiter(requests, kind: "requests", leaseSize: 10), bytes: limiter(bytes, kind: "bytes", leaseSize: 64 << 10))
    }
}
