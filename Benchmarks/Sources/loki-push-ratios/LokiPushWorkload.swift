import AlloyLineSupport
import BenchmarkReporting
import FaroBenchmarkSupport
import FaroModel
import Foundation
import LokiPushCodec

/// 10,000 Faro log lines as the collector hands them to LokiPush, with their timestamps and
/// stream labels `{app="shop", kind="<item kind>"}`, from one of two sources:
///
/// - `generated()`: the generated payload's items encoded by `FaroLogLineEncoder` in logfmt (as
///   Alloy writes them), the payload repeated until there are 10,000 lines, each repetition a
///   minute later;
/// - `alloyLines()`: the items of Alloy's own test payloads encoded the same way, drawn in a
///   pseudo-random order and varied by `AlloyLineVariation` (timestamps, trace, span and session
///   ids), as snappy-ratios' Loki lines are.
struct LokiPushWorkload {
    /// How many lines a workload has.
    static let lineCount = 10_000

    /// The workload's name in the report.
    let name: String
    /// The lines' and label sets' bytes.
    private(set) var buffer = ContiguousArray<UInt8>()
    /// Where each line lies in `buffer`.
    private(set) var lines: [Range<Int>] = []
    /// Each line's timestamp.
    private(set) var timestamps: [LokiTimestamp] = []
    /// Each line's label set, as an index into `labelTexts`.
    private(set) var labelIDs: [Int] = []
    /// Where each distinct label set's text lies in `buffer`.
    private(set) var labelTexts: [Range<Int>] = []
    /// The index of each distinct label set's text in `labelTexts`.
    private var idsByText: [ContiguousArray<UInt8>: Int] = [:]

    /// An empty workload named `name`.
    private init(name: String) {
        self.name = name
    }

    /// The total bytes of the lines.
    var lineBytes: Int { lines.reduce(0) { $0 + $1.count } }

    /// The lines of the generated payload.
    static func generated() throws -> LokiPushWorkload {
        let input = try BenchmarkInput.generated()
        var workload = LokiPushWorkload(name: "generated payload")
        var encoder = FaroLogLineEncoder(format: .logfmt, extraLogLabels: ["app": "shop", "kind": ""])
        var records: [FaroLogLine] = []
        var repetition: Int64 = 0
        while workload.lines.count < lineCount {
            records.removeAll(keepingCapacity: true)
            encoder.encode(input.payload, into: &workload.buffer, lines: &records)
            guard !records.isEmpty else { throw InputError("the generated payload gave no lines") }
            for record in records.prefix(lineCount - workload.lines.count) {
                workload.add(
                    line: record.line,
                    timestamp: LokiTimestamp(
                        seconds: record.timestamp.secondsSince1970 + 60 * repetition, nanoseconds: record.timestamp.nanoseconds),
                    labels: record.labels)
            }
            repetition += 1
        }
        return workload
    }

    /// The lines of Alloy's test payloads (`payload.json`, `payload_2.json`, `payload_modern.json`),
    /// varied line by line.
    static func alloyLines() throws -> LokiPushWorkload {
        var encoder = FaroLogLineEncoder(format: .logfmt, extraLogLabels: ["app": "shop", "kind": ""])
        var bytes = ContiguousArray<UInt8>()
        var records: [FaroLogLine] = []
        for file in ["payload.json", "payload_2.json", "payload_modern.json"] {
            let url = AlloyLineVariation.vectorsDirectory.appending(path: "alloy/\(file)")
            let payload = try FaroPayloadDecoder().decode(ContiguousArray(try Data(contentsOf: url)))
            encoder.encode(payload, into: &bytes, lines: &records)
        }
        guard !records.isEmpty else { throw InputError("Alloy's test payloads gave no lines") }
        let sources = records.map { (String(decoding: bytes[$0.line], as: UTF8.self), $0.labels) }

        var workload = LokiPushWorkload(name: "Alloy's lines, varied")
        let labelsStart = workload.buffer.count
        workload.buffer.append(contentsOf: bytes)
        var variation = AlloyLineVariation(seed: 0x4C6F_6B69)
        while workload.lines.count < lineCount {
            let (line, labels) = sources[variation.index(below: sources.count)]
            let varied = variation.vary(line)
            let start = workload.buffer.count
            workload.buffer.append(contentsOf: varied.utf8)
            let milliseconds = Int64(variation.milliseconds)
            workload.add(
                line: start..<workload.buffer.count,
                timestamp: LokiTimestamp(seconds: milliseconds / 1000, nanoseconds: Int32(milliseconds % 1000) * 1_000_000),
                labels: labels.lowerBound + labelsStart..<labels.upperBound + labelsStart)
        }
        return workload
    }

    /// Adds the line at `line` in `buffer` with its timestamp and the label set at `labels`.
    private mutating func add(line: Range<Int>, timestamp: LokiTimestamp, labels: Range<Int>) {
        lines.append(line)
        timestamps.append(timestamp)
        let text = ContiguousArray(buffer[labels])
        if let id = idsByText[text] {
            labelIDs.append(id)
        } else {
            idsByText[text] = labelTexts.count
            labelIDs.append(labelTexts.count)
            labelTexts.append(labels)
        }
    }

    /// Empties `batch` (keeping its memory) and fills it with the workload's lines: each
    /// distinct label set parsed once, then every line appended to its stream.
    func build(into batch: inout LokiBatch, streams: inout [LokiBatch.StreamIndex]) throws {
        batch.removeAll(keepingCapacity: true)
        streams.removeAll(keepingCapacity: true)
        try buffer.withUnsafeBytes { bytes in
            for text in labelTexts {
                streams.append(batch.stream(try LokiLabels(parsing: UnsafeRawBufferPointer(rebasing: bytes[text]))))
            }
            for index in lines.indices {
                try batch.append(
                    timestamp: timestamps[index], line: UnsafeRawBufferPointer(rebasing: bytes[lines[index]]),
                    to: streams[labelIDs[index]])
            }
        }
    }
}
