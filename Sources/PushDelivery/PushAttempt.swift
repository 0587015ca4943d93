/// How one request of a push went.
package enum PushAttempt: Sendable {
    /// The server answered 2xx.
    case delivered
    /// It failed.
    case failed(PushFailure)
    /// The task was cancelled (the client is stopping).
    case cancelled
}
