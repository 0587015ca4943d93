import Testing

@testable import FaroModel

/// `JSONLineWriter` against a sort of the whole line: the metadata members it merges in go where
/// their keys sort, also when the keys share their first sixteen bytes (the heads that decide
/// most comparisons) and differ only after the prefix of the line's key.
@Suite struct JSONLineWriterTests {
    @Test func metadataMembersGoWhereTheirWholeKeysSort() {
        let metadata: FaroAttributes = [
            "abcdefghijklmnop": "m0", "abcdefghijklmnop_2": "m2", "abcdefghijklmnop_4": "m4", "abcdefghijklmnopq": "m5",
            "b": "mb", "zz": "mz",
        ]
        let prefixed: FaroAttributes = ["ijklmnop_1": "l1", "ijklmnop_3": "l3", "ijklmnop_5": "l5"]
        var scratch = ByteWriter(ByteStorage(capacity: 16))
        var metaMembers = JSONMemberWriter()
        metaMembers.add("", attributes: metadata, in: &scratch)
        // Unescaped keys: the members lie side by side, their own rendering.
        let starts = metaMembers.members.map(\.bytes.lowerBound) + [metaMembers.members.last!.bytes.upperBound]
        let lineStart = scratch.count
        metaMembers.members.withUnsafeBufferPointer { members in
            starts.withUnsafeBufferPointer { starts in
                var line = JSONLineWriter(lineStart: lineStart, metaMembers: members, metaStarts: starts, clock: .init())
                line.add("", "a", value: "first", in: &scratch)
                line.add("abc", "defghijklmnop_0", value: "l0", in: &scratch)
                line.add("abcdefgh", attributes: prefixed, in: &scratch)
                line.add("abcdefghijklmnop_", "6", value: "after l5", in: &scratch)
                line.add("y", value: "\"quoted\"", in: &scratch)
                line.finishLine(in: &scratch)
            }
        }
        var pairs = metadata.map { ($0.key, $0.value) } + prefixed.map { ("abcdefgh" + $0.key, $0.value) }
        pairs += [("a", "first"), ("abcdefghijklmnop_0", "l0"), ("abcdefghijklmnop_6", "after l5"), ("y", "\"quoted\"")]
        pairs.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var expected = ContiguousArray<UInt8>("{".utf8)
        for (position, pair) in pairs.enumerated() {
            if position > 0 { expected.append(UInt8(ascii: ",")) }
            GoJSONString.append(pair.0, to: &expected)
            expected.append(UInt8(ascii: ":"))
            GoJSONString.append(pair.1, to: &expected)
        }
        expected.append(UInt8(ascii: "}"))
        #expect(String(decoding: scratch[lineStart..<scratch.count], as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func aLineOfNoMembersIsAnEmptyObject() {
        var scratch = ByteWriter(ByteStorage(capacity: 16))
        let lineStart = scratch.count
        var line = JSONLineWriter(
            lineStart: lineStart, metaMembers: UnsafeBufferPointer(start: nil, count: 0),
            metaStarts: UnsafeBufferPointer(start: nil, count: 0), clock: .init())
        line.add("k", value: "", in: &scratch)
        line.finishLine(in: &scratch)
        #expect(String(decoding: scratch[lineStart..<scratch.count], as: UTF8.self) == "{}")
    }
}
