import SourceMaps
import TestSupport
import Testing

/// Mutated maps either parse or throw, and lookups in whatever parses return: nothing crashes.
@Suite struct SourceMapMutationTests {
    /// Looks up a spread of positions in `map`, checking each answer refers into the map.
    static func probe(_ map: SourceMap) {
        for line in -1...4 {
            for column in [-1, 0, 1, 14, 55, 100, 262, Int.max] {
                guard let position = map.originalPosition(line: line, column: column) else { continue }
                #expect(position.source.isEmpty || map.sources.contains(position.source))
            }
        }
    }

    @Test func mutatedMapBytes() throws {
        let seeds = [
            try Fixtures.fooMap(),
            Array(MappingLookupTests.sample.utf8),
            Array(#"{"version":3,"sourceRoot":"http://h/s/","sources":["a","b"],"names":[1,"x"],"mappings":"AAAAA;CCCC,E"}"#.utf8),
        ]
        var random = SplitMix64(state: 0x50_75_72_63_65_4D_61_70)
        var parsed = 0
        for bytes in random.mutants(of: seeds, count: 3000) {
            guard let map = try? SourceMap(json: bytes, url: "http://localhost:1234/static/foo.js") else { continue }
            parsed += 1
            Self.probe(map)
        }
        #expect(parsed > 0)
    }

    @Test func mutatedMappings() throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/,;".utf8)
        let seed = Array("AAAAA,cACE,yCACF,CAEAC,gBACE,YACE,2CAEF,mBACF,CAEAC,gBACE,wBACA,0EACF".utf8)
        var random = SplitMix64(state: 7)
        var parsed = 0
        for _ in 0..<3000 {
            var mappings = seed
            random.mutate(&mappings, from: alphabet)
            let json = Fixtures.map(#""sources":["a","b"],"names":["n"],"mappings":"\#(String(decoding: mappings, as: UTF8.self))""#)
            guard let map = try? Fixtures.parse(json) else { continue }
            parsed += 1
            Self.probe(map)
        }
        #expect(parsed > 0)
    }
}
