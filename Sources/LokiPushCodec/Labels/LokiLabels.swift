import FaroModel

/// A stream's label set, kept in the canonical form that Promtail and Alloy send:
/// `{name="value", name2="value2"}`, names sorted bytewise, values quoted as Go's
/// `strconv.Quote` quotes them (Prometheus `model.LabelSet.String()`).
///
/// Building or parsing checks every name (`[a-zA-Z_][a-zA-Z0-9_]*`), refuses a name given
/// twice and a set with no labels, and drops pairs whose value is empty: Prometheus and Loki
/// treat an empty value as an absent label. Two label sets are equal when their canonical
/// forms are, so parsing any spelling of a set (`{ b = "x",a="y" }`) and rendering it gives
/// the canonical form (`{a="y", b="x"}`).
public struct LokiLabels: Sendable, Hashable, CustomStringConvertible {
    /// The pairs, sorted by the bytes of their names, none with an empty value.
    public let pairs: [LokiLabelPair]
    /// The canonical form's UTF-8 bytes, which protobuf push requests carry.
    public let canonicalBytes: ContiguousArray<UInt8>

    /// A label set from pairs in any order.
    ///
    /// - Throws: `.invalidName` for a name that is not `[a-zA-Z_][a-zA-Z0-9_]*`,
    ///   `.duplicateName` (offset `nil`) for a name given twice, `.noLabels` when no pair has
    ///   a non-empty value.
    public init(_ pairs: [LokiLabelPair]) throws(LokiLabelError) {
        for pair in pairs where !LabelName.isValid(pair.name) {
            throw .invalidName(pair.name)
        }
        let sorted = pairs.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for index in sorted.indices.dropFirst() where sorted[index].name == sorted[index - 1].name {
            throw .duplicateName(sorted[index].name, offset: nil)
        }
        try self.init(validatedSortedPairs: sorted.filter { !$0.value.isEmpty })
    }

    /// A label set from a dictionary of names to values (see `init(_:)` on pairs).
    public init(_ dictionary: [String: String]) throws(LokiLabelError) {
        try self.init(dictionary.map { LokiLabelPair(name: $0.key, value: $0.value) })
    }

    /// A label set from pairs whose names are valid and distinct, sorted, none with an empty value.
    init(validatedSortedPairs pairs: [LokiLabelPair]) throws(LokiLabelError) {
        guard !pairs.isEmpty else { throw .noLabels }
        self.pairs = pairs
        var bytes = ContiguousArray<UInt8>()
        bytes.append(UInt8(ascii: "{"))
        for (index, pair) in pairs.enumerated() {
            if index > 0 {
                bytes.append(UInt8(ascii: ","))
                bytes.append(UInt8(ascii: " "))
            }
            bytes.append(contentsOf: pair.name.utf8)
            bytes.append(UInt8(ascii: "="))
            var value = pair.value
            value.withUTF8 { GoQuote.append(UnsafeRawBufferPointer($0), to: &bytes) }
        }
        bytes.append(UInt8(ascii: "}"))
        self.canonicalBytes = bytes
    }

    /// The canonical form, `{name="value", name2="value2"}`.
    public var rendered: String { String(decoding: canonicalBytes, as: UTF8.self) }

    /// The canonical form, `{name="value", name2="value2"}`.
    public var description: String { rendered }

    /// The value of the label `name`, or `nil` when the set has none.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Equal when the canonical forms are.
    public static func == (lhs: LokiLabels, rhs: LokiLabels) -> Bool {
        lhs.canonicalBytes == rhs.canonicalBytes
    }

    /// Hashes the canonical form.
    public func hash(into hasher: inout Hasher) {
        canonicalBytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
