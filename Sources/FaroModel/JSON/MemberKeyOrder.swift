/// Puts the members of a JSON object in the byte order of their keys, as Go sorts a map's keys,
/// comparing the keys where they lie in the input rather than as `String`s, in memory the caller
/// provides (on the stack).
///
/// Keys with escapes are not read this way (their raw bytes are not their text); nor are more keys
/// than the memory holds. Raw keys never hold a zero byte (a raw control character is an error in JSON).
struct MemberKeyOrder {
    /// A member's key: its first eight bytes, big-endian and zero-padded, and where all of it lies.
    struct Key {
        var head: UInt64
        var start: Int
        var count: Int
        /// The member's position in the object.
        var member: Int
    }

    private let keys: UnsafeMutableBufferPointer<Key>
    /// How many keys were added, and after `sort`, how many are kept.
    private(set) var count = 0
    /// Whether every key so far was read, so that the keys can be ordered here.
    private(set) var isUsable = true
    /// Whether the keys so far came in strictly increasing order.
    private(set) var isInOrder = true

    /// Orders keys in `keys`, whose contents are scratch.
    init(_ keys: UnsafeMutableBufferPointer<Key>) {
        self.keys = keys
    }

    /// Adds the key of the next member.
    @inline(__always)
    mutating func append(_ token: JSONString, in input: UnsafeRawBufferPointer) {
        guard isUsable else { return }
        guard !token.needsDecoding, count < keys.count else {
            isUsable = false
            return
        }
        let length = token.end - token.start
        var head: UInt64 = 0
        if token.start + 8 <= input.count {
            head = UInt64(bigEndian: input.baseAddress!.loadUnaligned(fromByteOffset: token.start, as: UInt64.self))
            if length < 8 { head &= ~(~0 as UInt64 >> (8 * length)) }
        } else {
            for offset in 0..<min(length, 8) { head |= UInt64(input[token.start + offset]) << (56 - 8 * offset) }
        }
        let key = Key(head: head, start: token.start, count: length, member: count)
        if count > 0, isInOrder, MemberKeyOrder.compare(keys[count - 1], key, in: input) >= 0 { isInOrder = false }
        keys[count] = key
        count += 1
    }

    /// Sorts the keys (stable) and keeps only the last member of each key, as a Go map does.
    mutating func sort(in input: UnsafeRawBufferPointer) {
        // A key goes right after the last key not above it, which is an equal key if there is one.
        var hasRepeatedKeys = false
        for position in 1..<max(count, 1) {
            let key = keys[position]
            var insertion = position
            while insertion > 0 {
                let order = MemberKeyOrder.compare(key, keys[insertion - 1], in: input)
                if order >= 0 {
                    if order == 0 { hasRepeatedKeys = true }
                    break
                }
                keys[insertion] = keys[insertion - 1]
                insertion -= 1
            }
            keys[insertion] = key
        }
        guard hasRepeatedKeys else { return }
        // Equal keys are adjacent, in input order: keep the last of each run.
        var kept = 0
        for position in 0..<count {
            if kept > 0, MemberKeyOrder.compare(keys[kept - 1], keys[position], in: input) == 0 {
                keys[kept - 1] = keys[position]
            } else {
                keys[kept] = keys[position]
                kept += 1
            }
        }
        count = kept
    }

    /// The position in the object of the member that comes `index`th in key order, after `sort`.
    func member(at index: Int) -> Int {
        keys[index].member
    }

    /// The byte order of two keys: negative, zero or positive.
    @inline(__always)
    private static func compare(_ a: Key, _ b: Key, in input: UnsafeRawBufferPointer) -> Int {
        if a.head != b.head { return a.head < b.head ? -1 : 1 }
        // Equal heads: the keys are equal up to the shorter one's eighth byte (keys hold no zero byte).
        if a.count > 8, b.count > 8 {
            let rest = UnsafeRawBufferPointer(rebasing: input[(a.start + 8)..<(a.start + a.count)])
            let other = UnsafeRawBufferPointer(rebasing: input[(b.start + 8)..<(b.start + b.count)])
            return rest.compareBytes(other)
        }
        return a.count - b.count
    }
}
