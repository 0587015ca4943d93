/// The key-value pairs of one Alloy log line, in Alloy's order, before they are formatted.
///
/// Alloy builds each line as a Go ordered map (`wk8/go-ordered-map`): adding a key that
/// is already present keeps its first position and takes the new value, and string values
/// that are empty are not added at all (`KeyValAdd`). Keys and string values are copied
/// into one reused byte buffer, so building a line allocates nothing once warmed up.
struct LogLineFields {
    /// One key and its value.
    struct Field {
        /// Where the key lies in `bytes`.
        var key: Range<Int>
        /// Where a string value lies in `bytes`; empty for a number.
        var value: Range<Int>
        /// The value of a number field (`value_*` of measurements).
        var number: Double
        /// Whether the value is `number` rather than text.
        var isNumber: Bool
    }

    /// Keys and string values.
    private(set) var bytes: ContiguousArray<UInt8> = []
    /// The fields, in line order.
    private(set) var fields: [Field] = []

    /// Empties the list, keeping its storage.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
    }

    /// The bytes of `range`.
    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Appends `prefix` and `key` as the key of a field whose value follows.
    private mutating func appendKey(_ prefix: StaticString, _ key: String) -> Range<Int> {
        let start = bytes.count
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
        bytes.append(contentsOf: key.utf8)
        return start..<bytes.count
    }

    /// Adds a text field whose value `writeValue` appends; the field is dropped if the value is empty (`KeyValAdd`).
    mutating func add(_ prefix: StaticString, _ key: String = "", writeValue: (inout ContiguousArray<UInt8>) -> Void) {
        let keyRange = appendKey(prefix, key)
        let valueStart = bytes.count
        writeValue(&bytes)
        if bytes.count == valueStart {
            bytes.removeSubrange(keyRange.lowerBound...)
            return
        }
        fields.append(Field(key: keyRange, value: valueStart..<bytes.count, number: 0, isNumber: false))
    }

    /// Adds a text field unless `value` is empty (`KeyValAdd`).
    mutating func add(_ prefix: StaticString, _ key: String = "", value: String) {
        if value.isEmpty { return }
        let keyRange = appendKey(prefix, key)
        let valueStart = bytes.count
        bytes.append(contentsOf: value.utf8)
        fields.append(Field(key: keyRange, value: valueStart..<bytes.count, number: 0, isNumber: false))
    }

    /// Adds a field for each non-empty attribute, its key prefixed (`MergeKeyValWithPrefix(KeyValFromMap(m))`).
    mutating func add(_ prefix: StaticString, attributes: FaroAttributes) {
        for attribute in attributes { add(prefix, attribute.key, value: attribute.value) }
    }

    /// Adds a number field, whatever its value (`kv.Set` of a float64).
    mutating func add(_ prefix: StaticString, _ key: String, number: Double) {
        let keyRange = appendKey(prefix, key)
        fields.append(Field(key: keyRange, value: bytes.count..<bytes.count, number: number, isNumber: true))
    }

    /// Appends the fields of `other`.
    mutating func append(contentsOf other: LogLineFields) {
        let shift = bytes.count
        bytes.append(contentsOf: other.bytes)
        for var field in other.fields {
            field.key = field.key.lowerBound + shift..<field.key.upperBound + shift
            field.value = field.value.lowerBound + shift..<field.value.upperBound + shift
            fields.append(field)
        }
    }

    /// Whether the keys of `a` and `b` are equal.
    private func keysEqual(_ a: Field, _ b: Field) -> Bool {
        bytes[a.key].elementsEqual(bytes[b.key])
    }

    /// Whether the key of `a` sorts before the key of `b`, byte by byte.
    func keyPrecedes(_ a: Field, _ b: Field) -> Bool {
        bytes.withUnsafeBytes { buffer in
            UnsafeRawBufferPointer(rebasing: buffer[a.key]).lexicographicallyPrecedes(UnsafeRawBufferPointer(rebasing: buffer[b.key]))
        }
    }

    /// Applies Go ordered-map semantics to repeated keys: each key stays at its first position and
    /// takes its last value. `order` is scratch space. O(n log n).
    mutating func mergeRepeatedKeys(order: inout [Int]) {
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: fields.indices)
        order.sort { a, b in
            if keyPrecedes(fields[a], fields[b]) { return true }
            if keyPrecedes(fields[b], fields[a]) { return false }
            return a < b
        }
        var removed = false
        var groupStart = 0
        while groupStart < order.count {
            var groupEnd = groupStart + 1
            while groupEnd < order.count, keysEqual(fields[order[groupStart]], fields[order[groupEnd]]) { groupEnd += 1 }
            if groupEnd - groupStart > 1 {
                let first = order[groupStart]
                let last = fields[order[groupEnd - 1]]
                fields[first].value = last.value
                fields[first].number = last.number
                fields[first].isNumber = last.isNumber
                for index in order[(groupStart + 1)..<groupEnd] { fields[index].key = LogLineFields.removed }
                removed = true
            }
            groupStart = groupEnd
        }
        if removed { fields.removeAll { $0.key == LogLineFields.removed } }
    }

    /// The key range that marks a field merged into an earlier one.
    private static let removed = -1..<(-1)

    /// The index of the field whose key is `name`, or `nil`.
    func firstIndex(ofKey name: String) -> Int? {
        fields.firstIndex { bytes[$0.key].elementsEqual(name.utf8) }
    }
}
