import SourceMaps
import Testing

/// Lookups of generated positions, against the shared vectors and go-sourcemap's rules.
@Suite struct MappingLookupTests {
    @Test func everyVectorRow() throws {
        let map = try SourceMap(json: try Fixtures.fooMap())
        let rows = try Fixtures.fooRows()
        #expect(rows.count == 12)
        #expect(map.mappings.count == rows.count)
        #expect(map.file == "foo.js")
        #expect(map.names == ["cartTotal", "applyCoupon", "submitOrder"])
        for row in rows {
            #expect(map.originalPosition(line: row.line, column: row.column) == row.expected, "at \(row.line):\(row.column)")
        }
    }

    /// A column between two segments takes the segment before it; past the last, the last.
    @Test func columnsBetweenSegments() throws {
        let map = try SourceMap(json: try Fixtures.fooMap())
        let rows = try Fixtures.fooRows()
        for (row, next) in zip(rows, rows.dropFirst()) {
            let between = [row.column + 1, (row.column + next.column) / 2, next.column - 1]
            for column in between where column > row.column && column < next.column {
                #expect(map.originalPosition(line: 1, column: column) == row.expected, "at 1:\(column)")
            }
        }
        #expect(map.originalPosition(line: 1, column: 100_000) == rows.last!.expected)
        // The script has one line: the lines after it map to nothing.
        #expect(map.originalPosition(line: 2, column: 0) == nil)
        #expect(map.originalPosition(line: 0, column: 14) == nil)
        #expect(map.originalPosition(line: -1, column: 14) == nil)
    }

    /// Segments (1,1)→a.js 1:0 n0, (1,4)→1:1 n1, line 2 empty, (3,2)→1:3, (3,6)→1:7 n1.
    static let sample = Fixtures.map(#""sources":["a.js"],"names":["n0","n1"],"mappings":"CAAAA,GAACC;;EAAE,IAAIA""#)

    @Test(arguments: [
        (1, 0, nil),  // before the first segment of the map
        (1, 1, OriginalPosition(source: "a.js", name: "n0", line: 1, column: 0)),
        (1, 3, OriginalPosition(source: "a.js", name: "n0", line: 1, column: 0)),
        (1, 4, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 1)),
        (1, 99, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 1)),
        // A line without segments takes the last segment of the line before.
        (2, 0, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 1)),
        (2, 50, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 1)),
        // Before the first segment of a line: the last segment of an earlier line.
        (3, 0, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 1)),
        (3, 1, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 1)),
        // A four-field segment has no name.
        (3, 2, OriginalPosition(source: "a.js", name: "", line: 1, column: 3)),
        (3, 5, OriginalPosition(source: "a.js", name: "", line: 1, column: 3)),
        (3, 6, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 7)),
        // Past the last segment: its own line only.
        (3, 1_000_000, OriginalPosition(source: "a.js", name: "n1", line: 1, column: 7)),
        (4, 0, nil),
        (0, 1, nil),
    ] as [(Int, Int, OriginalPosition?)])
    func goSourcemapSemantics(line: Int, column: Int, expected: OriginalPosition?) throws {
        let map = try Fixtures.parse(Self.sample)
        #expect(map.originalPosition(line: line, column: column) == expected)
    }

    /// A one-field segment keeps the source, line and column of the segment before it.
    @Test func oneFieldSegments() throws {
        let map = try Fixtures.parse(Fixtures.map(#""sources":["a.js","b.js"],"mappings":"ACAC,E""#))
        #expect(map.originalPosition(line: 1, column: 2) == OriginalPosition(source: "b.js", name: "", line: 1, column: 1))
        // At the start of the map, a one-field segment stands for source 0, line 1, column 0.
        let first = try Fixtures.parse(Fixtures.map(#""sources":["a.js"],"mappings":"C""#))
        #expect(first.originalPosition(line: 1, column: 1) == OriginalPosition(source: "a.js", name: "", line: 1, column: 0))
    }

    /// Fields past the fifth start over at the generated column, within the same segment.
    @Test func sixFieldSegment() throws {
        let map = try Fixtures.parse(Fixtures.map(#""sources":["a.js"],"names":["n0"],"mappings":"AAAAAC""#))
        #expect(map.mappings.count == 1)
        #expect(map.originalPosition(line: 1, column: 0) == nil)
        #expect(map.originalPosition(line: 1, column: 1) == OriginalPosition(source: "a.js", name: "n0", line: 1, column: 0))
    }

    /// Names: a missing index gives no name; a name that is no string is its JSON text.
    @Test func names() throws {
        let map = try Fixtures.parse(Fixtures.map(
            #""sources":["a.js"],"names":[1.50,null,{"a": [true]},"\u00e9\n"],"mappings":"AAAAA,CAAAC,CAAAC,CAAAC,CAAAC""#))
        #expect(map.names == ["1.50", "null", #"{"a": [true]}"#, "é\n"])
        #expect((0...4).map { map.originalPosition(line: 1, column: $0)?.name } == ["1.50", "null", #"{"a": [true]}"#, "é\n", ""])
    }

    /// A negative source index gives no source, as go-sourcemap reads it.
    @Test func negativeSourceIndex() throws {
        let map = try Fixtures.parse(Fixtures.map(#""sources":["a.js"],"mappings":"ADCC""#))
        #expect(map.originalPosition(line: 1, column: 0) == OriginalPosition(source: "", name: "", line: 2, column: 1))
    }

    /// Mappings with separators only hold no segment, and find nothing.
    @Test func separatorsOnly() throws {
        let map = try Fixtures.parse(Fixtures.map(#""sources":[],"mappings":";;,;""#))
        #expect(map.mappings.count == 0)
        #expect(map.originalPosition(line: 1, column: 0) == nil)
    }

    /// The table's accessors expose each decoded segment.
    @Test func tableAccessors() throws {
        let table = try Fixtures.parse(Self.sample).mappings
        let segments = (0..<table.count).map {
            [table.generatedLine($0), table.generatedColumn($0), table.sourceIndex($0), table.originalLine($0),
             table.originalColumn($0), table.nameIndex($0)]
        }
        #expect(segments == [[1, 1, 0, 1, 0, 0], [1, 4, 0, 1, 1, 1], [3, 2, 0, 1, 3, -1], [3, 6, 0, 1, 7, 1]])
        #expect(table.segment(line: 3, column: 4) == 2)
    }

    /// A later `sections` member, empty or `null`, replaces the sections before it (Go refills the
    /// slice, or sets it to nil): the map is read as a plain map.
    @Test(arguments: ["[]", "null"])
    func laterSectionsMemberWins(later: String) throws {
        let map = try Fixtures.parse(#"""
            {"version":3,"sections":[{"offset":{"line":0,"column":0},"map":{}}],"sections":\#(later),
             "sources":["a.js"],"mappings":"AAAA"}
            """#)
        #expect(map.originalPosition(line: 1, column: 0) == OriginalPosition(source: "a.js", name: "", line: 1, column: 0))
    }

    /// Member names match whatever their ASCII case, the last of repeated members wins, and unknown
    /// members and a `null` member are skipped, as Go's `encoding/json` fills go-sourcemap's struct.
    @Test func membersAsGoReadsThem() throws {
        let map = try Fixtures.parse(#"""
            {"VERSION": 3, "Sources": ["x.js"], "sources": ["a.js"], "x_google_ignoreList": [0],
             "names": null, "FILE": "out.js", "mappings": "AAAA", "Mappings": "CAAA", "sourcesContent": [null, "x"]}
            """#)
        #expect(map.file == "out.js")
        #expect(map.names == [])
        #expect(map.originalPosition(line: 1, column: 0) == nil)
        #expect(map.originalPosition(line: 1, column: 1) == OriginalPosition(source: "a.js", name: "", line: 1, column: 0))
        // An absent version reads as 0, which go-sourcemap accepts; so does an empty sections array.
        let unversioned = try Fixtures.parse(#"{"sources":["a.js"],"sections":[],"mappings":"AAAA"}"#)
        #expect(unversioned.mappings.count == 1)
    }
}
