import Synchronization

/// The member names of a JSON object type, matched the way Go's `encoding/json` matches
/// keys to struct fields: an exact match first, then a case-insensitive one under Unicode
/// simple folding (so `Message`, `MESSAGE` and `meſſage` all name `message`).
struct JSONFieldNames: Sendable {
    /// The names, as Go's field tags spell them (ASCII, at most 16 bytes).
    let names: [StaticString]
    /// A number of its own among the lists of the process, from 0: where readers keep what they
    /// learn about the objects of this type.
    let id: Int
    /// For each name: its length, and its first and last eight bytes (overlapping, zero-padded
    /// for shorter names), so that a key is compared in two loads.
    private let signatures: [(count: Int, head: UInt64, tail: UInt64)]
    /// The same of each name with its ASCII letters lowered, for ASCII keys of another case.
    private let foldedSignatures: [(count: Int, head: UInt64, tail: UInt64)]
    /// The name to try for a key, by a hash of its length and first byte: an index into `names`,
    /// `-1` for none, `-2` where names collide and all are tried.
    private let slots: [Int8]

    /// Creates the list.
    init(_ names: StaticString...) {
        precondition(names.count < Int(MemberPrediction.none), "fields are numbered below MemberPrediction.none")
        self.names = names
        self.id = JSONFieldNames.lists.wrappingAdd(1, ordering: .relaxed).oldValue
        self.signatures = names.map { name in
            precondition(name.utf8CodeUnitCount <= 16 && name.isASCII, "member names are ASCII, at most 16 bytes")
            let bytes = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            return (bytes.count, JSONFieldNames.head(bytes), JSONFieldNames.tail(bytes))
        }
        self.foldedSignatures = signatures.map { ($0.count, JSONFieldNames.lowercased($0.head), JSONFieldNames.lowercased($0.tail)) }
        var slots = [Int8](repeating: -1, count: 64)
        for (index, name) in names.enumerated() {
            let slot = JSONFieldNames.slot(count: name.utf8CodeUnitCount, first: name.utf8Start.pointee)
            slots[slot] = slots[slot] == -1 ? Int8(index) : -2
        }
        self.slots = slots
    }

    /// How many lists were made.
    private static let lists = Atomic(0)

    /// The name of `field` as a key to expect.
    @inline(__always)
    func predictedKey(_ field: Int) -> JSONScanner.PredictedKey {
        let signature = signatures[field]
        return JSONScanner.PredictedKey(count: signature.count, head: signature.head, tail: signature.tail)
    }

    /// The slot of a key of `count` bytes starting with `first`.
    @inline(__always)
    private static func slot(count: Int, first: UInt8) -> Int {
        (count &* 11 &+ Int(first)) & 63
    }

    /// The first eight bytes of `bytes`, zero-padded: loaded whole, or gathered in pieces from a
    /// shorter text without reading past it.
    @inline(__always)
    private static func head(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        if bytes.count >= 8 { return bytes.baseAddress!.loadUnaligned(as: UInt64.self) }
        return bytes.isEmpty ? 0 : UInt64(littleEndian: ByteScan.lastWord(bytes, from: 0))
    }

    /// The last eight bytes of `bytes`, or zero for shorter ones.
    @inline(__always)
    private static func tail(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        bytes.count >= 8 ? bytes.baseAddress!.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self) : 0
    }

    /// The index of the field that `key` names, or `nil` for a member to skip.
    func index(of key: UnsafeRawBufferPointer) -> Int? {
        if key.count <= 16, let first = key.first {
            let head = JSONFieldNames.head(key)
            let tail = JSONFieldNames.tail(key)
            let candidate = Int(slots[JSONFieldNames.slot(count: key.count, first: first)])
            if candidate >= 0 {
                let signature = signatures[candidate]
                if signature.count == key.count, signature.head == head, signature.tail == tail { return candidate }
            } else if candidate == -2 {
                for index in signatures.indices {
                    let signature = signatures[index]
                    if signature.count == key.count, signature.head == head, signature.tail == tail { return index }
                }
            }
            // An ASCII key of another case: the first name equal to it with letters lowered.
            if (head | tail) & ByteScan.highs == 0 {
                let (head, tail) = (JSONFieldNames.lowercased(head), JSONFieldNames.lowercased(tail))
                for index in foldedSignatures.indices {
                    let signature = foldedSignatures[index]
                    if signature.count == key.count, signature.head == head, signature.tail == tail { return index }
                }
                return nil
            }
        }
        // A case-folded match of a longer or non-ASCII key: U+017F and U+212A fold to `s` and `k`.
        for index in names.indices where JSONFieldNames.foldEquals(names[index], key) { return index }
        return nil
    }

    /// `word` with its ASCII upper case letters lowered, for words of ASCII bytes.
    @inline(__always)
    private static func lowercased(_ word: UInt64) -> UInt64 {
        // Per byte, without carries between bytes: the high bit of `b + 0x3F` is set from `A` on,
        // that of `b + 0x25` past `Z`; an upper case letter gains 0x20.
        let fromA = word &+ ByteScan.ones &* 0x3F
        let pastZ = word &+ ByteScan.ones &* 0x25
        return word | (fromA & ~pastZ & ByteScan.highs) &>> 2
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
