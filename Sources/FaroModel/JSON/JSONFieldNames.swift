/// The member names of a JSON object type, matched the way Go's `encoding/json` matches
/// keys to struct fields: an exact match first, then a case-insensitive one under Unicode
/// simple folding (so `Message`, `MESSAGE` and `meſſage` all name `message`).
struct JSONFieldNames: Sendable {
    /// The names, as Go's field tags spell them.
    let names: [StaticString]

    /// Creates the list.
    init(_ names: StaticString...) { self.names = names }

    /// The index of the field that `key` names, or `nil` for a member to skip.
    func index(of key: UnsafeRawBufferPointer) -> Int? {
        if let keyBase = key.baseAddress {
            for index in names.indices where names[index].utf8CodeUnitCount == key.count {
                if JSONFieldNames.bytesEqual(UnsafeRawPointer(names[index].utf8Start), keyBase, count: key.count) {
                    return index
                }
            }
        }
        for index in names.indices where JSONFieldNames.foldEquals(names[index], key) {
            return index
        }
        return nil
    }

    /// Whether `count` bytes at `a` and `b` are equal.
    @inline(__always)
    private static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        var index = 0
        while index < count {
            if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) { return false }
            index &+= 1
        }
        return true
    }

    /// Whether `key` equals the ASCII `name` under simple case folding: ASCII letters in either
    /// case, and U+017F LATIN SMALL LETTER LONG S and U+212A KELVIN SIGN for `s` and `k`.
    static func foldEquals(_ name: StaticString, _ key: UnsafeRawBufferPointer) -> Bool {
        let name = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var keyIndex = 0
        for expected in name {
            guard keyIndex < key.count else { return false }
            let lowered = lowercase(expected)
            let byte = key[keyIndex]
            if lowercase(byte) == lowered, byte < 0x80 {
                keyIndex += 1
            } else if lowered == UInt8(ascii: "s"), byte == 0xC5, keyIndex + 1 < key.count, key[keyIndex + 1] == 0xBF {
                keyIndex += 2
            } else if lowered == UInt8(ascii: "k"), byte == 0xE2, keyIndex + 2 < key.count, key[keyIndex + 1] == 0x84,
                key[keyIndex + 2] == 0xAA
            {
                keyIndex += 3
            } else {
                return false
            }
        }
        return keyIndex == key.count
    }

    /// `byte` with ASCII upper case letters lowered.
    private static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }
}
