import AsyncHTTPClient
import PushDelivery
import TestSupport
import Testing

/// One push request against a recording server on loopback: headers, body, and how the answer
/// is classified.
@Suite(.timeLimit(.minutes(1)))
struct HTTPClientPushTests {
    /// Pushes `body` to `url` for `tenant`, returning the attempt and the status codes recorded.
    private func push(
        _ body: ContiguousArray<UInt8>, to url: String, tenant: String?, timeout: Duration = .seconds(5)
    ) async -> (attempt: PushAttempt, statusCodes: [Int]) {
        var statusCodes: [Int] = []
        let attempt = await HTTPClient.shared.push(
            body, to: url, headers: [("Content-Type", "application/x-protobuf")], tenant: tenant, timeout: timeout
        ) { _, statusCode in statusCodes.append(statusCode) }
        return (attempt, statusCodes)
    }

    @Test("a 2xx is delivered; the body, headers and tenant are sent")
    func delivers() async throws {
        let server = try await RecordingHTTPServer()
        let (attempt, statusCodes) = await push([1, 2, 3], to: server.url("/push"), tenant: "team-a")
        await server.close()
        guard case .delivered = attempt else { Issue.record("\(attempt)"); return }
        #expect(statusCodes == [204])
        let request = try #require(server.received.first)
        #expect(request.path == "/push")
        #expect(request.body == [1, 2, 3])
        #expect(request.headers["Content-Type"] == ["application/x-protobuf"])
        #expect(request.headers["X-Scope-OrgID"] == ["team-a"])

        let anonymous = try await RecordingHTTPServer()
        _ = await push([1], to: anonymous.url("/push"), tenant: nil)
        await anonymous.close()
        #expect(anonymous.received.first?.headers["X-Scope-OrgID"] == [])
    }

    @Test("an error answer fails with its status, its reason on one line and its Retry-After")
    func failsWithStatus() async throws {
        let server = try await RecordingHTTPServer { _, _ in
            HTTPAnswer(status: .serviceUnavailable, headers: [("Retry-After", "7")], body: "  ingester\nunavailable\t\n")
        }
        let (attempt, statusCodes) = await push([1], to: server.url("/push"), tenant: nil)
        await server.close()
        guard case .failed(.status(code: 503, let reason, let retryAfter)) = attempt else { Issue.record("\(attempt)"); return }
        #expect(reason == "ingester unavailable")
        #expect(retryAfter == .seconds(7))
        #expect(statusCodes == [503])
    }

    @Test("no answer (nothing listens) is a transport failure, recorded with status 0")
    func failsWithoutAnswer() async throws {
        let port = try LoopbackPort.free()
        let (attempt, statusCodes) = await push([1], to: "http://127.0.0.1:\(port)/push", tenant: nil, timeout: .milliseconds(300))
        guard case .failed(.transport) = attempt else { Issue.record("\(attempt)"); return }
        #expect(statusCodes == [0])
    }

    @Test("an answer whose body does not end within the timeout is a transport failure, at the timeout")
    func failsWhenBodyHeldBack() async throws {
        // A 200 head at once, its body's end only after 30 s.
        let server = try await RecordingHTTPServer(headFirst: true) { _, _ in HTTPAnswer(status: .ok, delay: .seconds(30)) }
        let started = ContinuousClock.now
        let (attempt, statusCodes) = await push([1], to: server.url("/push"), tenant: nil, timeout: .milliseconds(500))
        let elapsed = ContinuousClock.now - started
        await server.close()
        guard case .failed(.transport) = attempt else { Issue.record("\(attempt)"); return }
        // Well short of the body's 30 s, with room for a machine that stalls the test for seconds.
        #expect(elapsed < .seconds(20), "\(elapsed)")
        #expect(statusCodes == [0])
    }
}
