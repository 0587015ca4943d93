/// The key-value pairs of one Alloy log line, in Alloy's order, before they are formatted.
///
/// Alloy builds each line as a Go ordered map (`wk8/go-ordered-map`): adding a key that
/// is already present keeps its first position and takes the new value, and string values
/// that are empty are not added at all (`KeyValAdd`). Keys and text values are written into
/// the encoder's scratch `ByteWriter`; a field records where they lie.
struct LogLineFields: LineFieldSink {
    /// One key and its value.
    struct Field: KeyedLineField {
        /// Where the key lies in the scratch memory.
        var key: Range<Int>
        /// How many bytes the key starts with that are a fixed prefix or name, which need no
        /// escaping in JSON and no cleaning in logfmt.
        var fixedKeyLength: Int
        /// Where a text value lies in the scratch memory; empty for a number.
        var value: Range<Int>
        /// The value of a number field (`value_*` of measurements).
        var number: Double
        /// Whether the value is `number` rather than text.
        var isNumber: Bool
        /// The first sixteen bytes of the key, big-endian, zero-padded.
        var head: (UInt64, UInt64)

        /// A field whose key lies at `key` in `scratch`.
        @inline(__always)
        init(
            key: Range<Int>, fixedKeyLength: Int, value: Range<Int>, number: Double, isNumber: Bool,
            in scratch: inout ByteWriter
        ) {
            self.key = key
            self.fixedKeyLength = fixedKeyLength
            self.value = value
            self.number = number
            self.isNumber = isNumber
            self.head = scratch.head(of: key)
        }
    }

    /// The fields, in line order.
    private(set) var fields: [Field] = []

    /// Empties the list, keeping its storage.
    mutating func removeAll() {
        fields.removeAll(keepingCapacity: true)
    }

    /// Adds a text field whose value `writeValue` appends; the field is dropped if the value is empty (`KeyValAdd`).
    @inline(__always)
    mutating func add(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) {
        if let field = Self.field(prefix, key, in: &scratch, writeValue: writeValue) { fields.append(field) }
    }

    /// Adds a text field unless `value` is empty (`KeyValAdd`).
    @inline(__always)
    mutating func add(_ prefix: StaticString, _ key: String, value: String, in scratch: inout ByteWriter) {
        if value.isEmpty { return }
        add(prefix, key, in: &scratch) { $0.appendUTF8(value) }
    }

    /// Adds a field for each non-empty attribute, its key prefixed. Each attribute's strings are
    /// written in one statement and its field is recorded in the next: the strings' use ends before
    /// the field list grows (which may free its old storage), so they are not retained around it.
    mutating func add(_ prefix: StaticString, attributes: FaroAttributes, in scratch: inout ByteWriter) {
        let elements = attributes.elements.span
        for index in elements.indices where !elements[index].value.isEmpty {
            guard
                let field = Self.field(prefix, elements[index].key, in: &scratch, writeValue: {
                    $0.appendUTF8(elements[index].value)
                })
            else { continue }
            fields.append(field)
        }
    }

    /// Writes the key of a text field and its value (which `writeValue` appends) and returns the
    /// field; `nil`, having written nothing, when the value is empty (`KeyValAdd`).
    @inline(__always)
    private static func field(
        _ prefix: StaticString, _ key: String, in scratch: inout ByteWriter, writeValue: (inout ByteWriter) -> Void
    ) -> Field? {
        let keyStart = scratch.count
        scratch.appendStatic(prefix)
        scratch.appendUTF8(key)
        let valueStart = scratch.count
        writeValue(&scratch)
        if scratch.count == valueStart {
            scratch.count = keyStart
            return nil
        }
        return Field(
            key: keyStart..<valueStart, fixedKeyLength: prefix.utf8CodeUnitCount, value: valueStart..<scratch.count,
            number: 0, isNumber: false, in: &scratch)
    }

    /// Adds a number field, whatever its value (`kv.Set` of a float64).
    mutating func add(_ prefix: StaticString, _ key: String, number: Double, in scratch: inout ByteWriter) {
        let keyStart = scratch.count
        scratch.appendStatic(prefix)
        scratch.appendUTF8(key)
        let valueStart = scratch.count
        fields.append(
            Field(
                key: keyStart..<valueStart, fixedKeyLength: prefix.utf8CodeUnitCount, value: valueStart..<valueStart,
                number: number, isNumber: true, in: &scratch))
    }

    /// Appends the fields of `other`, whose bytes lie in the same scratch memory.
    mutating func append(contentsOf other: LogLineFields) {
        fields.append(contentsOf: other.fields)
    }

    /// Applies Go ordered-map semantics to repeated keys: each key stays at its first position and
    /// takes its last value. `order` is scratch space. O(n log n).
    mutating func mergeRepeatedKeys(order: inout [Int], in scratch: ByteWriter) {
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: fields.indices)
        order.sort { a, b in
            if fields[a].keyPrecedes(fields[b], in: scratch) { return true }
            if fields[b].keyPrecedes(fields[a], in: scratch) { return false }
            return a < b
        }
        var removed = false
        var groupStart = 0
        while groupStart < order.count {
            var groupEnd = groupStart + 1
            while groupEnd < order.count,
                scratch[fields[order[groupStart]].key].bytesEqual(scratch[fields[order[groupEnd]].key])
            {
                groupEnd += 1
            }
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

    /// An upper bound on the bytes the fields take once formatted, in logfmt or JSON: every byte
    /// escaped as `\u00XX`, quotes, separators and the longest number.
    var formattedSizeBound: Int {
        fields.reduce(0) { $0 + 6 * ($1.key.count + $1.value.count) + 40 }
    }

    /// The field whose key is `name`, or `nil`.
    func first(key name: String, in scratch: ByteWriter) -> Field? {
        fields.first { scratch[$0.key].elementsEqual(name.utf8) }
    }
}
