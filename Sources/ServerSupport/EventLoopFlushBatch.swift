package import NIOCore

/// The writes made on one event loop while it serves the sockets that one poll found ready,
/// flushed together once it has served them all (as Netty's `FlushConsolidationHandler`, but
/// across the loop's connections): faro-collector's answers, rum-gateway's answers and the
/// requests it sends upstream.
///
/// On loopback, and wherever the client's process shares the machine, every flush that finds the
/// client asleep pays to wake it: about a quarter of the collector's CPU time under load was the
/// kernel waking `wrk` once an answer. Flushed together, the first answer wakes the client and
/// the rest find it awake. An answer waits at most for the requests read in the same pass.
///
/// Used only on its event loop.
package final class EventLoopFlushBatch: @unchecked Sendable {
    private let eventLoop: any EventLoop
    /// The connections with answers written and not flushed.
    private var pending: [ChannelHandlerContext] = []

    /// A batch for the connections of `eventLoop`.
    package init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Flushes `context` after the event loop has served the sockets of its current pass.
    package func flushLater(_ context: ChannelHandlerContext) {
        eventLoop.assertInEventLoop()
        pending.append(context)
        guard pending.count == 1 else { return }
        eventLoop.execute { [self] in
            for context in pending { context.flush() }
            pending.removeAll(keepingCapacity: true)
        }
    }
}
