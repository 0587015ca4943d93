package import NIOCore

/// Ends a connection whose answer went out before its request had all arrived (a 413 for a body
/// over the limit, a 431, a refusal on a connection the client asked to close).
///
/// Closing such a connection at once, with the client's bytes still unread, makes the kernel
/// reset it, and a client still sending can get the reset instead of the answer. So only the
/// sending side is shut, once the answer is out (the client reads the answer and then the end of
/// the stream); the rest of the request is read and dropped, and the connection closes when the
/// request ends or `timeout` after the answer, whichever comes first.
///
/// Used by faro-collector's and rum-gateway's handlers, on their event loop only.
package struct LingeringClose {
    /// How long the rest of a request is read and dropped, at most.
    package static let timeout = TimeAmount.seconds(5)

    /// The sending side's shutdown, once asked for: completes after the writes before it.
    private var outputClosed: EventLoopFuture<Void>?
    /// The close at `timeout`.
    private var timer: Scheduled<Void>?

    /// A connection that is not lingering.
    package init() {}

    /// Whether the connection is lingering: what it reads now is the rest of an answered request,
    /// to be dropped.
    package var isLingering: Bool { outputClosed != nil }

    /// Shuts the sending side of `context`'s connection once what was written to it is out, and
    /// closes the connection `timeout` from now unless the request ends before.
    package mutating func begin(context: ChannelHandlerContext) {
        guard outputClosed == nil else { return }
        outputClosed = context.close(mode: .output)
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: Self.timeout) { channel.close(promise: nil) }
    }

    /// The rest of the request has arrived: closes the connection once the answer is out.
    package func requestEnded(context: ChannelHandlerContext) {
        let channel = context.channel
        outputClosed?.whenComplete { (_: Result<Void, any Error>) in channel.close(promise: nil) }
    }

    /// The connection has closed: the close at `timeout` is not needed.
    package mutating func cancel() {
        timer?.cancel()
        timer = nil
    }
}
