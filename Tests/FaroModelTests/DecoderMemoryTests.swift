import Foundation
import TestSupport
import Testing

@testable import FaroModel

/// Decoding with a `FaroDecoderMemory` kept across payloads gives the payloads a fresh decoder gives.
@Suite struct DecoderMemoryTests {
    /// `json` with the middle letter of every string of 20 bytes or more changed: the strings keep
    /// their length and their first and last eight bytes, so each falls in the memory slot of its
    /// original, and only comparing their bytes tells them apart.
    static func middleChanged(_ json: Data) throws -> ContiguousArray<UInt8> {
        func change(_ value: Any) -> Any {
            switch value {
            case let text as String where text.utf8.count >= 20:
                var bytes = Array(text.utf8)
                let middle = bytes.count / 2
                guard let index = (middle..<bytes.count - 8).first(where: { (0x61...0x7A).contains(bytes[$0]) }) else { return text }
                bytes[index] = bytes[index] == 0x7A ? 0x61 : bytes[index] + 1
                return String(decoding: bytes, as: UTF8.self)
            case let object as [String: Any]: return object.mapValues(change)
            case let array as [Any]: return array.map(change)
            default: return value
            }
        }
        return ContiguousArray(try JSONSerialization.data(withJSONObject: change(try JSONSerialization.jsonObject(with: json))))
    }

    @Test("payloads decoded in turn with one memory equal their fresh decodes, also when strings differ only inside")
    func sharedMemoryDecodesAsFresh() throws {
        var bodies: [ContiguousArray<UInt8>] = []
        for name in AlloyVectorTests.payloads {
            let json = try TestEnvironment.sharedFile("vectors/alloy/\(name).json")
            bodies.append(ContiguousArray(json))
            bodies.append(try Self.middleChanged(json))
        }
        let decoder = FaroPayloadDecoder()
        let fresh = try bodies.map { try decoder.decode($0) }
        // Each original right after its changed twin and the other way round, and every pair of payloads.
        var order = Array(bodies.indices) + Array(bodies.indices.reversed())
        for first in bodies.indices { for second in bodies.indices { order += [first, second] } }
        var memory = FaroDecoderMemory()
        for index in order {
            #expect(try decoder.decode(bodies[index], memory: &memory) == fresh[index], "body \(index)")
        }
        #expect(fresh[0] != fresh[1], "the changed payload must differ from its original")
    }

    @Test("a payload that fails leaves memory that later payloads decode with as fresh")
    func failedPayloadLeavesUsableMemory() throws {
        let json = try TestEnvironment.sharedFile("vectors/alloy/payload.json")
        let body = ContiguousArray(json)
        let decoder = FaroPayloadDecoder()
        let expected = try decoder.decode(body)
        var memory = FaroDecoderMemory()
        for cut in stride(from: 1, to: body.count, by: 97) {
            #expect(throws: FaroDecodingError.self) { try decoder.decode(ContiguousArray(body[..<cut]), memory: &memory) }
            #expect(try decoder.decode(body, memory: &memory) == expected)
        }
    }
}
