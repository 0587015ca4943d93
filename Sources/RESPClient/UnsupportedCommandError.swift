import NIOCore

/// A command the client refuses before sending anything: one whose replies would not pair one to
/// one with the commands sent, or that would change a pooled connection's state for every later
/// caller.
///
/// Replies are paired with the oldest command waiting on the connection, and connections are
/// shared, so a command must get exactly one reply and leave the connection as the client set it
/// up. `EVAL` and `EVALSHA` are fine: a script cannot run any of the commands refused. Blocking
/// commands (`BLPOP`, `XREAD ... BLOCK`, `WAIT`, ...) are allowed: they get one reply, but hold
/// the connection, and the commands pipelined behind them, until then, and fail with
/// `RedisError.timeout` (closing the connection) when they block longer than the command timeout.
public struct UnsupportedCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why a command is refused.
    public enum Reason: Sendable, Hashable {
        /// `SUBSCRIBE`, `PSUBSCRIBE`, `SSUBSCRIBE`: the connection would become a subscriber,
        /// sent messages that answer no command and refused most commands.
        case subscribes
        /// `UNSUBSCRIBE`, `PUNSUBSCRIBE`, `SUNSUBSCRIBE`: one reply for each channel named, not one
        /// for the command.
        case unsubscribes
        /// `MONITOR`: the connection would become a stream of every command the server runs.
        case monitors
        /// `CLIENT REPLY OFF` or `SKIP`: the server would not answer it, nor (`OFF`) the commands after it.
        case silencesReplies
        /// `RESET`: the connection would lose the authentication and database the client set up.
        case resets
        /// `QUIT`: the connection would close under the commands pipelined on it.
        case quits
        /// `HELLO`: it may switch the connection to RESP3 (which the decoder does not read), or
        /// authenticate it as another user.
        case negotiatesProtocol
        /// `AUTH`: every later caller would get the pooled connection as this user.
        case authenticates
        /// `SELECT`: every later caller would get the pooled connection on this database.
        case selectsDatabase
        /// `SYNC`, `PSYNC`: the connection would become a replication stream.
        case replicates
        /// `MULTI` with no `EXEC` or `DISCARD` after it in the same pipeline: the commands of later
        /// callers on the connection would be queued in the transaction.
        case leavesTransactionOpen
        /// `WATCH` with no `EXEC`, `DISCARD` or `UNWATCH` after it in the same pipeline: the keys
        /// would stay watched, and could abort a later caller's transaction.
        case leavesKeysWatched
        /// A command with no name: the server skips it without a reply.
        case hasNoName
    }

    /// The command, in capitals (`SUBSCRIBE`, `CLIENT REPLY OFF`); empty for a command with no name.
    public let command: String
    /// Why it is refused.
    public let reason: Reason

    /// An error refusing `command` for `reason`.
    public init(command: String, reason: Reason) {
        self.command = command
        self.reason = reason
    }

    /// Names the command and says why it is refused.
    public var description: String {
        let subject = command.isEmpty ? "a command with no name" : command
        return "\(subject) is not supported: \(explanation)"
    }

    /// Why, for `description`.
    private var explanation: String {
        switch reason {
        case .subscribes: "it turns the connection into a subscriber that no longer answers commands"
        case .unsubscribes: "it answers once for each channel, not once for the command"
        case .monitors: "it turns the connection into a stream of every command the server runs"
        case .silencesReplies: "the server would not answer it, and replies are paired with commands in order"
        case .resets: "it resets the authentication and database the client sets up from its configuration"
        case .quits: "it closes a pooled connection under the commands pipelined on it; use RedisClient.shutdown()"
        case .negotiatesProtocol: "it can switch the connection to RESP3 or another user; the client speaks RESP2 as the user of its configuration"
        case .authenticates: "it would authenticate a pooled connection for every later caller; set RedisConfiguration.username and password"
        case .selectsDatabase: "it would change a pooled connection's database for every later caller; set RedisConfiguration.database"
        case .replicates: "it turns the connection into a replication stream"
        case .leavesTransactionOpen: "without EXEC or DISCARD after it in the same pipeline, later callers' commands would join the transaction"
        case .leavesKeysWatched: "without EXEC, DISCARD or UNWATCH after it in the same pipeline, the keys would stay watched for later callers"
        case .hasNoName: "the server skips it without a reply"
        }
    }
}

extension UnsupportedCommandError {
    /// Commands refused by their name alone, in capitals.
    private static let refusedNames: [(name: StaticString, reason: Reason)] = [
        ("SUBSCRIBE", .subscribes), ("PSUBSCRIBE", .subscribes), ("SSUBSCRIBE", .subscribes),
        ("UNSUBSCRIBE", .unsubscribes), ("PUNSUBSCRIBE", .unsubscribes), ("SUNSUBSCRIBE", .unsubscribes),
        ("MONITOR", .monitors), ("RESET", .resets), ("QUIT", .quits), ("HELLO", .negotiatesProtocol),
        ("AUTH", .authenticates), ("SELECT", .selectsDatabase), ("SYNC", .replicates), ("PSYNC", .replicates),
    ]

    /// Why `commands`, sent together, would break the pairing of replies or a pooled connection's
    /// state: the first refused command's error; `nil` when they may be sent. Names are matched
    /// without regard to case.
    init?(refusing commands: [RESPCommand]) {
        var inTransaction = false
        var watching = false
        for command in commands {
            guard let name = command.arguments.first else {
                self.init(command: "", reason: .hasNoName)
                return
            }
            if let refused = Self.refusedNames.first(where: { name.equalsCaseInsensitively($0.name) }) {
                self.init(command: String(buffer: name).uppercased(), reason: refused.reason)
                return
            }
            if name.equalsCaseInsensitively("CLIENT"), command.arguments.count == 3,
                command.arguments[1].equalsCaseInsensitively("REPLY"),
                command.arguments[2].equalsCaseInsensitively("OFF") || command.arguments[2].equalsCaseInsensitively("SKIP")
            {
                let words = command.arguments.map { String(buffer: $0).uppercased() }
                self.init(command: words.joined(separator: " "), reason: .silencesReplies)
                return
            }
            // Inside a transaction, WATCH is an error and UNWATCH is queued; EXEC and DISCARD end
            // the transaction and unwatch every key.
            if name.equalsCaseInsensitively("MULTI") {
                inTransaction = true
            } else if name.equalsCaseInsensitively("EXEC") || name.equalsCaseInsensitively("DISCARD") {
                if inTransaction { watching = false }
                inTransaction = false
            } else if !inTransaction, name.equalsCaseInsensitively("WATCH") {
                watching = true
            } else if !inTransaction, name.equalsCaseInsensitively("UNWATCH") {
                watching = false
            }
        }
        if inTransaction {
            self.init(command: "MULTI", reason: .leavesTransactionOpen)
        } else if watching {
            self.init(command: "WATCH", reason: .leavesKeysWatched)
        } else {
            return nil
        }
    }
}

extension ByteBuffer {
    /// Whether the readable bytes are `name` (in capitals), ASCII letters in either case.
    fileprivate func equalsCaseInsensitively(_ name: StaticString) -> Bool {
        guard readableBytes == name.utf8CodeUnitCount else { return false }
        return withUnsafeReadableBytes { bytes in
            name.withUTF8Buffer { expected in
                for index in 0..<expected.count {
                    let byte = bytes[index]
                    let upper = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
                    if upper != expected[index] { return false }
                }
                return true
            }
        }
    }
}
