/// How delivering one batch ended, its retries included.
package enum PushOutcome: Sendable {
    /// The server accepted it.
    case delivered
    /// The server refused it with a status that is not retried.
    case refused(PushFailure)
    /// It still failed after `retries` retries, the most allowed.
    case exhausted(PushFailure, retries: Int)
    /// The task was cancelled (the client is stopping) before it was delivered.
    case abandoned
}
