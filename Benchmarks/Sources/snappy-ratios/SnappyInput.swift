import AlloyLineSupport
import BenchmarkReporting
import Foundation

/// One input of `snappy-ratios`: 1 MiB of bytes, the same on every run.
struct SnappyInput {
    /// The input's name in the report.
    let name: String
    /// What the bytes are, printed under the input's figures.
    let description: String
    /// The uncompressed bytes.
    let bytes: ContiguousArray<UInt8>

    /// The length of every input: 1 MiB, sixteen of the compressor's 64 KiB blocks.
    static let length = 1 << 20

    /// The three inputs: Loki lines, binary records, random bytes.
    static func all() throws -> [SnappyInput] {
        [try lokiLines(), binaryRecords(), random()]
    }

    /// Real Alloy lines varied as a stream of them varies: the 16 logfmt lines that Alloy's
    /// `faro.receiver` writes for its test payloads (`../shared/vectors/alloy/expected/*.lines-logfmt.txt`),
    /// drawn in a pseudo-random order and varied by `AlloyLineVariation` (new timestamps, trace,
    /// span and session ids); cut at 1 MiB.
    static func lokiLines() throws -> SnappyInput {
        let directory = AlloyLineVariation.vectorsDirectory.appending(path: "alloy/expected")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".lines-logfmt.txt") }.sorted()
        var lines: [String] = []
        for file in files {
            let text = try String(contentsOf: directory.appending(path: file), encoding: .utf8)
            lines += text.split(separator: "\n").map(String.init)
        }
        guard !lines.isEmpty else { throw InputError("no Loki lines in \(directory.path)") }

        var variation = AlloyLineVariation(seed: 0x4C6F_6B69)
        var bytes = ContiguousArray<UInt8>()
        bytes.reserveCapacity(length + 4096)
        while bytes.count < length {
            bytes.append(contentsOf: variation.vary(lines[variation.index(below: lines.count)]).utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes.removeLast(bytes.count - length)
        return SnappyInput(
            name: "Loki lines",
            description: "Alloy's \(lines.count) logfmt test lines in random order, new timestamps and ids (text)",
            bytes: bytes)
    }

    /// OTLP-like protobuf records, as a span exporter's body holds them: per record a fixed64
    /// timestamp a little after the last, a 16-byte trace id (shared by runs of 1 to 8 records),
    /// a random 8-byte span id, two small varints (kind, duration), a name from 12, and 8
    /// little-endian 32-bit samples with small deltas; cut at 1 MiB.
    static func binaryRecords() -> SnappyInput {
        var random = SplitMix64(seed: 0x4269_6E61)
        let names = [
            "documentLoad", "documentFetch", "resourceFetch", "HTTP GET", "HTTP POST", "click", "navigation",
            "fetch /api/v1/cart", "fetch /api/v1/user", "xhr /graphql", "longtask", "web-vitals",
        ].map { Array($0.utf8) }
        var nanoseconds = UInt64(1_795_000_000_000_000_000)
        var traceID = random.bytes(16)
        var sample = UInt32(50_000)
        var bytes = ContiguousArray<UInt8>()
        bytes.reserveCapacity(length + 256)
        func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }
        func littleEndian<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        while bytes.count < length {
            nanoseconds += random.next() % 5_000_000
            if random.next() % 4 == 0 { traceID = random.bytes(16) }
            bytes.append(0x09)
            littleEndian(nanoseconds)
            bytes += [0x12, 16] + traceID
            bytes += [0x1A, 8] + random.bytes(8)
            bytes.append(0x20)
            varint(random.next() % 6)
            bytes.append(0x28)
            varint(random.next() % (1 << 20))
            let name = names[Int(random.next() % UInt64(names.count))]
            bytes += [0x32, UInt8(name.count)] + name
            bytes += [0x3A, 32]
            for _ in 0..<8 {
                sample &+= UInt32(truncatingIfNeeded: random.next() % 64)
                littleEndian(sample)
            }
        }
        bytes.removeLast(bytes.count - length)
        return SnappyInput(
            name: "binary records",
            description: "OTLP-like protobuf span records: fixed64 times, ids, varints, names, 32-bit samples (binary)",
            bytes: bytes)
    }

    /// Incompressible bytes from SplitMix64: the compressor's skipping and long literals.
    static func random() -> SnappyInput {
        var random = SplitMix64(seed: 0x5261_6E64)
        var bytes = ContiguousArray<UInt8>()
        bytes.reserveCapacity(length)
        while bytes.count < length {
            withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) }
        }
        return SnappyInput(name: "random bytes", description: "SplitMix64 output (incompressible)", bytes: bytes)
    }
}
