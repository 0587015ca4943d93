import Foundation
import LokiPushCodec
import Synchronization
import TestSupport
import Testing

/// The spool's promise, with a real crash: `rumctl loki-push` with a spool is killed with
/// SIGKILL after it acknowledged every line, while Loki fails two requests of three and every one
/// that holds the last line; a second run with the same spool must get every acknowledged line to Loki.
@Suite(.timeLimit(.minutes(2)))
struct LokiPushCrashTests {
    private let rumctl = TestEnvironment.productsDirectory.appendingPathComponent("rumctl")

    @Test("kill -9 loses no acknowledged entry")
    func killLosesNothingAcknowledged() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loki-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let lines = (0..<300).map { "crash line \($0)" }
        // Two requests of three fail, and so does every request that holds the last line: some
        // batches may be delivered before the crash, and however slow the machine, not all.
        let lastLine = lines[lines.count - 1]
        let acceptedBeforeCrash: @Sendable (Int, ReceivedPush) -> Bool = { index, push in
            index % 3 == 2 && !((try? Self.lines(of: push)) ?? [lastLine]).contains(lastLine)
        }
        let loki = try await FakeLoki { index, push in
            acceptedBeforeCrash(index, push) ? .accepted : FakeLokiAnswer(status: .internalServerError)
        }
        let arguments = [
            "loki-push", "--url", loki.url, "--labels", #"{job="crash"}"#, "--tenant", "crash-team",
            "--spool", directory.path, "--batch-wait", "20", "--minimum-backoff", "30", "--drain-timeout", "20",
        ]

        let process = Process()
        process.executableURL = rumctl
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let printed = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            printed.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        for chunk in stride(from: 0, to: lines.count, by: 25) {
            let text = lines[chunk..<min(chunk + 25, lines.count)].map { $0 + "\n" }.joined()
            try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
            try await Task.sleep(for: .milliseconds(15))
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while !printed.withLock({ $0.contains("accepted \(lines.count)\n") }), .now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        await process.kill()
        output.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(printed.withLock { $0.contains("accepted \(lines.count)\n") })
        let requestsBeforeCrash = loki.received.count
        let spooled = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
        #expect(!spooled.isEmpty, "nothing was left in the spool at the crash: the test proves nothing")

        // The second run has no input: it replays the spool, drains and exits.
        loki.answer { _, _ in .accepted }
        _ = try await TestEnvironment.run(rumctl, arguments: arguments)

        var delivered = Set<String>()
        for (index, push) in loki.received.enumerated()
        where index >= requestsBeforeCrash || acceptedBeforeCrash(index, push) {
            #expect(push.tenant == "crash-team")
            delivered.formUnion(try Self.lines(of: push))
        }
        let missing = lines.filter { !delivered.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) acknowledged lines were lost, the first: \(missing.prefix(3))")
        let segments = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".seg") }
        #expect(segments.isEmpty)
    }

    /// The log lines of a push request's protobuf body.
    private static func lines(of push: ReceivedPush) throws -> [String] {
        var batch = LokiBatch()
        try push.body.withUnsafeBytes { bytes in
            try LokiPushRequestDecoder.decodeProtobufBody(bytes, maximumLength: 64 << 20, into: &batch)
        }
        return batch.streams.flatMap { $0.entries.map(\.line) }
    }
}
