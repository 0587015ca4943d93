import NIOCore

/// Commands written together, and the promise of their replies in the same order.
struct RedisRequest {
    let commands: [RESPCommand]
    let promise: EventLoopPromise<[RESPValue]>
}

/// Pipelines requests on one connection: writes each as it comes and matches replies to requests
/// in order. A request not answered within the timeout fails, and the connection with it, since a
/// late reply would be taken for the next request's.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    /// A request sent and not yet answered in full.
    private struct Pending {
        let request: RedisRequest
        var replies: [RESPValue]
        let timeout: Scheduled<Void>?
        let id: UInt64
    }

    private let commandTimeout: Duration
    private var pending = CircularBuffer<Pending>()
    private var nextID: UInt64 = 0
    /// Set once the connection failed: later requests fail at once with it.
    private var failure: RedisError?

    init(commandTimeout: Duration) {
        self.commandTimeout = commandTimeout
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        guard !request.commands.isEmpty else {
            request.promise.succeed([])
            promise?.succeed(())
            return
        }
        var buffer = context.channel.allocator.buffer(capacity: 64 * request.commands.count)
        for command in request.commands { command.write(into: &buffer) }
        let id = nextID
        nextID &+= 1
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let timeout = context.eventLoop.scheduleTask(in: TimeAmount(commandTimeout)) {
            bound.value.handler.timedOut(id: id, context: bound.value.context)
        }
        pending.append(Pending(request: request, replies: [], timeout: timeout, id: id))
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        guard !pending.isEmpty else {
            // A reply nobody asked for: the stream is out of step.
            fail(.unexpectedReply("a reply with no command waiting for it"), context: context)
            return
        }
        pending[pending.startIndex].replies.append(value)
        let head = pending[pending.startIndex]
        if head.replies.count == head.request.commands.count {
            pending.removeFirst()
            head.timeout?.cancel()
            head.request.promise.succeed(head.replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(.connectionClosed, context: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let protocolError = error as? RESPProtocolError {
            fail(.protocolViolation(protocolError), context: context)
        } else {
            fail(.connectionClosed, context: context)
        }
    }

    /// Fails the request `id` if it is still waiting, then the connection.
    private func timedOut(id: UInt64, context: ChannelHandlerContext) {
        guard pending.contains(where: { $0.id == id }) else { return }
        fail(.timeout(commandTimeout), context: context)
    }

    /// Fails every waiting request and every later one with `error`, and closes the connection.
    private func fail(_ error: RedisError, context: ChannelHandlerContext?) {
        if failure == nil { failure = error }
        let failed = pending
        pending.removeAll()
        // Closed before the waiters hear of it, so that none of them picks this connection again.
        context?.close(promise: nil)
        for entry in failed {
            entry.timeout?.cancel()
            // The request that timed out or broke the stream gets the reason; the others lost
            // their connection.
            entry.request.promise.fail(entry.id == failed.first?.id ? error : .connectionClosed)
        }
    }
}
