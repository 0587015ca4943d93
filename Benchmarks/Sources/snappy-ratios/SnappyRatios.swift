import BenchmarkReporting
import Foundation
import Snappy
import SnappyReference

/// Measures Snappy beside the reference C++ library (Google's snappy, Debian's `libsnappy-dev`,
/// through its C API) in one process, and prints medians, ratios and whether the targets are met,
/// on each input (``SnappyInput``):
///
/// - compression at least 0.6x the reference's speed;
/// - decompression at least 0.8x the reference's speed;
/// - compressed size within 3 % of the reference's (ours at most 1.03x its size).
///
/// MB/s are 10^6 bytes of uncompressed input a second, both ways. Ours compresses with one
/// `SnappyCompressor` into a reused buffer and decompresses into a reused buffer; the reference
/// compresses and decompresses into buffers allocated once. Before anything is timed, each side
/// must decompress the other's output to the input.
///
/// Usage: `snappy-ratios [--check]`; with `--check` it exits with status 1 when a target is missed.
/// Build with `-c release` (`Benchmarks/run` does).
@main
struct SnappyRatios {
    /// Runs the tool.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.allSatisfy({ $0 == "--check" }) else {
            FileHandle.standardError.write(Data("usage: snappy-ratios [--check]\n".utf8))
            exit(2)
        }
        do {
            var report = Report(
                title: "Snappy beside the reference C++ snappy \(referenceVersion) (libsnappy-dev, C API): same process.",
                ours: "Snappy", peer: "reference snappy")
            report.header()
            for input in try SnappyInput.all() {
                try measure(input, into: &report)
            }
            report.summary()
            if arguments.contains("--check") && report.missed > 0 { exit(1) }
        } catch {
            FileHandle.standardError.write(Data("snappy-ratios: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The Debian package's version of the reference, as `dpkg-query` reports it, or "".
    static var referenceVersion: String {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/dpkg-query")
        process.arguments = ["-W", "-f=${Version}", "libsnappy-dev"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: data, as: UTF8.self) : ""
    }

    // MARK: - Measurement

    static func measure(_ input: SnappyInput, into report: inout Report) throws {
        let bytes = input.bytes
        let count = bytes.count
        let capacity = SnappyReference.maximumCompressedLength(count)
        guard capacity <= Snappy.maximumCompressedLength(count) else {
            throw InputError("the reference's bound \(capacity) is over ours, \(Snappy.maximumCompressedLength(count))")
        }

        // Ours: one compressor, buffers reused.
        var compressor = SnappyCompressor()
        var compressed = ContiguousArray<UInt8>()
        compressed.reserveCapacity(Snappy.maximumCompressedLength(count))
        var decompressed = ContiguousArray<UInt8>()
        decompressed.reserveCapacity(count + 16)
        // The reference: buffers allocated once.
        let referenceCompressed = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        let referenceDecompressed = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer {
            referenceCompressed.deallocate()
            referenceDecompressed.deallocate()
        }

        try bytes.withUnsafeBytes { (raw) throws in
            compressor.compress(raw, into: &compressed)
            let referenceLength = SnappyReference.compress(raw, into: referenceCompressed)
            let theirs = UnsafeRawBufferPointer(rebasing: referenceCompressed[..<referenceLength])

            // Each side decompresses the other's output (and its own) to the input.
            try compressed.withUnsafeBytes { ours in
                guard SnappyReference.uncompressedLength(ours) == count,
                    let length = SnappyReference.decompress(ours, into: referenceDecompressed), length == count,
                    memcmp(referenceDecompressed.baseAddress!, raw.baseAddress!, count) == 0
                else { throw InputError("\(input.name): the reference does not decompress our output to the input") }
            }
            try Snappy.decompress(theirs, into: &decompressed, maximumLength: count)
            guard decompressed.elementsEqual(raw) else {
                throw InputError("\(input.name): we do not decompress the reference's output to the input")
            }
            decompressed.removeAll(keepingCapacity: true)
            try Snappy.decompress(compressed, into: &decompressed, maximumLength: count)
            guard decompressed.elementsEqual(raw) else {
                throw InputError("\(input.name): we do not decompress our own output to the input")
            }

            let ourSize = compressed.count
            let identical = compressed.withUnsafeBytes { $0.elementsEqual(theirs) }
            let operations: [() throws -> Void] = [
                {
                    compressed.removeAll(keepingCapacity: true)
                    compressor.compress(raw, into: &compressed)
                    blackHole(compressed.count)
                },
                { blackHole(SnappyReference.compress(raw, into: referenceCompressed)) },
                {
                    decompressed.removeAll(keepingCapacity: true)
                    try compressed.withUnsafeBytes { block in
                        try Snappy.decompress(block, into: &decompressed, maximumLength: count)
                    }
                    blackHole(decompressed.count)
                },
                {
                    let block = UnsafeRawBufferPointer(start: referenceCompressed.baseAddress!, count: referenceLength)
                    blackHole(SnappyReference.decompress(block, into: referenceDecompressed))
                },
            ]
            let timings = try InterleavedTimer().measure(operations)
            let megabytes = Double(count) / 1e6
            let format = report
            let rate = { (timing: Timing) in format.rate(megabytes, timing, unit: "MB/s") }
            let compression = timings[1].median / timings[0].median
            let decompression = timings[3].median / timings[2].median
            let sizes = Double(ourSize) / Double(referenceLength)

            report.section("\(input.name): \(Report.grouped(Double(count))) bytes")
            report.row("compress", ours: rate(timings[0]), peer: rate(timings[1]), ratio: compression)
            report.row("decompress", ours: rate(timings[2]), peer: rate(timings[3]), ratio: decompression)
            report.row(
                "compressed size", ours: "\(Report.grouped(Double(ourSize))) B", peer: "\(Report.grouped(Double(referenceLength))) B")
            report.note(
                String(
                    format: "sizes: ours %.4fx the reference's; %.1f%% and %.1f%% of the input; %@", sizes,
                    100 * Double(ourSize) / Double(count), 100 * Double(referenceLength) / Double(count),
                    identical ? "the same bytes" : "different bytes"))
            report.note(input.description)

            report.target("compress ≥ 0.6x the reference", on: input.name, met: compression >= 0.6, figure: ratioFigure(compression))
            report.target(
                "decompress ≥ 0.8x the reference", on: input.name, met: decompression >= 0.8, figure: ratioFigure(decompression))
            report.target(
                "compressed size ≤ 1.03x the reference's", on: input.name, met: sizes <= 1.03,
                figure: String(format: "%.4fx", sizes))
        }
    }

    /// A speed ratio with two decimals, as the targets are stated (0.6x, 0.8x).
    static func ratioFigure(_ value: Double) -> String { String(format: "%.2fx", value) }
}
