import NIOCore
import NIOPosix
import RESPClient
import Synchronization
import TestSupport
import Testing

/// Against a real `redis-server` on a loopback port of each test's own.
@Suite(.enabled(if: RedisServer.isAvailable, "needs Debian's redis-server (scripts/test installs it)"))
struct RedisClientTests {
    @Test func commandsAndTypedErrorReplies() async throws {
        let server = try await RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port))
        #expect(try await client.send(RESPCommand("PING")).string == "PONG")
        #expect(try await client.send(RESPCommand("SET", "k", "v")).string == "OK")
        #expect(try await client.send(RESPCommand("GET", "k")).string == "v")
        #expect(try await client.send(RESPCommand("GET", "missing")).isNull)
        #expect(try await client.send(RESPCommand("INCRBY", "n", "5")) == .integer(5))
        await #expect(throws: RedisError.server(RedisServerError(
            kind: "WRONGTYPE", message: "Operation against a key holding the wrong kind of value"))) {
            try await client.send(RESPCommand("LPUSH", "k", "x"))
        }
        await client.shutdown()
        await #expect(throws: RedisError.shutDown) { try await client.send(RESPCommand("PING")) }
    }

    /// A pipeline's replies come back in order, error replies in their places; concurrent senders
    /// share the pool's connections.
    @Test func pipelinesAndConcurrency() async throws {
        let server = try await RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, connections: 3))
        let commands = (0..<500).map { _ in RESPCommand("INCR", "counter") } + [RESPCommand("NOSUCHCOMMAND")]
        let replies = try await client.pipeline(commands)
        #expect(replies.count == 501)
        #expect(replies.prefix(500).map { $0.int64 } == (1...500).map { Int64($0) })
        guard case .error(let error) = replies[500] else { Issue.record("no error reply: \(replies[500])"); return }
        #expect(error.kind == "ERR")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    for _ in 0..<20 { _ = try await client.send(RESPCommand("INCR", "shared")) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await client.send(RESPCommand("GET", "shared")).int64 == 1_000)
        // The pool filled up: the server sees its three connections.
        let clients = try await client.send(RESPCommand("CLIENT", "LIST")).string ?? ""
        #expect(clients.split(separator: "\n").count == 3)
        await client.shutdown()
    }

    @Test func authenticatesAndSelectsTheDatabase() async throws {
        let server = try await RedisServer(arguments: ["--requirepass", "hunter2"])
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, password: "hunter2", database: 3))
        _ = try await client.send(RESPCommand("SET", "where", "db3"))
        let database3 = RedisClient(configuration: try RedisConfiguration(url: "redis://default:hunter2@127.0.0.1:\(server.port)/3"))
        #expect(try await database3.send(RESPCommand("GET", "where")).string == "db3")
        let database0 = RedisClient(configuration: RedisConfiguration(port: server.port, password: "hunter2"))
        #expect(try await database0.send(RESPCommand("GET", "where")).isNull)

        let wrong = RedisClient(configuration: RedisConfiguration(port: server.port, password: "nope"))
        await #expect {
            try await wrong.send(RESPCommand("PING"))
        } throws: { error in
            guard case .handshakeFailed(let reply) = error as? RedisError else { return false }
            return reply.kind == "WRONGPASS"
        }
        let anonymous = RedisClient(configuration: RedisConfiguration(port: server.port))
        await #expect(throws: RedisError.self) { try await anonymous.send(RESPCommand("GET", "where")) }
        for client in [client, database3, database0, wrong, anonymous] { await client.shutdown() }
    }

    /// A frozen server makes commands time out; the client then reconnects and goes on.
    @Test(.timeLimit(.minutes(1))) func timesOutAndRecovers() async throws {
        let server = try await RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, commandTimeout: .seconds(3)))
        #expect(try await client.send(RESPCommand("PING")).string == "PONG")
        server.pause()
        let start = ContinuousClock.now
        // The timeout's doing, as the error says: the frozen server would never have answered. How
        // late after the timeout the error comes is the machine's scheduling (the tests run in
        // parallel on two cores), so only the timeout's own bound is checked.
        await #expect(throws: RedisError.timeout(.seconds(3))) { try await client.send(RESPCommand("PING")) }
        let waited = ContinuousClock.now - start
        #expect(waited >= .seconds(3), "failed after \(waited)")
        server.resume()
        #expect(try await client.send(RESPCommand("PING")).string == "PONG")
        await client.shutdown()
    }

    /// A server that goes away fails commands fast while the client backs off, and is used again
    /// once it is back.
    @Test func reconnectsWithBackoff() async throws {
        let server = try await RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(
            port: server.port, connections: 1, initialReconnectDelay: .seconds(10), maximumReconnectDelay: .seconds(10)))
        #expect(try await client.send(RESPCommand("PING")).string == "PONG")
        await server.kill()
        // The broken connection fails; the attempt to replace it is refused.
        await #expect(throws: RedisError.self) { try await client.send(RESPCommand("PING")) }
        await #expect { try await client.send(RESPCommand("PING")) } throws: { error in
            switch error as? RedisError {
            case .connectFailed, .unavailable, .connectionClosed: return true
            default: return false
            }
        }
        // Within the backoff, nothing is sent: the failure is immediate.
        await #expect { try await client.send(RESPCommand("PING")) } throws: { error in
            if case .unavailable = error as? RedisError { return true }
            return false
        }
        try await server.start()
        let answered = try await eventually(every: .milliseconds(100)) {
            (try? await client.send(RESPCommand("PING")))?.string == "PONG"
        }
        #expect(answered)
        await client.shutdown()
    }

    /// A server that accepts connections and drops them at once (as Redis at its client limit,
    /// or a proxy without a backend, does) is not connected to again at every command: a
    /// connection that closes before any answer counts as a failed attempt and backs off.
    @Test func connectionsDroppedBeforeAnAnswerBackOff() async throws {
        let accepted = Atomic(0)
        let dropping = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                accepted.add(1, ordering: .relaxed)
                return channel.close()
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let client = RedisClient(configuration: RedisConfiguration(
            port: dropping.localAddress?.port ?? 0, connections: 1, initialReconnectDelay: .milliseconds(200),
            maximumReconnectDelay: .seconds(60)))
        for _ in 0..<200 {
            _ = try? await client.send(RESPCommand("PING"))
            try await Task.sleep(for: .milliseconds(5))
        }
        // About 1 s of commands (longer on a stalled machine, which the doubling backoff absorbs):
        // a few attempts spaced by the backoff, not one a command.
        #expect(accepted.load(ordering: .relaxed) <= 10, "\(accepted.load(ordering: .relaxed)) connections")
        await client.shutdown()
        try await dropping.close()
    }
}
