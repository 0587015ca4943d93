import RESPClient
import Testing

/// The commands the client refuses, names in mixed case, with the error each gets.
enum RefusedCommands {
    static let cases: [(RESPCommand, UnsupportedCommandError)] = [
        (RESPCommand("Subscribe", "news"), UnsupportedCommandError(command: "SUBSCRIBE", reason: .subscribes)),
        (RESPCommand("psubscribe", "news.*"), UnsupportedCommandError(command: "PSUBSCRIBE", reason: .subscribes)),
        (RESPCommand("sSubscribe", "shard"), UnsupportedCommandError(command: "SSUBSCRIBE", reason: .subscribes)),
        (RESPCommand("unsubscribe", "a", "b"), UnsupportedCommandError(command: "UNSUBSCRIBE", reason: .unsubscribes)),
        (RESPCommand("PUnsubscribe"), UnsupportedCommandError(command: "PUNSUBSCRIBE", reason: .unsubscribes)),
        (RESPCommand("sunsubscribe", "shard"), UnsupportedCommandError(command: "SUNSUBSCRIBE", reason: .unsubscribes)),
        (RESPCommand("monitor"), UnsupportedCommandError(command: "MONITOR", reason: .monitors)),
        (RESPCommand("Client", "Reply", "off"), UnsupportedCommandError(command: "CLIENT REPLY OFF", reason: .silencesReplies)),
        (RESPCommand("client", "reply", "Skip"), UnsupportedCommandError(command: "CLIENT REPLY SKIP", reason: .silencesReplies)),
        (RESPCommand("reset"), UnsupportedCommandError(command: "RESET", reason: .resets)),
        (RESPCommand("Quit"), UnsupportedCommandError(command: "QUIT", reason: .quits)),
        (RESPCommand("hello", "3"), UnsupportedCommandError(command: "HELLO", reason: .negotiatesProtocol)),
        (RESPCommand("HELLO"), UnsupportedCommandError(command: "HELLO", reason: .negotiatesProtocol)),
        (RESPCommand("auth", "hunter2"), UnsupportedCommandError(command: "AUTH", reason: .authenticates)),
        (RESPCommand("Auth", "alice", "hunter2"), UnsupportedCommandError(command: "AUTH", reason: .authenticates)),
        (RESPCommand("select", "1"), UnsupportedCommandError(command: "SELECT", reason: .selectsDatabase)),
        (RESPCommand("sync"), UnsupportedCommandError(command: "SYNC", reason: .replicates)),
        (RESPCommand("PSync", "?", "-1"), UnsupportedCommandError(command: "PSYNC", reason: .replicates)),
        (RESPCommand("multi"), UnsupportedCommandError(command: "MULTI", reason: .leavesTransactionOpen)),
        (RESPCommand("watch", "k"), UnsupportedCommandError(command: "WATCH", reason: .leavesKeysWatched)),
        (RESPCommand(arguments: []), UnsupportedCommandError(command: "", reason: .hasNoName)),
    ]
}

/// The refusals need no server: they come before the client connects, so a client of a port
/// where nothing listens gets them, where it would get a connection error for anything it sends.
@Suite struct UnsupportedCommandTests {
    /// A client of 127.0.0.1:1, where nothing listens.
    private static func unconnectable() -> RedisClient {
        RedisClient(configuration: RedisConfiguration(port: 1, connections: 1, initialReconnectDelay: .zero))
    }

    @Test(arguments: RefusedCommands.cases)
    func refusesBeforeConnecting(_ command: RESPCommand, _ expected: UnsupportedCommandError) async {
        let client = Self.unconnectable()
        await #expect(throws: RedisError.unsupportedCommand(expected)) { try await client.send(command) }
        await #expect(throws: RedisError.unsupportedCommand(expected)) {
            try await client.pipeline([RESPCommand("SET", "k", "1"), command, RESPCommand("GET", "k")])
        }
        await client.shutdown()
    }

    /// Commands that keep one reply each and leave the connection as it was go on to the server.
    @Test(arguments: [
        [RESPCommand("CLIENT", "REPLY", "ON")],
        [RESPCommand("EVALSHA", "0123456789abcdef0123456789abcdef01234567", "1", "k")],
        [RESPCommand("EVAL", "return redis.call('SUBSCRIBE', 'x')", "0")],
        [RESPCommand("BLPOP", "queue", "0.1")],
        [RESPCommand("multi"), RESPCommand("INCR", "n"), RESPCommand("exec")],
        [RESPCommand("MULTI"), RESPCommand("INCR", "n"), RESPCommand("DISCARD")],
        [RESPCommand("WATCH", "n"), RESPCommand("MULTI"), RESPCommand("INCR", "n"), RESPCommand("EXEC")],
        [RESPCommand("WATCH", "n"), RESPCommand("UNWATCH")],
        [RESPCommand("SUBSCRIBED")],
    ])
    func passesOtherCommands(_ commands: [RESPCommand]) async {
        let client = Self.unconnectable()
        await #expect { try await client.pipeline(commands) } throws: { error in
            if case .unsupportedCommand = error as? RedisError { return false }
            return true
        }
        await client.shutdown()
    }

    /// A transaction or a watch is refused when the pipeline leaves it open for the next caller.
    @Test func refusesWhatAPipelineLeavesOpen() async {
        let client = Self.unconnectable()
        let open = UnsupportedCommandError(command: "MULTI", reason: .leavesTransactionOpen)
        await #expect(throws: RedisError.unsupportedCommand(open)) {
            try await client.pipeline([RESPCommand("MULTI"), RESPCommand("EXEC"), RESPCommand("MULTI")])
        }
        let watched = UnsupportedCommandError(command: "WATCH", reason: .leavesKeysWatched)
        // EXEC without MULTI is an error reply and unwatches nothing.
        await #expect(throws: RedisError.unsupportedCommand(watched)) {
            try await client.pipeline([RESPCommand("WATCH", "k"), RESPCommand("EXEC")])
        }
        await client.shutdown()
    }

    @Test func describesTheCommandAndWhy() {
        #expect(RedisError.unsupportedCommand(UnsupportedCommandError(command: "SUBSCRIBE", reason: .subscribes)).description
            == "SUBSCRIBE is not supported: it turns the connection into a subscriber that no longer answers commands")
        #expect(UnsupportedCommandError(command: "", reason: .hasNoName).description
            == "a command with no name is not supported: the server skips it without a reply")
    }
}
