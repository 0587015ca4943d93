import Foundation
import Snappy
import Testing
import TestSupport

/// Both directions against `../shared/oracles/snappy.py` (cramjam, the Rust `snap` crate), and
/// the framing of Loki's push bodies against `loki_push.py`.
@Suite struct SnappyOracleTests {
    static let snappyScript = TestEnvironment.shared.appendingPathComponent("oracles/snappy.py").path
    static let lokiScript = TestEnvironment.shared.appendingPathComponent("oracles/loki_push.py").path

    static func oracle(_ mode: String, _ input: some Collection<UInt8>) async throws -> [UInt8] {
        [UInt8](try await TestEnvironment.runPython(arguments: [snappyScript, mode], input: Data(input)))
    }

    @Test(arguments: SnappyInputs.all.map(\.0))
    func oracleDecompressesOurs(name: String) async throws {
        let input = try #require(SnappyInputs.all.first { $0.0 == name }?.1)
        #expect(try await Self.oracle("decompress", Snappy.compress(input)) == input)
    }

    @Test(arguments: SnappyInputs.all.map(\.0))
    func weDecompressTheOracles(name: String) async throws {
        let input = try #require(SnappyInputs.all.first { $0.0 == name }?.1)
        let compressed = try await Self.oracle("compress", input)
        var output = ContiguousArray<UInt8>()
        try Snappy.decompress(compressed, into: &output, maximumLength: input.count)
        #expect(Array(output) == input)
    }

    /// Ours against the oracle's compressed size on Loki-like text. At the time of writing, on
    /// 634,953 bytes of log lines, both are 138,208 bytes (21.77 %).
    @Test func compressedSizeOnTextIsCloseToTheOracles() async throws {
        let text = SnappyInputs.logLines(count: 3_000, seed: 21)
        let ours = Snappy.compress(text).count
        let theirs = try await Self.oracle("compress", text).count
        print("snappy on \(text.count) bytes of log lines: ours \(ours) bytes, oracle \(theirs) bytes")
        #expect(Double(ours) <= Double(theirs) * 1.03)
    }

    @Test func lokiPushBodies() async throws {
        let request = try TestEnvironment.sharedFile("oracles/samples/loki.json")
        let body = [UInt8](try await TestEnvironment.runPython(arguments: [Self.lokiScript, "encode"], input: request))
        let raw = [UInt8](try await TestEnvironment.runPython(arguments: [Self.lokiScript, "encode", "--raw"], input: request))
        // Loki's body, compressed by the oracle, decompresses to the protobuf request.
        var output = ContiguousArray<UInt8>()
        try Snappy.decompress(body, into: &output, maximumLength: 1 << 20)
        #expect(Array(output) == raw)
        // Our compression of the request is a body Loki's decoder reads as the same request.
        let ours = Snappy.compress(raw)
        let decodedOurs = try await TestEnvironment.runPython(arguments: [Self.lokiScript, "decode"], input: Data(ours))
        let decodedTheirs = try await TestEnvironment.runPython(arguments: [Self.lokiScript, "decode"], input: Data(body))
        #expect(decodedOurs == decodedTheirs)
    }

    /// Mutated compressed data: ours and the oracle accept the same inputs and agree on the output.
    @Test func mutationsAgreeWithTheOracle() async throws {
        var random = SplitMix64(state: 77)
        let seeds = [
            Array(Snappy.compress(SnappyInputs.logLines(count: 10))),
            Array(Snappy.compress(SnappyInputs.repeated(Array("abc".utf8), count: 300))),
            Array(Snappy.compress(SnappyInputs.binary(count: 500))),
        ]
        let cases = random.mutants(of: seeds, count: 600)
        // One Python process for all: each case is a 4-byte length and the bytes; the answer
        // is a line per case, the hex of the output or "error".
        let input = TestEnvironment.lengthPrefixed(cases)
        let code = """
            import sys, struct, cramjam
            data = sys.stdin.buffer.read()
            i = 0
            while i < len(data):
                (n,) = struct.unpack_from('<I', data, i); i += 4
                case = data[i:i + n]; i += n
                try:
                    print(bytes(cramjam.snappy.decompress_raw(case)).hex())
                except Exception:
                    print('error')
            """
        let answers = String(decoding: try await TestEnvironment.runPython(code: code, input: input), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(answers.count >= cases.count)
        var accepted = 0
        for (index, bytes) in cases.enumerated() where index < answers.count {
            var output = ContiguousArray<UInt8>()
            let ours: String
            do {
                try Snappy.decompress(bytes, into: &output, maximumLength: 1 << 20)
                ours = output.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
                accepted += 1
            } catch {
                ours = "error"
            }
            #expect(ours == String(answers[index]), "case \(index): \(bytes)")
        }
        #expect(accepted > 0)
    }
}
