extension RetryBackoff {
    /// Sends one batch with `send` until the server accepts it, refuses it, or it still fails
    /// after `maximumRetries` retries, waiting `delay(beforeRetry:retryAfter:using:)` before each
    /// retry. Failures without an answer are always retried, a status only when
    /// `isRetryableStatus` says so; `willRetry` is told of each retry (its number from 1, the
    /// delay and the failure) before its wait.
    package func deliver(
        maximumRetries: Int,
        isRetryableStatus: (Int) -> Bool,
        willRetry: (_ retry: Int, _ delay: Duration, _ failure: PushFailure) -> Void,
        send: () async -> PushAttempt
    ) async -> PushOutcome {
        var generator = SystemRandomNumberGenerator()
        var retries = 0
        while true {
            let failure: PushFailure
            switch await send() {
            case .delivered:
                return .delivered
            case .cancelled:
                return .abandoned
            case .failed(let reason):
                failure = reason
            }
            if case .status(let code, _, _) = failure, !isRetryableStatus(code) { return .refused(failure) }
            guard retries < maximumRetries else { return .exhausted(failure, retries: retries) }
            retries += 1
            let delay = delay(beforeRetry: retries, retryAfter: failure.retryAfter, using: &generator)
            willRetry(retries, delay, failure)
            do {
                try await Task.sleep(for: delay)
            } catch {
                return .abandoned
            }
        }
    }
}
