import Foundation
import OTLPCodec
import TestSupport
import Testing

/// One OTLP signal for the conformance tests: its oracle name, sample messages, and how to encode,
/// decode and transcribe them.
struct OTLPSignalFixture: Sendable, CustomTestStringConvertible {
    let signal: OTLPSignal
    let name: String
    /// Each sample message, encoded as protobuf by us.
    let samples: @Sendable () -> [ContiguousArray<UInt8>]
    /// The canonical OTLP/JSON transcription of all samples merged into one request.
    let expectedJSON: @Sendable () throws -> String
    /// Our OTLP/JSON of all samples merged into one request.
    let ourJSON: @Sendable () -> ContiguousArray<UInt8>
    /// Decodes protobuf and returns the transcription of the message and our encoding of it.
    let roundTrip: @Sendable (UnsafeRawBufferPointer) throws -> (json: String, bytes: ContiguousArray<UInt8>)
    /// Decodes OTLP/JSON and returns the transcription of the message.
    let decodeJSON: @Sendable (UnsafeRawBufferPointer) throws -> String
    var testDescription: String { name }

    static func encoded(_ encode: (inout ContiguousArray<UInt8>) -> Void) -> ContiguousArray<UInt8> {
        var bytes = ContiguousArray<UInt8>()
        encode(&bytes)
        return bytes
    }

    static let traces: [OTLPTracesData] = {
        var generator = SplitMix64(state: 0x7124_CE5)
        return [OTLPSamples.everyFieldTraces, OTLPTracesData()] + (0..<6).map { _ in OTLPSamples.traces(&generator, resources: 8) }
    }()

    static let logs: [OTLPLogsData] = {
        var generator = SplitMix64(state: 0x1065)
        return [OTLPSamples.everyFieldLogs, OTLPLogsData()] + (0..<6).map { _ in OTLPSamples.logs(&generator, resources: 8) }
    }()

    static let metrics: [OTLPMetricsData] = {
        var generator = SplitMix64(state: 0x3E7_21C5)
        return [OTLPSamples.everyFieldMetrics, OTLPMetricsData()] + (0..<6).map { _ in OTLPSamples.metrics(&generator, resources: 8) }
    }()

    // Requests concatenated on the wire are one request with all their resources.
    static let mergedTraces = OTLPTracesData(resourceSpans: traces.flatMap(\.resourceSpans))
    static let mergedLogs = OTLPLogsData(resourceLogs: logs.flatMap(\.resourceLogs))
    static let mergedMetrics = OTLPMetricsData(resourceMetrics: metrics.flatMap(\.resourceMetrics))

    static let all: [OTLPSignalFixture] = [
        OTLPSignalFixture(
            signal: .traces, name: "traces",
            samples: { traces.map { message in encoded { message.encodeProtobuf(into: &$0) } } },
            expectedJSON: { try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.traces(mergedTraces)) },
            ourJSON: { encoded { mergedTraces.encodeJSON(into: &$0) } },
            roundTrip: { bytes in
                let message = try OTLPTracesData(protobuf: bytes)
                return (try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.traces(message)), encoded { message.encodeProtobuf(into: &$0) })
            },
            decodeJSON: { try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.traces(try OTLPTracesData(json: $0))) }),
        OTLPSignalFixture(
            signal: .logs, name: "logs",
            samples: { logs.map { message in encoded { message.encodeProtobuf(into: &$0) } } },
            expectedJSON: { try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.logs(mergedLogs)) },
            ourJSON: { encoded { mergedLogs.encodeJSON(into: &$0) } },
            roundTrip: { bytes in
                let message = try OTLPLogsData(protobuf: bytes)
                return (try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.logs(message)), encoded { message.encodeProtobuf(into: &$0) })
            },
            decodeJSON: { try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.logs(try OTLPLogsData(json: $0))) }),
        OTLPSignalFixture(
            signal: .metrics, name: "metrics",
            samples: { metrics.map { message in encoded { message.encodeProtobuf(into: &$0) } } },
            expectedJSON: { try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.metrics(mergedMetrics)) },
            ourJSON: { encoded { mergedMetrics.encodeJSON(into: &$0) } },
            roundTrip: { bytes in
                let message = try OTLPMetricsData(protobuf: bytes)
                return (try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.metrics(message)), encoded { message.encodeProtobuf(into: &$0) })
            },
            decodeJSON: { try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.metrics(try OTLPMetricsData(json: $0))) }),
    ]

    /// Runs an oracle script of `../shared/oracles`.
    static func oracle(_ script: String, _ arguments: [String], input: Data) async throws -> Data {
        try await TestEnvironment.runPython(
            arguments: [TestEnvironment.shared.appendingPathComponent("oracles/\(script)").path] + arguments, input: input)
    }

    /// `json` with negative zero as the string `"-0.0"`: `JSONSerialization` writes it `-0`, which Python reads as
    /// the integer 0, while the protobuf JSON mapping takes numbers in strings.
    static func oracleInput(_ json: String) -> String {
        json.replacingOccurrences(of: #"(?<=[:\[,])-0(?=[,}\]])"#, with: #""-0.0""#, options: .regularExpression)
    }
}
