import Foundation
import LokiPushCodec
import TestSupport

/// Runs `oracles/loki_push.py` (Loki's `push.proto` through Python protobuf) and reads its JSON.
enum LokiPushOracle {
    /// The oracle's `decode` of a Snappy body (`raw`: of a bare `PushRequest`), as JSON objects.
    static func decode(_ body: ContiguousArray<UInt8>, raw: Bool = false) async throws -> [String: Any] {
        let output = try await TestEnvironment.runPython(
            arguments: [script] + ["decode"] + (raw ? ["--raw"] : []), input: Data(body))
        return try JSONSerialization.jsonObject(with: output) as! [String: Any]
    }

    /// The oracle's `encode` of the oracle's JSON text for streams (`raw`: no Snappy).
    static func encode(_ input: Data, raw: Bool = false) async throws -> ContiguousArray<UInt8> {
        let output = try await TestEnvironment.runPython(arguments: [script] + ["encode"] + (raw ? ["--raw"] : []), input: input)
        return ContiguousArray(output)
    }

    /// The oracle's JSON for `streams`: labels as text, `ts` in nanoseconds as a decimal string.
    static func json(_ streams: [LokiStream]) -> [String: Any] {
        [
            "streams": streams.map { stream in
                [
                    "labels": stream.labels.rendered,
                    "entries": stream.entries.map { entry in
                        [
                            "ts": nanoseconds(entry.timestamp), "line": entry.line,
                            "structuredMetadata": Dictionary(
                                entry.structuredMetadata.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                        ] as [String: Any]
                    },
                ] as [String: Any]
            }
        ]
    }

    /// The oracle's JSON text for `streams`, with structured metadata in order (a `Dictionary`
    /// would lose it), plus `extraTopLevel`, `extraStream` and `extraEntry` members (JSON text,
    /// each starting with a comma) in the first stream and its first entry.
    static func jsonText(_ streams: [LokiStream], extraTopLevel: String = "", extraStream: String = "", extraEntry: String = "") throws -> Data {
        func quoted(_ text: String) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
        }
        var streamTexts: [String] = []
        for (streamIndex, stream) in streams.enumerated() {
            var entryTexts: [String] = []
            for (entryIndex, entry) in stream.entries.enumerated() {
                let metadata = try entry.structuredMetadata.map { "\(try quoted($0.name)):\(try quoted($0.value))" }
                let extra = streamIndex == 0 && entryIndex == 0 ? extraEntry : ""
                entryTexts.append(
                    #"{"ts":"\#(nanoseconds(entry.timestamp))","line":\#(try quoted(entry.line)),"structuredMetadata":{\#(metadata.joined(separator: ","))}\#(extra)}"#)
            }
            let extra = streamIndex == 0 ? extraStream : ""
            streamTexts.append(#"{"labels":\#(try quoted(stream.labels.rendered)),"entries":[\#(entryTexts.joined(separator: ","))]\#(extra)}"#)
        }
        return Data(#"{"streams":[\#(streamTexts.joined(separator: ","))]\#(extraTopLevel)}"#.utf8)
    }

    /// Unix nanoseconds as a decimal string, exact for any timestamp.
    static func nanoseconds(_ timestamp: LokiTimestamp) -> String {
        if let value = timestamp.unixNanoseconds { return String(value) }
        let value = Int128(timestamp.seconds) * 1_000_000_000 + Int128(timestamp.nanoseconds)
        return String(value)
    }

    /// The path of the script.
    static let script = TestEnvironment.shared.appendingPathComponent("oracles/loki_push.py").path
}
