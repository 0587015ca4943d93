import Foundation
import OTLPCodec
import TestSupport
import Testing

/// OTLP protobuf against the official `opentelemetry-proto` package: what we encode, the oracle
/// decodes to the same message; what the oracle encodes, we decode to the same message. Messages
/// are compared as OTLP/JSON (see `OTLPJSONTranscription`).
@Suite struct ProtobufOracleTests {
    /// One signal: its oracle name, and how to encode, decode and transcribe its messages.
    struct Signal: Sendable, CustomTestStringConvertible {
        let name: String
        let samples: @Sendable () -> [ContiguousArray<UInt8>]
        let expectedJSON: @Sendable () throws -> String
        let roundTrip: @Sendable (UnsafeRawBufferPointer) throws -> (json: String, bytes: ContiguousArray<UInt8>)
        var testDescription: String { name }
    }

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

    static let signals: [Signal] = [
        Signal(
            name: "traces",
            samples: { traces.map { message in encoded { message.encodeProtobuf(into: &$0) } } },
            expectedJSON: {
                // Requests concatenated on the wire are one request with all their resource spans.
                let merged = OTLPTracesData(resourceSpans: traces.flatMap(\.resourceSpans))
                return try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.traces(merged))
            },
            roundTrip: { bytes in
                let message = try OTLPTracesData(protobuf: bytes)
                return (try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.traces(message)), encoded { message.encodeProtobuf(into: &$0) })
            }),
        Signal(
            name: "logs",
            samples: { logs.map { message in encoded { message.encodeProtobuf(into: &$0) } } },
            expectedJSON: {
                let merged = OTLPLogsData(resourceLogs: logs.flatMap(\.resourceLogs))
                return try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.logs(merged))
            },
            roundTrip: { bytes in
                let message = try OTLPLogsData(protobuf: bytes)
                return (try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.logs(message)), encoded { message.encodeProtobuf(into: &$0) })
            }),
        Signal(
            name: "metrics",
            samples: { metrics.map { message in encoded { message.encodeProtobuf(into: &$0) } } },
            expectedJSON: {
                let merged = OTLPMetricsData(resourceMetrics: metrics.flatMap(\.resourceMetrics))
                return try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.metrics(merged))
            },
            roundTrip: { bytes in
                let message = try OTLPMetricsData(protobuf: bytes)
                return (try OTLPJSONTranscription.canonical(object: OTLPJSONTranscription.metrics(message)), encoded { message.encodeProtobuf(into: &$0) })
            }),
    ]

    static func oracle(_ script: String, _ arguments: [String], input: Data) throws -> Data {
        try TestEnvironment.runPython(
            arguments: [TestEnvironment.shared.appendingPathComponent("oracles/\(script)").path] + arguments, input: input)
    }

    /// `json` with negative zero as the string `"-0.0"`: `JSONSerialization` writes it `-0`, which Python reads as
    /// the integer 0, while the protobuf JSON mapping takes numbers in strings.
    static func oracleInput(_ json: String) -> String {
        json.replacingOccurrences(of: #"(?<=[:\[,])-0(?=[,}\]])"#, with: #""-0.0""#, options: .regularExpression)
    }

    /// Our encoding, decoded by `opentelemetry-proto`, is the message we encoded.
    @Test(arguments: signals)
    func oracleDecodesWhatWeEncode(signal: Signal) throws {
        let bytes = signal.samples().reduce(into: Data()) { $0.append(contentsOf: $1) }
        let decoded = try Self.oracle("otlp_decode.py", ["--otlp-json", signal.name], input: bytes)
        #expect(try OTLPJSONTranscription.canonical(decoded) == signal.expectedJSON())
    }

    /// The oracle's encoding of the same messages, decoded by us, is the message again; encoded
    /// by us again, it is the bytes we encode for it in the first place.
    @Test(arguments: signals)
    func weDecodeWhatTheOracleEncodes(signal: Signal) throws {
        let oracleBytes = try Self.oracle("otlp_encode.py", ["--strict", signal.name], input: Data(Self.oracleInput(try signal.expectedJSON()).utf8))
        let (json, reencoded) = try oracleBytes.withUnsafeBytes { try signal.roundTrip($0) }
        #expect(json == (try signal.expectedJSON()))
        let ours = signal.samples().reduce(into: ContiguousArray<UInt8>()) { $0.append(contentsOf: $1) }
        // The oracle writes one request; ours are several concatenated. Our encoding of the decoded request
        // decodes, in turn, to the same JSON.
        let (ourJSON, _) = try ours.withUnsafeBytes { try signal.roundTrip($0) }
        #expect(ourJSON == json)
        let (again, _) = try reencoded.withUnsafeBytes { try signal.roundTrip($0) }
        #expect(again == json)
    }

    /// The oracles' own sample messages.
    @Test(arguments: ["traces", "logs", "metrics"])
    func oracleSamplesSurviveOurRoundTrip(name: String) throws {
        let sample = try TestEnvironment.sharedFile("oracles/samples/\(name).json")
        let oracleBytes = try Self.oracle("otlp_encode.py", [name], input: sample)
        let signal = try #require(Self.signals.first { $0.name == name })
        let (_, ours) = try oracleBytes.withUnsafeBytes { try signal.roundTrip($0) }
        let expected = try Self.oracle("otlp_decode.py", [name], input: oracleBytes)
        let actual = try Self.oracle("otlp_decode.py", [name], input: Data(ours))
        #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
