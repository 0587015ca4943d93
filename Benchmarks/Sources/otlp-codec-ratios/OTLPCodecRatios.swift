import BenchmarkReporting
import Foundation
import OTLPBenchmarkSupport
import OTLPCodec
import SwiftProtobuf

/// Measures OTLPCodec beside its peer, swift-protobuf with the types protoc-gen-swift generates
/// from the OTLP protos, on the same batch of 1,000 browser spans in the same process, and
/// prints medians, ratios and whether the performance targets are met:
///
/// - encoding with the builder into a reused buffer at least 5x swift-protobuf's `serializedBytes()`;
/// - decoding at least 3x swift-protobuf's `init(serializedBytes:)`;
/// - after warm-up, encoding with the builder into a reused buffer makes no allocation per span.
///
/// It also prints the value API's encoding ratio, transcoding both ways in MB/s, and
/// `OTLPProtobuf.validate` beside protobuf to OTLP/JSON transcoding of the same bytes.
/// Usage: `otlp-codec-ratios [--check]`; with `--check` it exits with status 1 when a target is
/// missed. Build it with `-c release` (`Benchmarks/run` does).
@main
struct OTLPCodecRatios {
    /// The argument that makes a second copy of the tool count allocations (see `AllocationCounter`).
    static let countAllocationsArgument = "--count-allocations"
    /// The input that the targets are checked on, in the summary.
    static let inputName = "1,000 spans"

    /// Runs the tool; an error ends it with a message and status 1.
    static func main() {
        do {
            try run()
        } catch {
            FileHandle.standardError.write(Data("otlp-codec-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Measures and reports, or counts allocations when started as the counting copy.
    static func run() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let input = try SpanBatchInput()
        if arguments.contains(countAllocationsArgument) {
            try printAllocationCounts(input)
            return
        }
        let unknown = arguments.filter { $0 != "--check" }
        guard unknown.isEmpty else {
            FileHandle.standardError.write(Data("usage: otlp-codec-ratios [--check]\n".utf8))
            exit(2)
        }
        var columns = Report.Columns()
        columns.name = 32
        columns.figure = 38
        columns.target = 68
        columns.input = 12
        var report = Report(
            title: "OTLPCodec beside swift-protobuf 1.39.0 (protoc-gen-swift types of opentelemetry-proto 1.45.2): "
                + "same spans, same process, one thread.",
            ours: "OTLPCodec", peer: "swift-protobuf", columns: columns)
        report.header()
        let allocations = try AllocationCounter.countInChildProcess(argument: countAllocationsArgument)
        try measure(input, into: &report)
        reportAllocations(allocations, of: input, into: &report)
        report.summary()
        if arguments.contains("--check") && report.missed > 0 { exit(1) }
    }

    /// Times encoding, decoding and transcoding of the batch, beside swift-protobuf.
    static func measure(_ input: SpanBatchInput, into report: inout Report) throws {
        let (batch, tracesData, exportRequest, protobuf, json) =
            (input.batch, input.tracesData, input.exportRequest, input.protobuf, input.json)
        var builderBuffer = ContiguousArray<UInt8>()
        var valueBuffer = ContiguousArray<UInt8>()
        var transcodingBuffer = ContiguousArray<UInt8>()
        var jsonBuffer = ContiguousArray<UInt8>()
        let operations: [() throws -> Void] = [
            {
                builderBuffer.removeAll(keepingCapacity: true)
                batch.appendProtobuf(to: &builderBuffer)
            },
            {
                var buffer = ContiguousArray<UInt8>()
                batch.appendProtobuf(to: &buffer)
                blackHole(buffer)
            },
            {
                valueBuffer.removeAll(keepingCapacity: true)
                tracesData.encodeProtobuf(into: &valueBuffer)
            },
            { blackHole(try exportRequest.serializedBytes() as [UInt8]) },
            { blackHole(try protobuf.withUnsafeBytes { try OTLPTracesData(protobuf: $0) }) },
            { blackHole(try PeerExportRequest(serializedBytes: protobuf)) },
            {
                transcodingBuffer.removeAll(keepingCapacity: true)
                try json.withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: .traces, into: &transcodingBuffer) }
            },
            {
                jsonBuffer.removeAll(keepingCapacity: true)
                try protobuf.withUnsafeBytes { try OTLPJSON.transcodeToJSON($0, signal: .traces, into: &jsonBuffer) }
            },
            { try protobuf.withUnsafeBytes { try OTLPProtobuf.validate($0, signal: .traces) } },
        ]
        let timings = try InterleavedTimer().measure(operations)
        let (builder, builderNewBuffer, values, peerEncode, decode, peerDecode, transcoding, toJSON, validation) =
            (timings[0], timings[1], timings[2], timings[3], timings[4], timings[5], timings[6], timings[7], timings[8])

        let spans = Double(input.spanCount)
        let megabytes = Double(protobuf.count) / 1e6
        let peerMegabytes = Double(input.peerProtobuf.count) / 1e6
        let format = report
        let ours = { (timing: Timing) in format.rates([(spans, "spans/s"), (megabytes, "MB/s")], timing) }
        let peer = { (timing: Timing) in format.rates([(spans, "spans/s"), (peerMegabytes, "MB/s")], timing) }
        let peerBytes =
            protobuf == input.peerProtobuf
            ? "byte for byte the same from swift-protobuf"
            : "swift-protobuf's \(Report.grouped(Double(input.peerProtobuf.count))) bytes differ"
        report.section(
            "\(Report.grouped(spans)) browser spans (8 attributes, 1 event, 1 link each): protobuf "
                + "\(Report.grouped(Double(protobuf.count))) bytes, \(peerBytes); OTLP/JSON \(Report.grouped(Double(json.count))) bytes")
        let encodeRatio = peerEncode.median / builder.median
        report.row("encode, builder, reused buffer", ours: ours(builder), peer: peer(peerEncode), ratio: encodeRatio)
        report.row("encode, builder, new buffer", ours: ours(builderNewBuffer), peer: peer(peerEncode),
            ratio: peerEncode.median / builderNewBuffer.median)
        let valuesRatio = peerEncode.median / values.median
        report.row("encode, values, reused buffer", ours: ours(values), peer: peer(peerEncode), ratio: valuesRatio)
        let decodeRatio = peerDecode.median / decode.median
        report.row("decode", ours: ours(decode), peer: peer(peerDecode), ratio: decodeRatio)
        report.row(
            "OTLP/JSON → protobuf", ours: format.rates([(spans, "spans/s"), (Double(json.count) / 1e6, "MB/s")], transcoding))
        report.row("protobuf → OTLP/JSON", ours: ours(toJSON))
        let validationRatio = toJSON.median / validation.median
        report.row("validate, vs protobuf → JSON", ours: ours(validation), peer: "", ratio: validationRatio)
        report.note(
            "swift-protobuf encodes with serializedBytes() into a new [UInt8] and decodes with init(serializedBytes:) "
                + "the bytes OTLPCodec's builder wrote; transcoding's MB/s are of OTLP/JSON read "
                + "(\(String(format: "%.1f", megabytes / transcoding.median)) MB/s of protobuf written), "
                + "into a reused buffer, without a peer: swift-protobuf's JSON is proto3's, not OTLP/JSON")

        report.target("encode ≥ 5x swift-protobuf (builder, reused buffer)", on: inputName, met: encodeRatio >= 5,
            figure: Report.ratio(encodeRatio))
        report.target("decode ≥ 3x swift-protobuf", on: inputName, met: decodeRatio >= 3, figure: Report.ratio(decodeRatio))
        report.note(
            "ratios to swift-protobuf: encode (builder) \(Report.ratio(encodeRatio)), encode (values) \(Report.ratio(valuesRatio)), "
                + "decode \(Report.ratio(decodeRatio)); OTLP/JSON → protobuf "
                + "\(String(format: "%.1f", Double(json.count) / 1e6 / transcoding.median)) MB/s, "
                + "protobuf → OTLP/JSON \(String(format: "%.1f", megabytes / toJSON.median)) MB/s of protobuf read, "
                + "OTLPProtobuf.validate \(Report.ratio(validationRatio)) its speed")
    }
}
