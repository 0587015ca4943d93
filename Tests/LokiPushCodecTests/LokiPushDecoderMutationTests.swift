import Foundation
import LokiPushCodec
import TestSupport
import Testing

/// Mutated push requests: our decoder never accepts what Loki's schema rejects, and what both
/// accept decodes to the same streams. The spool replays requests with this decoder, so it must
/// hold up on damaged bytes.
struct LokiPushDecoderMutationTests {
    /// Uncompressed requests to mutate: several streams, structured metadata, unicode.
    private func seeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for variant in 0..<3 {
            var batch = LokiBatch()
            for streamIndex in 0...variant {
                let stream = batch.stream(try LokiLabels(["app": "web-\(streamIndex)", "kind": variant == 1 ? "exception" : "log"]))
                for entryIndex in 0..<3 {
                    let metadata = entryIndex == 1 ? [LokiLabelPair(name: "trace_id", value: "4bf92f3577b34da6a3ce929d0e0e4736")] : []
                    try batch.append(
                        LokiEntry(
                            timestamp: LokiTimestamp(seconds: 1_700_000_000 + Int64(entryIndex), nanoseconds: Int32(streamIndex)),
                            line: "level=info msg=\"é \(entryIndex)\" page=/checkout", structuredMetadata: metadata),
                        to: stream)
                }
            }
            var encoder = LokiPushEncoder()
            var request = ContiguousArray<UInt8>()
            encoder.encodePushRequest(batch, into: &request)
            seeds.append(Array(request))
        }
        return seeds
    }

    @Test func agreesWithLokisSchemaOnMutatedRequests() async throws {
        var random = SplitMix64(state: 2_026)
        let cases = random.mutants(of: try seeds(), count: 500)
        // One Python process for all: each case is a 4-byte length and the bytes; the answer is
        // a line per case, the oracle's JSON or `error: <reason>`.
        let input = TestEnvironment.lengthPrefixed(cases)
        let code = """
            import io, struct, sys, contextlib
            sys.path.insert(0, \(String(reflecting: TestEnvironment.shared.appendingPathComponent("oracles").path)))
            import loki_push
            data = sys.stdin.buffer.read()
            i = 0
            while i < len(data):
                (n,) = struct.unpack_from('<I', data, i); i += 4
                case = data[i:i + n]; i += n
                reason = io.StringIO()
                try:
                    with contextlib.redirect_stderr(reason):
                        print(loki_push.decode(case))
                except SystemExit:
                    print('error: ' + reason.getvalue().strip().replace('\\n', ' '))
            """
        let answers = String(decoding: try await TestEnvironment.runPython(code: code, input: input), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(answers.count >= cases.count)
        var bothAccepted = 0
        var onlyOurs = 0
        var rejected = 0
        var stricter = 0
        for (index, bytes) in cases.enumerated() where index < answers.count {
            let answer = String(answers[index])
            var batch = LokiBatch()
            let ours = bytes.withUnsafeBytes { bytes in
                Result { () throws(LokiPushDecodingError) in try LokiPushRequestDecoder.decodePushRequest(bytes, into: &batch) }
            }
            switch ours {
            case .success:
                guard !answer.hasPrefix("error: ") else {
                    // Loki's Go decoder skips unknown fields and keeps repeated metadata names, as
                    // ours does; the oracle refuses both. Anything else must be refused by us too.
                    #expect(
                        answer.contains("unknown fields") || answer.contains("repeated name"),
                        "case \(index): we accepted what Loki's schema rejects: \(answer)")
                    onlyOurs += 1
                    continue
                }
                bothAccepted += 1
                let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
                let theirs = try #require(json["streams"] as? [[String: Any]])
                // Streams with the same labels are merged by the batch, and empty ones left out.
                var theirLines: [String: [String]] = [:]
                for stream in theirs {
                    let labels = try LokiLabels(parsing: try #require(stream["labels"] as? String))
                    let lines = (stream["entries"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? String }
                    if !lines.isEmpty { theirLines[labels.rendered, default: []] += lines }
                }
                var ourLines: [String: [String]] = [:]
                for stream in batch.streams { ourLines[stream.labels.rendered, default: []] += stream.entries.map(\.line) }
                #expect(ourLines == theirLines, "case \(index)")
            case .failure(let error):
                rejected += 1
                #expect(batch.isEmpty, "case \(index): a failed decode left entries in the batch")
                guard !answer.hasPrefix("error: ") else { continue }
                // Stricter than the schema only where Loki validates after decoding: the label
                // string and the metadata names.
                stricter += 1
                switch error.reason {
                case .labels, .invalidMetadataName: break
                default: Issue.record("case \(index): we rejected what Loki accepts: \(error)")
                }
            }
        }
        print("mutated push requests: \(bothAccepted) accepted by both, \(onlyOurs) by us only (unknown fields or repeated metadata names), \(rejected) rejected by us, \(stricter) of them for labels or metadata names that Loki would refuse after decoding")
        #expect(bothAccepted > 0)
    }
}
