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
}
