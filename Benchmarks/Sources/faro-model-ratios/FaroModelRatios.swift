import BenchmarkReporting
import FaroBenchmarkSupport
import FaroModel
import Foundation

/// Measures FaroModel beside its peer, Foundation's `JSONDecoder` decoding Codable mirror
/// types, on the same inputs in the same process, and prints medians, ratios and whether
/// the performance targets are met:
///
/// - decode at least 10x `JSONDecoder` and at least 400 MB/s;
/// - line encoding at least 2,000,000 lines/s;
/// - after warm-up, encoding lines into a reused buffer makes no allocations.
///
/// Usage: `faro-model-ratios [--check]`; with `--check` it exits with status 1 when a target
/// is missed. Build it with `-c release` (`Benchmarks/run` does).
@main
struct FaroModelRatios {
    /// The argument that makes a second copy of the tool count allocations (see ``AllocationCounter``).
    static let countAllocationsArgument = "--count-allocations"

    /// Runs the tool; an error ends it with a message and status 1.
    static func main() {
        do {
            try run()
        } catch {
            FileHandle.standardError.write(Data("faro-model-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// Measures and reports, or counts allocations when started as the counting copy.
    static func run() throws {
        let arguments = CommandLine.arguments.dropFirst()
        let inputs = try BenchmarkInput.all()
        if arguments.contains(countAllocationsArgument) {
            try printAllocationCounts(inputs)
            return
        }
        let unknown = arguments.filter { $0 != "--check" }
        guard unknown.isEmpty else {
            FileHandle.standardError.write(Data("usage: faro-model-ratios [--check]\n".utf8))
            exit(2)
        }
        var report = Report(
            title: "FaroModel beside Foundation's JSONDecoder (Codable mirror types): same inputs, same process, one thread.",
            ours: "FaroModel", peer: "JSONDecoder")
        report.header()
        let allocations = try AllocationCounter.countInChildProcess(argument: countAllocationsArgument)
        for input in inputs {
            try measure(input, allocations: allocations, into: &report)
        }
        report.summary()
        if arguments.contains("--check") && report.missed > 0 { exit(1) }
    }

    /// Times decoding, decoding and encoding, and encoding alone on `input`, beside JSONDecoder.
    static func measure(_ input: BenchmarkInput, allocations: [String: Int]?, into report: inout Report) throws {
        let decoder = FaroPayloadDecoder()
        let peer = CodablePeer()
        let formats = FaroLogFormat.allCases
        var decodeAndEncode = formats.map { LineEncodingWorkload(format: $0) }
        var encode = formats.map { LineEncodingWorkload(format: $0) }
        var memory = FaroDecoderMemory()
        let decodeOperations: [() throws -> Void] = [
            { blackHole(try decoder.decode(input.bytes)) },
            { blackHole(try peer.decode(input.data)) },
            { blackHole(try decoder.decode(input.bytes, memory: &memory)) },
        ]
        let decodeAndEncodeOperations: [() throws -> Void] = formats.indices.map { index in
            { blackHole(decodeAndEncode[index].encode(try decoder.decode(input.bytes))) }
        }
        let encodeOperations: [() throws -> Void] = formats.indices.map { index in
            { blackHole(encode[index].encode(input.payload)) }
        }
        let timings = try InterleavedTimer().measure(decodeOperations + decodeAndEncodeOperations + encodeOperations)
        let (ours, theirs, remembering) = (timings[0], timings[1], timings[2])
        let decodeAndEncodeTimings = Array(timings[3..<3 + formats.count])
        let encodeTimings = Array(timings[(3 + formats.count)...])

        report.input(input)
        let decodeRatio = theirs.median / ours.median
        report.row(
            "decode", ours: report.rate(Double(input.size) / 1e6, ours, unit: "MB/s"),
            peer: report.rate(Double(input.size) / 1e6, theirs, unit: "MB/s"), ratio: decodeRatio)
        // The same payload again and again: its strings all come from the memory, the best case
        // (a service sees some values repeat: script URLs, user agents, app names).
        report.row(
            "decode, memory kept", ours: report.rate(Double(input.size) / 1e6, remembering, unit: "MB/s"),
            peer: report.rate(Double(input.size) / 1e6, theirs, unit: "MB/s"), ratio: theirs.median / remembering.median)
        for (format, timing) in zip(formats, decodeAndEncodeTimings) {
            report.row(
                "decode+encode (\(format))", ours: report.rate(Double(input.itemCount), timing, unit: "items/s"),
                peer: report.rate(Double(input.itemCount), theirs, unit: "items/s"),
                ratio: theirs.median / timing.median)
        }
        var output: [String] = []
        for (index, (format, timing)) in zip(formats, encodeTimings).enumerated() {
            let lines = encode[index].lines.count
            report.row("encode lines (\(format))", ours: report.rate(Double(lines), timing, unit: "lines/s"))
            let linesPerSecond = Double(lines) / timing.median
            report.target(
                "encode ≥ 2,000,000 lines/s (\(format))", on: input,
                met: linesPerSecond >= 2_000_000, figure: "\(Report.grouped(linesPerSecond)) lines/s")
            let bytes = Double(encode[index].buffer.count)
            output.append(
                "\(format) \(Report.grouped(bytes / Double(lines))) bytes/line, \(String(format: "%.1f", bytes / 1e6 / timing.median)) MB/s")
        }
        report.note("encoder output (lines and labels): \(output.joined(separator: "; "))")
        report.target("decode ≥ 10x JSONDecoder", on: input, met: decodeRatio >= 10, figure: Report.ratio(decodeRatio))
        let megabytesPerSecond = Double(input.size) / 1e6 / ours.median
        report.target(
            "decode ≥ 400 MB/s", on: input, met: megabytesPerSecond >= 400,
            figure: String(format: "%.1f MB/s", megabytesPerSecond))

        guard let allocations else {
            report.note("allocations: not counted (libMallocInterposerSwift not found beside the tool; build the whole package)")
            for format in formats {
                report.target("0 allocations per encode after warm-up (\(format))", on: input, met: false, figure: "not counted")
            }
            return
        }
        var perEncode: [String] = []
        for format in formats {
            let count = allocations[allocationKey(input, "encode \(format)")] ?? -1
            let figure = String(format: "%g", Double(count) / Double(allocationCountedEncodes))
            perEncode.append("\(format) \(figure)")
            report.target("0 allocations per encode after warm-up (\(format))", on: input, met: count == 0, figure: figure)
        }
        report.note(
            "allocations per encode after warm-up: \(perEncode.joined(separator: ", ")) "
                + "(mallocs over \(allocationCountedEncodes) encodes / \(allocationCountedEncodes))")
        report.note(
            "allocations per decode: FaroModel \(Report.grouped(Double(allocations[allocationKey(input, "decode")] ?? -1))), "
                + "JSONDecoder \(Report.grouped(Double(allocations[allocationKey(input, "JSONDecoder")] ?? -1)))")
    }

    /// How many encodes the allocation count spans, after warm-up.
    static let allocationCountedEncodes = 100

    /// The name of one allocation count.
    static func allocationKey(_ input: BenchmarkInput, _ what: String) -> String { "\(input.name): \(what)" }

    /// Counts allocations with the interposer loaded and prints them as JSON (the child's side).
    static func printAllocationCounts(_ inputs: [BenchmarkInput]) throws {
        guard let counter = AllocationCounter() else {
            throw InputError("malloc-interposer is not loaded: run through faro-model-ratios, not with \(countAllocationsArgument)")
        }
        let decoder = FaroPayloadDecoder()
        let peer = CodablePeer()
        var counts: [String: Int] = [:]
        for input in inputs {
            for format in FaroLogFormat.allCases {
                var workload = LineEncodingWorkload(format: format)
                for _ in 0..<3 { workload.encode(input.payload) }
                counts[allocationKey(input, "encode \(format)")] = counter.count {
                    for _ in 0..<allocationCountedEncodes { workload.encode(input.payload) }
                }
            }
            blackHole(try decoder.decode(input.bytes))
            counts[allocationKey(input, "decode")] = try counter.count { blackHole(try decoder.decode(input.bytes)) }
            blackHole(try peer.decode(input.data))
            counts[allocationKey(input, "JSONDecoder")] = try counter.count { blackHole(try peer.decode(input.data)) }
        }
        try AllocationCounter.printCounts(counts)
    }
}
