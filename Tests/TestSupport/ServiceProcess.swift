public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A built executable of this package run as a service: started on a loopback port it picks and
/// announces, and stopped with `terminate()` (SIGTERM, waiting for a graceful exit) or `kill()`.
/// Its standard output and error are kept for failure messages.
public final class ServiceProcess: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let process: Process
    private let log: Log

    /// Text that the pipes' readers append to while the tests read it.
    private final class Log: Sendable {
        private let text = Mutex("")
        func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        var value: String { text.withLock { $0 } }
    }

    /// Starts the product `product` with `arguments` in `directory` (the current one if nil), with
    /// `environment` added to this process's, and waits, at most 30 s, for it to write
    /// `announcement` followed by the port it listens on (`listening on http://127.0.0.1:`), on
    /// standard output or error.
    ///
    /// The log is read once more after the deadline: tests that block the concurrency pool's
    /// threads (the oracle tests wait for Python synchronously) can keep this wait from running
    /// until after the line has come.
    public init(
        product: String, arguments: [String], announcement: String, directory: URL? = nil, environment: [String: String] = [:]
    ) async throws {
        let process = Process()
        process.executableURL = TestEnvironment.productsDirectory.appendingPathComponent(product)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        let log = Log()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        for pipe in [output, errors] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                } else {
                    log.append(data)
                }
            }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        func announcedPort() -> Int? {
            guard let range = log.value.range(of: announcement) else { return nil }
            return Int(log.value[range.upperBound...].prefix { $0.isNumber })
        }
        var port = announcedPort()
        while port == nil, process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            port = announcedPort()
        }
        guard let port = port ?? announcedPort() else {
            await process.kill()
            throw OracleError("\(product) did not start within 30 s: \(log.value)")
        }
        self.process = process
        self.log = log
        self.port = port
    }

    deinit {
        process.killBlocking()
    }

    /// Whether the process still runs (it has not crashed).
    public var isRunning: Bool { process.isRunning }

    /// What it has written so far.
    public var logged: String { log.value }

    /// The process id.
    public var processIdentifier: Int32 { process.processIdentifier }

    /// The processor time the service has used so far, user and system, from `/proc/<pid>/stat`
    /// (to the kernel's clock tick, usually 10 ms): for bounds on the work a request made it do,
    /// which unlike a wall clock do not count the time it waited for a core.
    public func processorTime() throws -> Duration {
        let stat = try String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)
        // The fields after the command name, which is in parentheses and may hold spaces.
        guard let close = stat.lastIndex(of: ")") else { throw OracleError("no command name in /proc stat: \(stat)") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // utime and stime are fields 14 and 15 of the line; the state (field 3) is the first here.
        guard fields.count > 12, let user = Int64(fields[11]), let system = Int64(fields[12]) else {
            throw OracleError("no utime and stime in /proc stat: \(stat)")
        }
        let ticksPerSecond = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .nanoseconds((user + system) * 1_000_000_000 / ticksPerSecond)
    }

    /// Sends it `signal`.
    public func signal(_ signal: Int32) {
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Kills it (SIGKILL) and waits, at most 30 s, for it to end, without holding a thread of
    /// the concurrency pool.
    public func kill() async {
        await process.kill()
    }

    /// Asks it to stop (SIGTERM) and waits, at most `timeout`, for it to exit; returns its exit
    /// status, or nil if it had to be killed.
    public func terminate(timeout: Duration = .seconds(30)) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        Glibc.kill(process.processIdentifier, SIGTERM)
        guard await process.exit(within: timeout) else {
            await kill()
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : nil
    }
}
