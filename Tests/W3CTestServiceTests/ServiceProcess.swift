import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The built `w3c-test-service`, started on a loopback port the system picks and killed with
/// `kill()`. Its standard error (the request log) is kept for failure messages.
final class ServiceProcess: Sendable {
    /// The port it listens on, on 127.0.0.1.
    let port: Int
    private let process: Process
    private let log: Log

    /// Text that the pipe's reader appends to while the tests read it.
    private final class Log: Sendable {
        private let text = Mutex("")
        func append(_ data: Data) { text.withLock { $0 += String(decoding: data, as: UTF8.self) } }
        var value: String { text.withLock { $0 } }
    }

    /// Starts the binary with `--port 0` and waits, at most 30 s, for the log line that gives its port.
    ///
    /// The log is read once more after the deadline: tests that block the concurrency pool's
    /// threads (the oracle tests wait for Python synchronously) can keep this wait from running
    /// until after the line has come.
    init() async throws {
        let process = Process()
        process.executableURL = TestEnvironment.productsDirectory.appendingPathComponent("w3c-test-service")
        process.arguments = ["--host", "127.0.0.1", "--port", "0"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        let log = Log()
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                log.append(data)
            }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(30)
        func loggedPort() -> Int? {
            log.value.firstMatch(of: #/listening on http://127\.0\.0\.1:(\d+)/test/#).flatMap { Int($0.output.1) }
        }
        var port = loggedPort()
        while port == nil, process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
            port = loggedPort()
        }
        guard let port = port ?? loggedPort() else {
            Self.kill(process)
            throw OracleError("w3c-test-service did not start within 30 s: \(log.value)")
        }
        self.process = process
        self.log = log
        self.port = port
    }

    deinit {
        kill()
    }

    /// Whether the process still runs (it has not crashed).
    var isRunning: Bool { process.isRunning }

    /// What it has logged so far.
    var logged: String { log.value }

    /// Kills it (SIGKILL) and waits for it to end.
    func kill() {
        Self.kill(process)
    }

    private static func kill(_ process: Process) {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
