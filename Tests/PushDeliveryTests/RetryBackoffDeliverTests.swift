import PushDelivery
import Testing

/// The retry loop of one batch: which failures it retries, how often, and how it ends.
struct RetryBackoffDeliverTests {
    private let backoff = RetryBackoff(minimum: .milliseconds(1), maximum: .milliseconds(5))

    @Test("a batch accepted at once is delivered without a retry")
    func deliveredAtOnce() async {
        var retries: [Int] = []
        let outcome = await backoff.deliver(
            maximumRetries: 3, isRetryableStatus: { _ in true }, willRetry: { retry, _, _ in retries.append(retry) },
            send: { .delivered })
        guard case .delivered = outcome else { Issue.record("\(outcome)"); return }
        #expect(retries.isEmpty)
    }

    @Test("failures without an answer are retried until maximumRetries, then the batch is given up")
    func exhaustsRetries() async {
        var attempts = 0
        var retries: [Int] = []
        let outcome = await backoff.deliver(
            maximumRetries: 3, isRetryableStatus: { _ in false }, willRetry: { retry, _, _ in retries.append(retry) },
            send: {
                attempts += 1
                return .failed(.transport("connection refused"))
            })
        guard case .exhausted(.transport("connection refused"), retries: 3) = outcome else { Issue.record("\(outcome)"); return }
        #expect(attempts == 4)
        #expect(retries == [1, 2, 3])
    }

    @Test("a status that is not retryable ends at once; a retryable one is retried until it succeeds")
    func classifiesStatuses() async {
        let refused = await backoff.deliver(
            maximumRetries: 3, isRetryableStatus: { $0 >= 500 }, willRetry: { _, _, _ in Issue.record("retried a 400") },
            send: { .failed(.status(code: 400, reason: "bad", retryAfter: nil)) })
        guard case .refused(.status(code: 400, reason: "bad", retryAfter: nil)) = refused else { Issue.record("\(refused)"); return }

        var attempts = 0
        let delivered = await backoff.deliver(
            maximumRetries: 3, isRetryableStatus: { $0 >= 500 }, willRetry: { _, _, _ in },
            send: {
                attempts += 1
                return attempts < 3 ? .failed(.status(code: 503, reason: "", retryAfter: nil)) : .delivered
            })
        guard case .delivered = delivered else { Issue.record("\(delivered)"); return }
        #expect(attempts == 3)
    }

    @Test("Retry-After lengthens the delay, up to the maximum backoff")
    func honoursRetryAfter() async {
        var delays: [Duration] = []
        _ = await backoff.deliver(
            maximumRetries: 1, isRetryableStatus: { _ in true }, willRetry: { _, delay, _ in delays.append(delay) },
            send: { .failed(.status(code: 429, reason: "", retryAfter: .milliseconds(4))) })
        #expect(delays.count == 1 && delays[0] >= .milliseconds(4) && delays[0] <= .milliseconds(5))
    }

    @Test("a cancelled send or a cancelled wait abandons the batch")
    func cancellationAbandons() async {
        let cancelled = await backoff.deliver(
            maximumRetries: 3, isRetryableStatus: { _ in true }, willRetry: { _, _, _ in }, send: { .cancelled })
        guard case .abandoned = cancelled else { Issue.record("\(cancelled)"); return }

        let slow = RetryBackoff(minimum: .seconds(60), maximum: .seconds(60))
        let task = Task {
            await slow.deliver(
                maximumRetries: 3, isRetryableStatus: { _ in true }, willRetry: { _, _, _ in },
                send: { .failed(.transport("timeout")) })
        }
        task.cancel()
        guard case .abandoned = await task.value else { Issue.record("not abandoned"); return }
    }
}
