import FaroModel
import Foundation
import OTLPCodec
import ProtobufWire
import TestSupport
import Testing

/// `OTLPProtobuf.validate` accepts exactly what `OTLPJSON.transcodeToJSON` accepts and rejects the
/// rest with the same error: on the protobuf of every OTLP vector the other tests use, on its
/// truncations and on single-byte corruptions of it.
@Suite struct ProtobufValidationTests {
    /// A protobuf request of one signal, named after where it comes from.
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let signal: OTLPSignal
        let protobuf: ContiguousArray<UInt8>
        var testDescription: String { name }
    }

    /// The samples of `OTLPSignalFixture`, and the OTLP/JSON of the shared vectors (Alloy's payloads'
    /// traces, Alloy's exported traces, the oracles' samples) transcoded to protobuf.
    static func vectors() throws -> [Vector] {
        var vectors: [Vector] = []
        for fixture in OTLPSignalFixture.all {
            for (index, sample) in fixture.samples().enumerated() {
                vectors.append(Vector(name: "\(fixture.name) sample \(index)", signal: fixture.signal, protobuf: sample))
            }
        }
        var json: [(name: String, signal: OTLPSignal, bytes: ContiguousArray<UInt8>)] = []
        for name in ["payload", "payload_2", "payload_modern"] {
            let payload = try FaroPayloadDecoder().decode(ContiguousArray(try TestEnvironment.sharedFile("vectors/alloy/\(name).json")))
            let traces = try #require(payload.traces)
            json.append(("vectors/alloy/\(name).json traces", .traces, ContiguousArray(traces.storage[traces.range])))
            let alloy = "vectors/alloy/expected/\(name).traces.otlp.json"
            json.append((alloy, .traces, ContiguousArray(try TestEnvironment.sharedFile(alloy))))
        }
        for signal in OTLPSignal.allCases {
            let sample = "oracles/samples/\(signal).json"
            json.append((sample, signal, ContiguousArray(try TestEnvironment.sharedFile(sample))))
        }
        for (name, signal, bytes) in json {
            var protobuf = ContiguousArray<UInt8>()
            try bytes.withUnsafeBytes { try OTLPJSON.transcodeToProtobuf($0, signal: signal, into: &protobuf) }
            vectors.append(Vector(name: name, signal: signal, protobuf: protobuf))
        }
        return vectors
    }

    /// The error of validating `bytes`, and that of transcoding them to OTLP/JSON.
    static func outcomes(
        _ bytes: UnsafeRawBufferPointer, signal: OTLPSignal, maxDepth: Int = ProtobufReader.defaultMaxDepth
    ) -> (validation: OTLPDecodingError?, transcoding: OTLPDecodingError?) {
        var validation: OTLPDecodingError?
        do {
            try OTLPProtobuf.validate(bytes, signal: signal, maxDepth: maxDepth)
        } catch {
            validation = error
        }
        var transcoding: OTLPDecodingError?
        var json = ContiguousArray<UInt8>()
        do {
            try OTLPJSON.transcodeToJSON(bytes, signal: signal, into: &json, maxDepth: maxDepth)
        } catch {
            transcoding = error
        }
        return (validation, transcoding)
    }

    /// At most `limit` of the positions `0..<count`, in order: all of them when there are no more,
    /// otherwise one drawn from each of `limit` equal strides (seeded by `count`, so the same each run).
    static func positions(_ count: Int, limit: Int) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        var generator = SplitMix64(state: UInt64(count))
        return (0..<limit).map { stride in
            let start = count * stride / limit
            let end = count * (stride + 1) / limit
            return start + Int(generator.next() % UInt64(end - start))
        }
    }

    /// How many positions of a vector of `count` bytes are cut at, and corrupted: about the same
    /// work for every vector (every position up to about 600 bytes, fewer past that, at least 32),
    /// so that the test stays within a few seconds in a debug build.
    static func positionLimit(_ count: Int) -> Int { max(32, 400_000 / max(count, 1)) }

    @Test(arguments: try vectors())
    func validationAgreesWithTranscoding(vector: Vector) async throws {
        var bytes = vector.protobuf
        let whole = bytes.withUnsafeBytes { Self.outcomes($0, signal: vector.signal) }
        #expect(whole.validation == nil && whole.transcoding == nil, "\(vector.name): \(String(describing: whole.validation))")
        var rejected = 0
        func check(_ bytes: UnsafeRawBufferPointer, _ change: @autoclosure () -> String) {
            let (validation, transcoding) = Self.outcomes(bytes, signal: vector.signal)
            if validation != transcoding {
                Issue.record("\(vector.name), \(change()): validate \(String(describing: validation)), transcodeToJSON \(String(describing: transcoding))")
            }
            if validation != nil { rejected += 1 }
        }
        for length in Self.positions(bytes.count, limit: Self.positionLimit(bytes.count)) {
            // A long loop: it lets the concurrency pool's two threads serve timing-sensitive tests too.
            await Task.yield()
            bytes.withUnsafeBytes { check(UnsafeRawBufferPointer(rebasing: $0[..<length]), "cut to \(length) bytes") }
        }
        for position in Self.positions(bytes.count, limit: Self.positionLimit(bytes.count)) {
            await Task.yield()
            let original = bytes[position]
            // The continuation bit of a varint, the wire type of a tag, a length one more, all bits.
            for corrupted in Set([original ^ 0x80, original ^ 0x07, original &+ 1, 0xFF]) where corrupted != original {
                bytes[position] = corrupted
                bytes.withUnsafeBytes { check($0, "byte \(position) \(original) → \(corrupted)") }
            }
            bytes[position] = original
        }
        #expect(bytes.isEmpty || rejected > 0, "\(vector.name): no change was rejected")
    }

    /// Messages nested to the limit and past it, under several limits.
    @Test(arguments: [47, 48, 10_000])
    func nestingLimitsAgree(depth: Int) {
        let bytes = MalformedProtobufTests.nestedArrays(depth: depth)
        for maxDepth in [5, 50, ProtobufReader.defaultMaxDepth, 200] {
            let (validation, transcoding) = bytes.withUnsafeBytes { Self.outcomes($0, signal: .traces, maxDepth: maxDepth) }
            #expect(validation == transcoding, "depth \(depth), limit \(maxDepth)")
            // The attribute's value is the sixth message down, each array two more.
            #expect((validation == nil) == (6 + 2 * depth <= maxDepth), "depth \(depth), limit \(maxDepth)")
        }
    }
}
