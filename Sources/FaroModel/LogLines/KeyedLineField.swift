/// A field of a log line, or a JSON member written from one, that sorts by its key's bytes
/// (`encoding/json`'s map order).
protocol KeyedLineField {
    /// Where the key lies in the scratch memory, as it is (not escaped).
    var key: Range<Int> { get }
    /// The first sixteen bytes of the key, big-endian, zero-padded: keys whose heads differ
    /// sort as their heads do, so most comparisons need not read the keys.
    var head: (UInt64, UInt64) { get }
}

extension KeyedLineField {
    /// Whether this field's key sorts before the key of `other`, byte by byte.
    @inline(__always)
    func keyPrecedes(_ other: some KeyedLineField, in scratch: ByteWriter) -> Bool {
        if head != other.head { return head < other.head }
        return scratch[key].bytesPrecede(scratch[other.key])
    }
}

extension Array where Element: KeyedLineField {
    /// Fills `order` with the indices of the fields sorted by key bytes: an insertion sort on the
    /// keys' heads for the usual few dozen fields, which arrive mostly in runs already sorted (a
    /// map's keys), and the standard library's sort past that.
    func sortedOrder(into order: inout [Int], in scratch: ByteWriter) {
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: indices)
        withUnsafeBufferPointer { fields in
            order.withUnsafeMutableBufferPointer { order in
                guard order.count <= 48 else {
                    order.sort { fields[$0].keyPrecedes(fields[$1], in: scratch) }
                    return
                }
                for position in order.indices.dropFirst() {
                    let value = order[position]
                    var insertion = position
                    while insertion > 0, fields[value].keyPrecedes(fields[order[insertion - 1]], in: scratch) {
                        order[insertion] = order[insertion - 1]
                        insertion -= 1
                    }
                    order[insertion] = value
                }
            }
        }
    }
}
