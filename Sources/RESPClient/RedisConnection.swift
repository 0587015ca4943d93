import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One open connection to a Redis server, authenticated and on its database, carrying pipelined
/// requests.
final class RedisConnection: Sendable {
    let channel: any Channel
    /// Whether the server has answered a command on this connection: one that closes before
    /// (accepted, then dropped, as a server at its client limit does) counts as a failed attempt.
    private let answered = Atomic(false)

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Whether the server has answered a command on this connection.
    var hasAnswered: Bool { answered.load(ordering: .relaxed) }

    /// Sends `commands` together; the future holds their replies in order (error replies among
    /// them), or fails with a `RedisError` when the connection does.
    func send(_ commands: [RESPCommand]) -> EventLoopFuture<[RESPValue]> {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        channel.writeAndFlush(RedisRequest(commands: commands, promise: promise)).whenFailure { error in
            promise.fail(error as? RedisError ?? .connectionClosed)
        }
        if !commands.isEmpty, !answered.load(ordering: .relaxed) {
            promise.futureResult.whenSuccess { [self] _ in answered.store(true, ordering: .relaxed) }
        }
        return promise.futureResult
    }

    /// Opens a connection and sends `AUTH` and `SELECT` as the configuration asks.
    static func connect(
        _ configuration: RedisConfiguration, on eventLoop: any EventLoop, logger: Logger
    ) -> EventLoopFuture<RedisConnection> {
        let timeout = configuration.commandTimeout
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RESPReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(RedisCommandHandler(commandTimeout: timeout))
                }
            }
            .connect(host: configuration.host, port: configuration.port)
            .flatMapErrorThrowing { error in
                throw RedisError.connectFailed("\(configuration.host):\(configuration.port): \(error)")
            }
            .flatMap { channel in
                let connection = RedisConnection(channel: channel)
                var handshake: [RESPCommand] = []
                if let password = configuration.password {
                    handshake.append(
                        configuration.username.map { RESPCommand("AUTH", $0, password) } ?? RESPCommand("AUTH", password))
                }
                if configuration.database != 0 {
                    handshake.append(RESPCommand("SELECT", String(configuration.database)))
                }
                return connection.send(handshake).flatMapThrowing { replies in
                    for reply in replies {
                        if case .error(let error) = reply { throw RedisError.handshakeFailed(error) }
                    }
                    logger.debug("connected to Redis", metadata: ["address": "\(configuration.host):\(configuration.port)"])
                    return connection
                }.flatMapErrorWithEventLoop { error, eventLoop in
                    channel.close(promise: nil)
                    return eventLoop.makeFailedFuture(error)
                }
            }
    }
}
