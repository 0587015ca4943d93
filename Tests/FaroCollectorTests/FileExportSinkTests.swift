import FaroCollector
import Foundation
import Logging
import LokiPushCodec
import OTLPCodec
import Testing

@Suite struct FileExportSinkTests {
    /// A batch of one stream whose single line is `line`.
    private static func batch(line: String) throws -> LokiBatch {
        let labels = try LokiLabels(["app": "shop"])
        let entry = LokiEntry(timestamp: LokiTimestamp(unixNanoseconds: 1_700_000_000_000_000_000), line: line)
        return try LokiBatch(streams: [LokiStream(labels: labels, entries: [entry])])
    }

    private static func directory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("file-export-\(UUID().uuidString)").path
    }

    @Test("a record that would pass the pending bound is refused whole, and taken again once the waiting bytes are written")
    func pendingBound() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sink = try FileExportSink(directory: directory, maximumPendingBytes: 300, logger: Logger(label: "test"))
        try sink.accept(Self.batch(line: "first"), tenant: nil)
        #expect(throws: CollectorExportError.full) { try sink.accept(Self.batch(line: String(repeating: "x", count: 200)), tenant: nil) }
        sink.flush()
        try sink.accept(Self.batch(line: "third"), tenant: nil)
        sink.flush()
        let written = try String(contentsOfFile: directory + "/" + FileExportSink.logFileName(tenant: nil), encoding: .utf8)
        let records = written.split(separator: "\n")
        #expect(records.count == 2)
        #expect(records[0].contains("\"first\""))
        #expect(records[1].contains("\"third\""))
        #expect(!written.contains("xxx"))
    }

    @Test("a request that is not OTLP protobuf is refused and leaves nothing in the file")
    func invalidOTLP() throws {
        let directory = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sink = try FileExportSink(directory: directory, logger: Logger(label: "test"))
        // Field 1 (resource_spans), length-delimited, claiming 5 bytes of which 1 follows.
        let truncated: ContiguousArray<UInt8> = [0x0A, 0x05, 0x0A]
        #expect(throws: CollectorExportError.self) { try sink.accept(truncated, signal: .traces, tenant: "acme") }
        try sink.accept([], signal: .traces, tenant: "acme")
        sink.flush()
        let written = try String(
            contentsOfFile: directory + "/" + FileExportSink.otlpFileName(signal: .traces, tenant: "acme"), encoding: .utf8)
        #expect(written == "{}\n")
    }
}
