import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `redis-server` of Debian's package, started by a test on a loopback port of its own and
/// stopped with it. `scripts/test` installs the package; `RUM_REDIS_SERVER` names another binary.
public final class RedisServer: @unchecked Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// Arguments added to the server's command line (`--requirepass`, say).
    private let extraArguments: [String]
    private let lock = NSLock()
    private var process: Process?

    /// The server binary: `RUM_REDIS_SERVER`, else the first `redis-server` on the usual paths.
    public static var binary: String? {
        if let path = ProcessInfo.processInfo.environment["RUM_REDIS_SERVER"] { return path }
        return ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether the tests that need Redis can run here. `scripts/test` sets `RUM_REQUIRE_REDIS`, so
    /// that in the test command they fail rather than skip when the server is missing.
    public static var isAvailable: Bool {
        binary != nil || ProcessInfo.processInfo.environment["RUM_REQUIRE_REDIS"] != nil
    }

    /// Starts a server on a free loopback port and waits until it answers `PING`.
    public init(arguments: [String] = []) async throws {
        extraArguments = arguments
        port = try LoopbackPort.free()
        try await start()
    }

    deinit {
        takeProcess()?.killBlocking()
    }

    /// Starts the server (again, after `kill()`), on the same port, with no data. It waits without
    /// holding a thread of the concurrency pool (two on this machine), which the tests running
    /// beside it need: many start a server at once.
    public func start() async throws {
        guard let binary = Self.binary else {
            throw OracleError("no redis-server: install Debian's redis-server package (scripts/test does)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--loglevel", "warning", "--dir", NSTemporaryDirectory(),
        ] + pidFileArguments + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        lock.withLock { self.process = process }
        // Up to 30 s for it to listen: a loaded machine may keep it from a core for seconds.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if Self.answers(port: port) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw OracleError("redis-server did not start on port \(port)")
    }

    /// Freezes the server (SIGSTOP): connections stay open and commands get no reply, as with a
    /// server stuck or a network that drops packets, until `resume()`.
    public func pause() {
        if let process = lock.withLock({ self.process }) { Glibc.kill(process.processIdentifier, SIGSTOP) }
    }

    /// Lets a paused server go on (SIGCONT).
    public func resume() {
        if let process = lock.withLock({ self.process }) { Glibc.kill(process.processIdentifier, SIGCONT) }
    }

    /// `--pidfile` in `RUM_REDIS_PIDFILE_DIR`, where `scripts/test` finds the servers of a test
    /// process that died before it could stop them.
    private var pidFileArguments: [String] {
        guard let directory = ProcessInfo.processInfo.environment["RUM_REDIS_PIDFILE_DIR"] else { return [] }
        return ["--pidfile", "\(directory)/redis-\(port).pid"]
    }

    /// Kills the server at once (SIGKILL), as a crash would, and waits for it to end without
    /// holding a thread of the concurrency pool. (It keeps no data, and SIGTERM may be blocked in
    /// the test process's children.)
    public func kill() async {
        await takeProcess()?.kill()
    }

    /// The running server's process, which from now on is no longer this server's.
    private func takeProcess() -> Process? {
        lock.withLock { () -> Process? in
            defer { self.process = nil }
            return self.process
        }
    }


    /// Whether a server on 127.0.0.1:`port` answers `PING` within 200 ms (it listens before it
    /// serves), with a pong or an error.
    private static func answers(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = LoopbackPort.address(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return false }
        let ping = Array("PING\r\n".utf8)
        guard send(socket, ping, ping.count, 0) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let count = recv(socket, &reply, reply.count, 0)
        // +PONG, or -NOAUTH from a server that wants a password: either way, it serves.
        return count > 0 && (reply[0] == UInt8(ascii: "+") || reply[0] == UInt8(ascii: "-"))
    }
}
