import BenchmarkReporting
import Foundation
import LokiPushCodec
import Snappy
import SnappyReference

/// Measures LokiPush on two workloads of 10,000 Faro log lines (``LokiPushWorkload``: the
/// generated payload's lines, and Alloy's test lines varied line by line) and prints medians and
/// whether the target is met on each: building a `LokiBatch` from the lines and encoding its
/// protobuf body (protobuf and Snappy) into a reused buffer, at least 1,000,000 lines a second on
/// one core. Encoding alone, the JSON body bare and gzipped, and decoding the protobuf body are
/// reported beside it, with no target, and so is Snappy alone on the uncompressed request beside
/// the reference C++ snappy (Debian's libsnappy, `CSnappyReference`): on the whole request and
/// on a 1 MiB slice of it compressed again and again (in cache, but also the same bytes every
/// call, which the branch predictors learn: it is faster than any data seen once). A second copy of the tool, with malloc-interposer
/// preloaded, counts the allocations of encoding into a reused buffer after warm-up (target 0).
///
/// Usage: `loki-push-ratios [--check]`; with `--check` it exits with status 1 when a target is
/// missed. Build with `-c release` (`Benchmarks/run` does).
enum LokiPushRatios {
    /// The argument that makes a second copy of the tool count allocations.
    static let countAllocationsArgument = "--count-allocations"
    /// How many batches the allocation count spans, after warm-up.
    static let countedBatches = 20
    /// The length of the slice of the request that Snappy compresses in cache.
    static let sliceLength = 1 << 20

    /// Runs the tool.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.allSatisfy({ $0 == "--check" || $0 == countAllocationsArgument }) else {
            FileHandle.standardError.write(Data("usage: loki-push-ratios [--check]\n".utf8))
            exit(2)
        }
        do {
            let workloads = [try LokiPushWorkload.generated(), try LokiPushWorkload.alloyLines()]
            if arguments.contains(countAllocationsArgument) {
                try printAllocationCounts(workloads)
                return
            }
            var report = Report(
                title: "LokiPushCodec: Loki push bodies from Faro log lines, one thread.", ours: "LokiPushCodec", peer: "reference snappy")
            report.header()
            for workload in workloads {
                try measure(workload, into: &report)
            }
            let allocations = try AllocationCounter.countInChildProcess(argument: countAllocationsArgument)
            for workload in workloads {
                reportAllocations(allocations, of: workload, into: &report)
            }
            report.summary()
            if arguments.contains("--check") && report.missed > 0 { exit(1) }
        } catch {
            FileHandle.standardError.write(Data("loki-push-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Times every operation, interleaved, and reports them.
    static func measure(_ workload: LokiPushWorkload, into report: inout Report) throws {
        var batch = LokiBatch()
        var streams: [LokiBatch.StreamIndex] = []
        var encoder = LokiPushEncoder()
        var body = ContiguousArray<UInt8>()
        var decoded = LokiBatch()
        var scratch = ContiguousArray<UInt8>()

        // Check the round trip before timing anything.
        try workload.build(into: &batch, streams: &streams)
        guard batch.entryCount == LokiPushWorkload.lineCount else {
            throw InputError("the batch has \(batch.entryCount) entries, not \(LokiPushWorkload.lineCount)")
        }
        encoder.encodeProtobufBody(batch, into: &body)
        let protobufBody = body
        try protobufBody.withUnsafeBytes { raw in
            try LokiPushRequestDecoder.decodeProtobufBody(raw, maximumLength: 64 << 20, scratch: &scratch, into: &decoded)
        }
        guard decoded.streams == batch.streams else { throw InputError("the decoded batch differs from the encoded one") }
        var uncompressed = ContiguousArray<UInt8>()
        encoder.encodePushRequest(batch, into: &uncompressed)
        guard Snappy.compress(uncompressed) == protobufBody else {
            throw InputError("the protobuf body is not Snappy.compress of the PushRequest")
        }
        let request = uncompressed
        let slice = request[(request.count - sliceLength) / 2..<(request.count + sliceLength) / 2]
        var compressor = SnappyCompressor()
        let referenceOutput = UnsafeMutableRawBufferPointer.allocate(
            byteCount: SnappyReference.maximumCompressedLength(request.count), alignment: 16)
        defer { referenceOutput.deallocate() }
        body.removeAll(keepingCapacity: true)
        encoder.encodeJSONBody(batch, gzip: false, into: &body)
        let jsonSize = body.count
        body.removeAll(keepingCapacity: true)
        encoder.encodeJSONBody(batch, gzip: true, into: &body)
        let gzipSize = body.count

        let operations: [() throws -> Void] = [
            {
                try workload.build(into: &batch, streams: &streams)
                body.removeAll(keepingCapacity: true)
                encoder.encodeProtobufBody(batch, into: &body)
                blackHole(body.count)
            },
            {
                try workload.build(into: &batch, streams: &streams)
                blackHole(batch.byteCount)
            },
            {
                body.removeAll(keepingCapacity: true)
                encoder.encodeProtobufBody(batch, into: &body)
                blackHole(body.count)
            },
            {
                body.removeAll(keepingCapacity: true)
                encoder.encodePushRequest(batch, into: &body)
                blackHole(body.count)
            },
            {
                body.removeAll(keepingCapacity: true)
                encoder.encodeJSONBody(batch, gzip: false, into: &body)
                blackHole(body.count)
            },
            {
                body.removeAll(keepingCapacity: true)
                encoder.encodeJSONBody(batch, gzip: true, into: &body)
                blackHole(body.count)
            },
            {
                decoded.removeAll(keepingCapacity: true)
                try protobufBody.withUnsafeBytes { raw in
                    try LokiPushRequestDecoder.decodeProtobufBody(raw, maximumLength: 64 << 20, scratch: &scratch, into: &decoded)
                }
                blackHole(decoded.entryCount)
            },
            {
                body.removeAll(keepingCapacity: true)
                request.withUnsafeBytes { compressor.compress($0, into: &body) }
                blackHole(body.count)
            },
            { request.withUnsafeBytes { blackHole(SnappyReference.compress($0, into: referenceOutput)) } },
            {
                body.removeAll(keepingCapacity: true)
                slice.withUnsafeBytes { compressor.compress($0, into: &body) }
                blackHole(body.count)
            },
            { slice.withUnsafeBytes { blackHole(SnappyReference.compress($0, into: referenceOutput)) } },
        ]
        let timings = try InterleavedTimer().measure(operations)
        let lines = Double(LokiPushWorkload.lineCount)
        let megabytes = Double(workload.lineBytes) / 1e6
        let format = report
        let rate = { (timing: Timing) in format.rates([(lines, "lines/s"), (megabytes, "MB/s")], timing) }

        report.section(
            "\(workload.name): \(Report.grouped(lines)) lines, \(Report.grouped(Double(workload.lineBytes))) bytes of lines "
                + "(\(Report.grouped(Double(workload.lineBytes) / lines)) a line) in \(workload.labelTexts.count) streams",
            ours: "LokiPushCodec", peer: "reference snappy")
        report.row("build + protobuf body", ours: rate(timings[0]))
        report.row("build batch", ours: rate(timings[1]))
        report.row("protobuf body (Snappy)", ours: rate(timings[2]))
        report.row("PushRequest (no Snappy)", ours: rate(timings[3]))
        report.row("JSON body", ours: rate(timings[4]))
        report.row("JSON body, gzip", ours: rate(timings[5]))
        report.row("decode protobuf body", ours: rate(timings[6]))
        let requestMegabytes = Double(request.count) / 1e6
        let snappyRate = { (megabytes: Double, timing: Timing) in format.rate(megabytes, timing, unit: "MB/s") }
        report.row(
            "Snappy, whole PushRequest", ours: snappyRate(requestMegabytes, timings[7]),
            peer: snappyRate(requestMegabytes, timings[8]), ratio: timings[8].median / timings[7].median)
        report.row(
            "Snappy, same 1 MiB again", ours: snappyRate(Double(sliceLength) / 1e6, timings[9]),
            peer: snappyRate(Double(sliceLength) / 1e6, timings[10]), ratio: timings[10].median / timings[9].median)
        let percent = { (size: Int) in String(format: "%.1f%%", 100 * Double(size) / Double(workload.lineBytes)) }
        report.note(
            "sizes: PushRequest \(Report.grouped(Double(uncompressed.count))) B, Snappy body "
                + "\(Report.grouped(Double(protobufBody.count))) B (\(percent(protobufBody.count)) of the lines), JSON "
                + "\(Report.grouped(Double(jsonSize))) B, gzip \(Report.grouped(Double(gzipSize))) B (\(percent(gzipSize)))")
        report.note(
            "MB/s are 10^6 bytes of log lines a second (of the uncompressed request for Snappy alone); batch byteCount "
                + "\(Report.grouped(Double(batch.byteCount)))")
        let linesPerSecond = lines / timings[0].median
        report.target(
            "build + protobuf body ≥ 1,000,000 lines/s", on: workload.name, met: linesPerSecond >= 1_000_000,
            figure: "\(Report.grouped(linesPerSecond)) lines/s")
    }

    /// Counts allocations with the interposer loaded and prints them as JSON (the child's side),
    /// two counts a workload: `encode <name>` and `build <name>`.
    static func printAllocationCounts(_ workloads: [LokiPushWorkload]) throws {
        guard let counter = AllocationCounter() else {
            throw InputError("malloc-interposer is not loaded: run through loki-push-ratios, not with \(countAllocationsArgument)")
        }
        var counts: [String: Int] = [:]
        for workload in workloads {
            var batch = LokiBatch()
            var streams: [LokiBatch.StreamIndex] = []
            var encoder = LokiPushEncoder()
            var body = ContiguousArray<UInt8>()
            let encode = {
                body.removeAll(keepingCapacity: true)
                encoder.encodeProtobufBody(batch, into: &body)
            }
            for _ in 0..<3 {
                try workload.build(into: &batch, streams: &streams)
                encode()
            }
            counts["encode \(workload.name)"] = counter.count {
                for _ in 0..<countedBatches { encode() }
            }
            counts["build \(workload.name)"] = try counter.count {
                for _ in 0..<countedBatches { try workload.build(into: &batch, streams: &streams) }
            }
        }
        try AllocationCounter.printCounts(counts)
    }

    /// Reports the counts of the counting copy for `workload` and checks the target of no
    /// allocation when encoding into a reused buffer.
    static func reportAllocations(_ allocations: [String: Int]?, of workload: LokiPushWorkload, into report: inout Report) {
        let target = "0 allocations encoding into a reused buffer"
        guard let allocations, let encode = allocations["encode \(workload.name)"],
            let build = allocations["build \(workload.name)"]
        else {
            report.note("allocations: not counted (libMallocInterposerSwift not found beside the tool; build the whole package)")
            report.target(target, on: workload.name, met: false, figure: "not counted")
            return
        }
        let perBatch = { (count: Int) in String(format: "%g", Double(count) / Double(countedBatches)) }
        report.note(
            "\(workload.name): allocations after warm-up, per batch of \(Report.grouped(Double(LokiPushWorkload.lineCount))) "
                + "lines: protobuf body \(perBatch(encode)), building the batch \(perBatch(build)) (parsing the label sets)")
        report.target(target, on: workload.name, met: encode == 0, figure: "\(perBatch(encode)) per batch")
    }
}

LokiPushRatios.main()
