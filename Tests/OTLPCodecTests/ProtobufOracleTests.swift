import Foundation
import OTLPCodec
import TestSupport
import Testing

/// OTLP protobuf against the official `opentelemetry-proto` package: what we encode, the oracle
/// decodes to the same message; what the oracle encodes, we decode to the same message. Messages
/// are compared as OTLP/JSON (see `OTLPJSONTranscription`).
@Suite struct ProtobufOracleTests {
    /// Our encoding, decoded by `opentelemetry-proto`, is the message we encoded.
    @Test(arguments: OTLPSignalFixture.all)
    func oracleDecodesWhatWeEncode(signal: OTLPSignalFixture) async throws {
        let bytes = signal.samples().reduce(into: Data()) { $0.append(contentsOf: $1) }
        let decoded = try await OTLPSignalFixture.oracle("otlp_decode.py", ["--otlp-json", signal.name], input: bytes)
        #expect(try OTLPJSONTranscription.canonical(decoded) == signal.expectedJSON())
    }

    /// The oracle's encoding of the same messages, decoded by us, is the message again; encoded
    /// by us again, it is the bytes we encode for it in the first place.
    @Test(arguments: OTLPSignalFixture.all)
    func weDecodeWhatTheOracleEncodes(signal: OTLPSignalFixture) async throws {
        let oracleBytes = try await OTLPSignalFixture.oracle("otlp_encode.py", ["--strict", signal.name], input: Data(OTLPSignalFixture.oracleInput(try signal.expectedJSON()).utf8))
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
    func oracleSamplesSurviveOurRoundTrip(name: String) async throws {
        let sample = try TestEnvironment.sharedFile("oracles/samples/\(name).json")
        let oracleBytes = try await OTLPSignalFixture.oracle("otlp_encode.py", [name], input: sample)
        let signal = try #require(OTLPSignalFixture.all.first { $0.name == name })
        let (_, ours) = try oracleBytes.withUnsafeBytes { try signal.roundTrip($0) }
        let expected = try await OTLPSignalFixture.oracle("otlp_decode.py", [name], input: oracleBytes)
        let actual = try await OTLPSignalFixture.oracle("otlp_decode.py", [name], input: Data(ours))
        #expect(String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
