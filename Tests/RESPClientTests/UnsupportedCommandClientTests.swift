import RESPClient
import TestSupport
import Testing

/// Commands that would break the pairing of replies with commands, sent to a real `redis-server`:
/// refused, nothing sent, and the connection still answers the next command.
@Suite(.enabled(if: RedisServer.isAvailable, "needs Debian's redis-server (scripts/test installs it)"), .timeLimit(.minutes(1)))
struct UnsupportedCommandClientTests {
    @Test func refusedCommandsSendNothingAndLeaveTheConnectionUsable() async throws {
        let server = try await RedisServer()
        // One connection, so that every command after a refused one goes where it would have gone;
        // a short timeout, so that a command the server does not answer fails rather than hangs.
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, connections: 1, commandTimeout: .seconds(10)))
        for (command, expected) in RefusedCommands.cases {
            let before = try await commandsProcessed(client)
            await #expect(throws: RedisError.unsupportedCommand(expected)) { try await client.send(command) }
            #expect(try await client.send(RESPCommand("PING")).string == "PONG", "after \(expected.command)")
            // The first INFO and the PING: the refused command never reached the server.
            #expect(try await commandsProcessed(client) - before == 2, "after \(expected.command)")
        }
        await client.shutdown()
    }

    /// A pipeline with one refused command is refused whole: not even the commands before it run.
    @Test func aPipelineWithARefusedCommandSendsNothing() async throws {
        let server = try await RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, connections: 1, commandTimeout: .seconds(10)))
        let before = try await commandsProcessed(client)
        await #expect(throws: RedisError.unsupportedCommand(UnsupportedCommandError(command: "SUBSCRIBE", reason: .subscribes))) {
            try await client.pipeline([RESPCommand("SET", "k", "v"), RESPCommand("subscribe", "news"), RESPCommand("GET", "k")])
        }
        #expect(try await client.send(RESPCommand("GET", "k")).isNull)
        #expect(try await commandsProcessed(client) - before == 2)
        await client.shutdown()
    }

    /// What is allowed keeps one reply a command: transactions closed in their pipeline, a
    /// blocking command that returns within the command timeout, `CLIENT REPLY ON`.
    @Test func allowedCommandsKeepTheirReplies() async throws {
        let server = try await RedisServer()
        let client = RedisClient(configuration: RedisConfiguration(port: server.port, connections: 1, commandTimeout: .seconds(2)))
        #expect(try await client.send(RESPCommand("CLIENT", "REPLY", "ON")).string == "OK")
        let transaction = try await client.pipeline([
            RESPCommand("WATCH", "n"), RESPCommand("MULTI"), RESPCommand("INCR", "n"), RESPCommand("EXEC"),
        ])
        #expect(transaction.last == .array([.integer(1)]))
        #expect(try await client.send(RESPCommand("BLPOP", "queue", "0.1")).isNull)
        #expect(try await client.send(RESPCommand("PING")).string == "PONG")
        await client.shutdown()
    }

    /// The server's count of the commands it ran.
    private func commandsProcessed(_ client: RedisClient) async throws -> Int64 {
        let info = try await client.send(RESPCommand("INFO", "stats")).string ?? ""
        let line = info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("total_commands_processed:") }
        return Int64(line?.split(separator: ":").last ?? "") ?? -1
    }
}
