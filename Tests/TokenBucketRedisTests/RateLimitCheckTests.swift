import Foundation
import TestSupport
import Testing

/// `rumctl ratelimit`'s checks of its options, which need no Redis.
struct RateLimitCheckTests {
    /// A duration that is infinite or past a day is refused with a usage error, not a crash (its
    /// nanoseconds overflowed `Int64`).
    @Test(arguments: ["inf", "1e12", "1e300"])
    func refusesDurationsPastADay(duration: String) async throws {
        let rumctl = TestEnvironment.productsDirectory.appendingPathComponent("rumctl")
        let result = try await TestEnvironment.runToEnd(rumctl, arguments: [
            "ratelimit", "--redis", "redis://127.0.0.1:1", "--duration", duration,
        ])
        #expect(result.status == 64)
        let errors = String(decoding: result.errors, as: UTF8.self)
        #expect(errors.contains("--duration must be a number of seconds up to 86400"), "\(errors)")
        #expect(result.output.isEmpty)
    }
}
