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

/// The decoder shares recent strings through tables of slots made once enough strings were made
/// (`RecentStrings`): strings that share a slot, or differ from a remembered one by a byte or a
/// length, still decode to their own bytes.
@Suite struct RecentStringsTests {
    /// For each length from 1 to 300: a text, the text with its last letter changed, with its
    /// first letter changed, one letter shorter, and with a letter made non-ASCII. Then 700 texts
    /// of 9 to 15 bytes with the same first eight: more than there are slots for short strings,
    /// so that some share a slot and differ only past their first word.
    static let texts: [String] = {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let lengths = (1...300).flatMap { length -> [String] in
            let text = String((0..<length).map { letters[($0 * 7 + length) % 26] })
            let variants = [text, String(text.dropLast()) + "Z", "Y" + String(text.dropFirst()), String(text.dropLast())]
            return (variants + [String(text.dropLast()) + "é"]).filter { !$0.isEmpty }
        }
        let sameHead = (0..<700).map { (number: Int) -> String in
            let tail: [Character] = (0...(number % 7)).map { (position: Int) -> Character in letters[(number / (1 + position)) % 26] }
            return "abcdefgh" + String(tail)
        }
        return lengths + sameHead
    }()

    /// A payload of logs whose messages and contexts run through `texts` three times, in three
    /// orders, and whose last string is short and ends the input but for closing braces.
    static func payload() -> (body: ContiguousArray<UInt8>, messages: [String], contexts: [FaroAttributes]) {
        var logs: [String] = []
        var messages: [String] = []
        var contexts: [FaroAttributes] = []
        let count = texts.count
        for round in 0..<3 {
            for index in 0..<count {
                let message = texts[(index * (2 * round + 1)) % count]
                let pairs = (1...3).map { step in
                    (texts[(index + step * 37 + round) % count], texts[(index * 3 + step + round * 11) % count])
                }
                let context = FaroAttributes(pairs)
                messages.append(message)
                contexts.append(context)
                let members = pairs.map { "\"\($0.0)\":\"\($0.1)\"" }.joined(separator: ",")
                logs.append("{\"message\":\"\(message)\",\"context\":{\(members)}}")
            }
        }
        let json = "{\"logs\":[\(logs.joined(separator: ","))],\"meta\":{\"app\":{\"name\":\"web\"}}}"
        return (ContiguousArray(json.utf8), messages, contexts)
    }

    @Test("strings of 1 to 300 bytes, repeated and nearly repeated past the tables' making, decode to their own bytes")
    func sharedStringsKeepTheirBytes() throws {
        let (body, messages, contexts) = Self.payload()
        let decoder = FaroPayloadDecoder()
        var memory = FaroDecoderMemory()
        for decode in 0..<3 {
            let payload = decode == 0 ? try decoder.decode(body) : try decoder.decode(body, memory: &memory)
            try #require(payload.logs.count == messages.count)
            for (index, log) in payload.logs.enumerated() {
                #expect(log.message == messages[index], "decode \(decode), log \(index)")
                #expect(log.context == contexts[index], "decode \(decode), log \(index)")
            }
            #expect(payload.meta.app.name == "web", "decode \(decode)")
        }
    }
}
