import RESPClient
import Testing
@testable import TokenBucketRedis

/// Which error replies to the GCRA script are about its key, and which about Redis as a whole, in
/// the forms of Redis 7 and of Redis before 7.
struct RedisErrorScopeTests {
    /// Error lines (kind, then message) and their scope.
    static let cases: [(line: String, scope: RedisErrorScope)] = [
        ("WRONGTYPE Operation against a key holding the wrong kind of value script: a37e, on @user_script:7.", .key),
        ("ERR user_script:8: attempt to compare nil with number script: a37e, on @user_script:8.", .key),
        ("ERR value is not an integer or out of range script: a37e, on @user_script:16.", .key),
        ("ERR Error running script (call to f_a37e): @user_script:7: WRONGTYPE Operation against a key holding the wrong kind of value", .key),
        ("READONLY You can't write against a read only replica. script: a37e, on @user_script:16.", .server),
        ("ERR Error running script (call to f_a37e): @user_script:16: @user_script: 16: -READONLY You can't write against a read only replica.", .server),
        ("ERR Error running script (call to f_a37e): @user_script:16: @user_script: 16: -OOM command not allowed when used memory > 'maxmemory'.", .server),
        ("OOM command not allowed when used memory > 'maxmemory'. script: a37e, on @user_script:16.", .server),
        ("NOAUTH Authentication required.", .server),
        ("LOADING Redis is loading the dataset in memory", .server),
        ("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.", .server),
        ("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.", .server),
        ("NOPERM this user has no permissions to run the 'evalsha' command", .server),
        ("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", .server),
        ("MOVED 3999 127.0.0.1:6381", .server),
        ("ERR unknown command 'EVALSHA', with args beginning with: ", .server),
        ("ERR max number of clients reached", .server),
        ("SOMETHINGNEW the server knows better", .server),
    ]

    /// Each case's scope.
    @Test(arguments: cases)
    func scope(line: String, scope: RedisErrorScope) {
        let space = line.firstIndex(of: " ") ?? line.endIndex
        let error = RedisServerError(kind: String(line[..<space]), message: String(line[space...].dropFirst()))
        #expect(RedisErrorScope(error) == scope)
    }
}
