import RESPClient

/// What an error reply to the GCRA script is about: the bucket's key, so that only that decision
/// falls back, or Redis as a whole, so that the limiter falls back for every key until Redis takes
/// the script again.
enum RedisErrorScope: Sendable, Hashable {
    /// The key or the script's work on it: `WRONGTYPE` (the key holds another type), or an `ERR`
    /// raised while the script ran (a TAT that is not a number, say). Redis serves the other keys.
    case key
    /// Every other reply: Redis refuses the script whatever the key. A replica (`READONLY`), a
    /// password wanted (`NOAUTH`), a dataset loading (`LOADING`), a script running (`BUSY`), memory
    /// full (`OOM`), snapshots failing (`MISCONF`), an ACL (`NOPERM`), a lost primary
    /// (`MASTERDOWN`), a cluster's redirections (`MOVED`), a kind not known here.
    case server

    /// The scope of `error`, an error reply to the script.
    init(_ error: RedisServerError) {
        switch error.kind {
        case "WRONGTYPE":
            self = .key
        case "ERR" where error.message.contains("@user_script"):
            self = Self.wrapsARefusal(error.message) ? .server : .key
        default:
            self = .server
        }
    }

    /// Whether a script error of Redis before 7 wraps a refusal of a command the script called:
    /// those versions report it as `ERR Error running script (call to f_<sha>): @user_script:16:
    /// @user_script: 16: -READONLY You can't write against a read only replica.`, where Redis 7
    /// gives the reply the refusal's own kind.
    private static func wrapsARefusal(_ message: String) -> Bool {
        message.split(separator: " ").contains { word in
            word.count > 1 && word.hasPrefix("-") && word.dropFirst().allSatisfy { $0.isUppercase }
        }
    }
}
