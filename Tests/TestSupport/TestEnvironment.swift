public import Foundation

/// Paths and subprocess helpers shared by the test targets: the repository root, `../shared`,
/// and the Python oracles' virtual environment that `scripts/test` sets up.
public enum TestEnvironment {
    /// The repository root, derived from this file's location.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `../shared` beside the repository: vectors and oracles, never copied into the repository.
    public static let shared: URL = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// The Alloy conformance vectors.
    public static let alloyVectors: URL = shared.appendingPathComponent("vectors/alloy")

    /// The interpreter of the oracles' virtual environment (`scripts/test` creates it).
    public static let python: URL = repositoryRoot.appendingPathComponent(".venv-oracles/bin/python")

    /// Reads a file of `../shared` or fails with a message that says what is missing.
    public static func sharedFile(_ relativePath: String) throws -> Data {
        let url = shared.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw OracleError("missing \(url.path): the tests read ../shared beside the repository")
        }
        return data
    }

    /// Runs a Python program in the oracles' venv with `input` on stdin and returns its stdout.
    /// Fails when the venv is missing (run `scripts/test` once) or the program exits nonzero.
    /// The process is run and waited for on a thread of its own, not on one of the concurrency
    /// pool's (two on this machine): an oracle that takes seconds must not hold up the tests
    /// running beside it (a command timeout of another test fired tens of seconds late).
    public static func runPython(arguments: [String], input: Data) async throws -> Data {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            Thread { continuation.resume(with: Result { try runPythonBlocking(arguments: arguments, input: input) }) }.start()
        }
    }

    /// `runPython`'s work, blocking its thread until the process ends.
    private static func runPythonBlocking(arguments: [String], input: Data) throws -> Data {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw OracleError("no Python venv at \(python.path): run scripts/test once to create it")
        }
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so that large inputs and outputs cannot deadlock on pipe buffers,
        // standard error too: an oracle that warns about many inputs would block on a full pipe.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errorsRead = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errors = Data()
        Thread {
            errors = stderr.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        errorsRead.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleError(
                "python \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                    + String(decoding: errors, as: UTF8.self))
        }
        return output
    }

    /// The folder of the built products (`.build/debug`): the test bundle's folder.
    public static let productsDirectory: URL = {
        var url = Bundle.main.bundleURL
        while url.pathExtension == "xctest" || url.lastPathComponent == "Contents" || url.lastPathComponent == "MacOS" {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// Runs a program to its end and returns its standard output; fails when it exits nonzero.
    /// Its standard input is empty. It waits without holding a thread of the concurrency pool (two on this machine), so that
    /// tests running beside it keep theirs. Its output must fit a pipe's buffer (64 KiB).
    public static func run(_ program: URL, arguments: [String]) async throws -> Data {
        let result = try await runToEnd(program, arguments: arguments)
        guard result.status == 0 else {
            throw OracleError(
                "\(program.lastPathComponent) failed (status \(result.status)): " + String(decoding: result.errors, as: UTF8.self))
        }
        return result.output
    }

    /// Runs a program to its end in `directory` (the current one if nil), with empty standard
    /// input, and returns its exit status (-1 if it could not start or was killed by a signal) and
    /// what it wrote to standard output and error; like `run`, it holds no thread of the pool
    /// meanwhile, and each output must fit a pipe's buffer (64 KiB).
    public static func runToEnd(_ program: URL, arguments: [String], directory: URL? = nil) async throws
        -> (status: Int32, output: Data, errors: Data)
    {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume()
            }
        }
        let started = process.processIdentifier != 0
        let status = started && process.terminationReason == .exit ? process.terminationStatus : -1
        let output = started ? try stdout.fileHandleForReading.readToEnd() ?? Data() : Data()
        let errors = started ? try stderr.fileHandleForReading.readToEnd() ?? Data() : Data()
        return (status, output, errors)
    }

    /// `cases` as one input for a Python process: each a 4-byte little-endian length, then its
    /// bytes (read back with `struct.unpack_from('<I', data, i)`).
    public static func lengthPrefixed(_ cases: [[UInt8]]) -> Data {
        var input = Data()
        for bytes in cases {
            withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { input.append(contentsOf: $0) }
            input.append(contentsOf: bytes)
        }
        return input
    }

    /// Runs a Python snippet (`python -c`) with `input` on stdin.
    public static func runPython(code: String, input: Data) async throws -> Data {
        try await runPython(arguments: ["-c", code], input: input)
    }

    /// Python that defines `WriteRequest`, Prometheus remote write's `prompb` message, built at run
    /// time from a FileDescriptorProto with upstream's field numbers (`types.proto`,
    /// `remote.proto`), for the official protobuf runtime; scripts append their code to it.
    public static let prometheusRemoteWriteSchema = """
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
        F = descriptor_pb2.FieldDescriptorProto
        def field(name, number, kind, repeated=False, type_name=None):
            return F(name=name, number=number, type=kind, type_name=type_name,
                     label=F.LABEL_REPEATED if repeated else F.LABEL_OPTIONAL)
        proto = descriptor_pb2.FileDescriptorProto(name="prompb/remote.proto", package="prometheus", syntax="proto3",
            message_type=[
                descriptor_pb2.DescriptorProto(name="WriteRequest", field=[
                    field("timeseries", 1, F.TYPE_MESSAGE, True, ".prometheus.TimeSeries")]),
                descriptor_pb2.DescriptorProto(name="TimeSeries", field=[
                    field("labels", 1, F.TYPE_MESSAGE, True, ".prometheus.Label"),
                    field("samples", 2, F.TYPE_MESSAGE, True, ".prometheus.Sample")]),
                descriptor_pb2.DescriptorProto(name="Label", field=[
                    field("name", 1, F.TYPE_STRING), field("value", 2, F.TYPE_STRING)]),
                descriptor_pb2.DescriptorProto(name="Sample", field=[
                    field("value", 1, F.TYPE_DOUBLE), field("timestamp", 2, F.TYPE_INT64)]),
            ])
        pool = descriptor_pool.DescriptorPool()
        pool.Add(proto)
        WriteRequest = message_factory.GetMessageClass(pool.FindMessageTypeByName("prometheus.WriteRequest"))

        """
}

/// A failure of the test environment, reported with what to do about it.
public struct OracleError: Error, CustomStringConvertible {
    /// What failed and what to do.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
