import HTTPFieldText

/// A quick test that rules most header field names out of a `PropagationPolicy`'s names and
/// prefixes by their length and first byte, before they are lowercased and looked up.
///
/// A request's fields are mostly `Host`, `Content-Type`, `Content-Length`, `User-Agent` and the
/// like, none of them trace headers; lowercasing each name (an allocation when it has capitals)
/// and hashing it into three sets was most of the policy's cost a request in rum-gateway. The
/// screen never rules out a name that the sets would match: a name that equals one of `names`
/// has its length and first letter, and one that starts with a prefix is at least as long as the
/// shortest prefix and has its first letter.
struct TraceHeaderScreen: Hashable, Sendable {
    /// Bit `n` set when some name is `n` bytes long (bit 63 for 63 bytes or more).
    private var nameLengths: UInt64 = 0
    /// The first bytes of the names, lowercase.
    private var nameFirstBytes = ASCIIByteSet()
    /// The first bytes of the prefixes, lowercase.
    private var prefixFirstBytes = ASCIIByteSet()
    /// The length of the shortest prefix; `Int.max` with none.
    private var shortestPrefix = Int.max
    /// A name or prefix that the screen cannot describe (empty, or starting with a non-ASCII
    /// byte): every name may match.
    private var passesAll = false

    /// The screen of exact `names` and `prefixes`, both lowercase.
    init(names: some Sequence<String>, prefixes: some Sequence<String>) {
        for name in names {
            guard let first = name.utf8.first, nameFirstBytes.insert(first) else {
                passesAll = true
                continue
            }
            nameLengths |= 1 << UInt64(min(name.utf8.count, 63))
        }
        for prefix in prefixes {
            guard let first = prefix.utf8.first, prefixFirstBytes.insert(first) else {
                passesAll = true
                continue
            }
            shortestPrefix = min(shortestPrefix, prefix.utf8.count)
        }
    }

    /// Whether `name` (in any case) may equal one of the names or start with one of the prefixes.
    func mayMatch(_ name: String) -> Bool {
        if passesAll { return true }
        let utf8 = name.utf8
        guard let first = utf8.first, first < 0x80 else { return true }
        let byte = first.asciiLowercased
        let count = utf8.count
        if nameLengths & (1 << UInt64(min(count, 63))) != 0, nameFirstBytes.contains(byte) { return true }
        return count >= shortestPrefix && prefixFirstBytes.contains(byte)
    }
}

/// A set of ASCII bytes in two words.
private struct ASCIIByteSet: Hashable, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    /// Adds `byte`; false when it is not ASCII (and is not added).
    mutating func insert(_ byte: UInt8) -> Bool {
        guard byte < 0x80 else { return false }
        if byte < 64 { low |= 1 << UInt64(byte) } else { high |= 1 << UInt64(byte - 64) }
        return true
    }

    /// Whether `byte` is in the set.
    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
    }
}
