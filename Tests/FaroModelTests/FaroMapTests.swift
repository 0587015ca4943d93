import Testing

@testable import FaroModel

/// `FaroMap` keeps Go's map semantics with byte-wise key order.
@Suite struct FaroMapTests {
    @Test func canonicallyEquivalentKeysStayDistinctAsInGo() {
        let composed = "\u{E9}"
        let decomposed = "e\u{301}"
        let map: FaroAttributes = [composed: "1", decomposed: "2"]
        #expect(map.count == 2)
        #expect(map[composed] == "1" && map[decomposed] == "2")
        #expect(map.keys == [decomposed, composed])
    }

    @Test(arguments: [5, 32, 33, 500])
    func laterPairsWinAndKeysSortByBytes(count: Int) {
        var pairs: [(String, String)] = []
        for index in (0..<count).reversed() {
            pairs.append(("k\(index)", "first"))
            pairs.append(("k\(index)", "last\(index)"))
        }
        let map = FaroAttributes(pairs)
        #expect(map.count == count)
        #expect(map.keys == map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(map.allSatisfy { $0.value == "last" + $0.key.dropFirst() })
    }

    @Test func subscriptSetsAndRemoves() {
        var map: FaroMap<Double> = ["b": 2]
        map["a"] = 1
        map["c"] = 3
        map["b"] = nil
        #expect(map.keys == ["a", "c"] && map["c"] == 3 && map["b"] == nil)
    }

    /// The decoder orders an object's members by the keys' bytes in the input; it must agree with
    /// `FaroMap`'s own order, for keys that share heads, escaped keys, repeated keys and more keys
    /// than it orders in place (32).
    @Test(arguments: [1, 2, 7, 31, 32, 33, 40])
    func decodedMembersTakeTheOrderOfTheirKeys(count: Int) throws {
        // Keys as written in JSON, and their text.
        let pool: [(json: String, text: String)] = [
            ("a", "a"), ("ab", "ab"), ("b", "b"), ("abcdefg", "abcdefg"), ("abcdefgh", "abcdefgh"),
            ("abcdefghi", "abcdefghi"), ("abcdefgi", "abcdefgi"), ("\\u00e9t\\u00e9", "été"), ("été", "été"),
            ("日本", "日本"), ("Z", "Z"), ("a b", "a b"), ("k\\\\q", "k\\q"), ("abcdefghijklmnopq", "abcdefghijklmnopq"),
            ("abcdefghijklmnopr", "abcdefghijklmnopr"), ("abcdefghijklmnop", "abcdefghijklmnop"),
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var members: [(json: String, text: String, value: String)] = []
            for index in 0..<count {
                let key = pool.randomElement(using: &generator)!
                // Some keys repeat, some are unique.
                let suffix = Bool.random(using: &generator) ? "" : String(index % 7)
                members.append((key.json + suffix, key.text + suffix, "v\(index)"))
            }
            // The object ends the input, so that the last keys lie within eight bytes of its end.
            let object = members.map { "\"\($0.json)\":\"\($0.value)\"" }.joined(separator: ",")
            let json = "{\"logs\":[{\"message\":\"m\",\"context\":{" + object + "}}]}"
            let decoded = try #require(try FaroPayloadDecoder().decode(ContiguousArray(json.utf8)).logs.first).context
            let expected = FaroAttributes(members.map { ($0.text, $0.value) })
            #expect(decoded.keys == expected.keys)
            #expect(decoded.map(\.value) == expected.map(\.value))
        }
    }
}
