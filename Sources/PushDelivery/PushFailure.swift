/// Why one request of a push did not succeed.
package enum PushFailure: Sendable, CustomStringConvertible {
    /// The server answered with a status other than 2xx, with the start of its body (its
    /// reason) and how long its `Retry-After` asks to wait.
    case status(code: Int, reason: String, retryAfter: Duration?)
    /// No answer: connection refused or reset, timeout, TLS failure.
    case transport(String)

    /// The wait the server asked for, if any.
    package var retryAfter: Duration? {
        if case .status(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    /// The status and the server's reason, or the transport error.
    package var description: String {
        switch self {
        case .status(let code, let reason, _): reason.isEmpty ? "HTTP \(code)" : "HTTP \(code): \(reason)"
        case .transport(let error): error
        }
    }
}
